#![no_main]
//! `--fix` on generated templates (made of the pieces the rules, and so the fixes, look at),
//! written to disk and fixed there: the result parses, and only the fixed spans changed.

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wps_lint_fuzz::generate::Gen;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(template) = Gen::new(&mut u).template(2) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    wps_lint_fuzz::fix_checked(
        dir.path(),
        &serde_json::to_string_pretty(&template).unwrap(),
    );
});
