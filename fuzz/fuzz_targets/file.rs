#![no_main]
//! Whole files: bytes up to a NUL are the template, the rest a parameter file.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (template, parameters) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    wps_lint_fuzz::lint(text(template), parameters.map(text));
});
