//! WPS004 unresolved-value: the check. Its page, `rules/WPS004.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS004`).

use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS004.md`.
pub const RULE: NativeRule = NativeRule::set("WPS004", check);

/// What to do about a value no check could read.
pub const UNRESOLVED_HELP: &str = "to have it checked, give the value a default or a parameter-file value, or build it with resourceId()";

/// What a rule that needed a value it could not know reports instead.
pub fn skipped(code: &str, at: crate::facts::Anchor) -> Finding {
    Finding::at(
        RULE.code,
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
                    RULE.code,
                    facts.units[link.at.0].anchor(link.at.1, field.node),
                    format!("{name} cannot be known before deployment, so the checks of its target (WPS101-WPS104, WPS111, WPS201) skipped this {}", link.producer.noun),
                )
                .help(UNRESOLVED_HELP),
            )
        })
        .collect()
}
