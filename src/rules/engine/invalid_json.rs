//! WPS001 invalid-json: the check. Its page, `rules/WPS001.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS001`).

use crate::facts::Finding;
use crate::json::SyntaxError;
use crate::rules::NativeRule;
use crate::source::FileId;

/// Reported by the pass that parses the file; the rule's page is `rules/WPS001.md`.
pub const RULE: NativeRule = NativeRule::run("WPS001");

/// A Bicep syntax error: the rest of the file is still linted, as the parser recovers.
pub fn check_bicep(file: FileId, error: &SyntaxError) -> Finding {
    Finding::new(
        RULE.code,
        file,
        error.span,
        format!("invalid Bicep: {}", error.message),
    )
}

pub fn check(file: FileId, error: &SyntaxError) -> Finding {
    Finding::new(RULE.code, file, error.span, format!("invalid JSON: {}", error.message))
        .help("Azure accepts `//` and `/* */` comments, trailing commas and line breaks inside strings, but not single quotes, unquoted keys or missing commas")
}
