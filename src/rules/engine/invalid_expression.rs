//! WPS002 invalid-expression.
//!
//! ## What it does
//! Reports a string in `[...]` that is not a valid template expression: unbalanced parentheses
//! or quotes, or text that is not a function call, literal, property access or index.
//! `[[` at the start escapes a literal `[` and is not an expression.
//!
//! ## Why is this bad
//! ARM rejects the template at validation time; until then no rule can evaluate the value.

use crate::facts::Finding;
use crate::facts::Unit;

pub fn check(input: &Unit) -> Vec<Finding> {
    input
        .template
        .expressions
        .iter()
        .filter_map(|site| {
            let error = site.parsed.as_ref().err()?;
            Some(
                Finding::new(
                    "WPS002",
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
