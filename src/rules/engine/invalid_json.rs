//! WPS001 invalid-json.
//!
//! ## What it does
//! Reports a file that is not JSON in the dialect Azure accepts (comments, trailing commas and
//! raw newlines in strings allowed), at the first offending token.
//!
//! ## Why is this bad
//! Azure rejects the deployment before anything runs, and no other rule can look at the file.

use crate::facts::Finding;
use crate::json::SyntaxError;
use crate::source::FileId;

pub fn check(file: FileId, error: &SyntaxError) -> Finding {
    Finding::new("WPS001", file, error.span, format!("invalid JSON: {}", error.message))
        .help("Azure accepts `//` and `/* */` comments, trailing commas and line breaks inside strings, but not single quotes, unquoted keys or missing commas")
}
