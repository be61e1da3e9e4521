#![no_main]
//! An arbitrary expression as a variable, a link's name and privateLinkResourceId, a vault's
//! name, a dependsOn entry and a user function's body.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    wps_lint_fuzz::lint(wps_lint_fuzz::template_with_expression(expr), None);
});
