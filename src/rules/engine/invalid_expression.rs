//! WPS002 invalid-expression: the check. Its page, `rules/WPS002.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS002`).

use crate::facts::Finding;
use crate::facts::Unit;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS002.md`.
pub const RULE: NativeRule = NativeRule::unit("WPS002", check);

pub fn check(input: &Unit) -> Vec<Finding> {
    input
        .template
        .expressions
        .iter()
        .filter_map(|site| {
            let error = site.parsed().as_ref().err()?;
            Some(
                Finding::new(
                    RULE.code,
                    input.file,
                    site.node.span,
                    format!(
                        "invalid template expression: {} (at character {} of `[{}]`)",
                        error.message,
                        site.text[..error.offset as usize].chars().count() + 2,
                        ellipsis(site.text)
                    ),
                )
                .help("to write a literal string that starts with `[`, start it with `[[`"),
            )
        })
        .collect()
}

fn ellipsis(text: &str) -> String {
    if text.chars().count() <= 60 {
        text.to_string()
    } else {
        text.chars().take(57).collect::<String>() + "..."
    }
}
