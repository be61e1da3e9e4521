//! WPS004 unresolved-value (off by default).
//!
//! ## What it does
//! Reports a value a rule needed but could not know before deployment (it comes from
//! `reference()`, a parameter without a value where its structure matters, ...), so that rule
//! skipped it. For users who ask why a check stayed silent.
//!
//! ## Why is this bad
//! It is not: it explains silence. Turn it on with `WPS004 = "info"` in wps-lint.toml.

use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;

/// What to do about a value no check could read.
pub const UNRESOLVED_HELP: &str = "to have it checked, give the value a default or a parameter-file value, or build it with resourceId()";

/// What a rule that needed a value it could not know reports instead.
pub fn skipped(code: &str, at: crate::facts::Anchor) -> Finding {
    Finding::at(
        "WPS004",
        at,
        format!("{code} skipped this value: it cannot be known before deployment"),
    )
}

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter(|link| link.target == Target::Unknown)
        .filter_map(|link| {
            let field = link.target_field.as_ref()?;
            let name = link.producer.target[1..].join(".");
            Some(
                Finding::at(
                    "WPS004",
                    facts.units[link.at.0].anchor(link.at.1, field.node),
                    format!("{name} cannot be known before deployment, so the checks of its target (WPS101-WPS104, WPS111, WPS201) skipped this {}", link.producer.noun),
                )
                .help(UNRESOLVED_HELP),
            )
        })
        .collect()
}
