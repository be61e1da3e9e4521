//! WPS001 invalid-json: the check. Its page, `rules/WPS001.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS001`).

use crate::facts::Finding;
use crate::json::{Node, SyntaxError};
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

/// A member that ARM needs as an array or object but that holds another type: a template's
/// `resources` or a parameter file's `parameters`. The file parses, yet no deployment accepts
/// it, and without the member's contents the other rules would pass it as clean.
pub fn check_shape(file: FileId, root: &Node, member: &str, wanted: &str) -> Option<Finding> {
    let value = root.get(member)?;
    if value.as_array().is_some() || value.as_object().is_some() {
        return None;
    }
    let found = match value.type_name() {
        "null" => "null".to_string(),
        name => format!("a {name}"),
    };
    Some(
        Finding::new(
            "WPS001",
            file,
            value.span,
            format!("`{member}` must be {wanted}, but it is {found}"),
        )
        .help(format!(
            "ARM rejects a deployment whose `{member}` is not {wanted}"
        )),
    )
}
