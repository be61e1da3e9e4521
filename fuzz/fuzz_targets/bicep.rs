#![no_main]
//! Arbitrary bytes (invalid UTF-8 replaced) as a Bicep file: the parser must not panic, must
//! give every error a span inside the text, and must end on a character boundary.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = wps_lint::bicep::parse(&text);
    for error in &parsed.errors {
        let range = error.span.range();
        assert!(range.start <= range.end && range.end <= text.len(), "{error:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
    }
});
