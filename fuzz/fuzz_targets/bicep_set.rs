#![no_main]
//! Bicep files that call each other, generated from the bytes (see `bicep_set`), linted as a
//! folder: the run must end, within libFuzzer's time and memory limits, without a panic or a
//! stack overflow. With WPS_FUZZ_DUMP set, running an input prints the files instead.

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wps_lint_fuzz::bicep_set::{FILES, files};

fuzz_target!(|data: &[u8]| {
    let Ok(texts) = files(&mut Unstructured::new(data)) else {
        return;
    };
    if std::env::var_os("WPS_FUZZ_DUMP").is_some() {
        for (name, text) in FILES.iter().zip(&texts) {
            println!("// {name}\n{text}");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in FILES.iter().zip(&texts) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    wps_lint_fuzz::lint_folder(dir.path());
});
