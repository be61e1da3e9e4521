//! WPS114 splr-placeholder-resource-id: the check. Its page, `rules/WPS114.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS114`).

use super::{property_name, resource_id_call, target_property};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS114.md`.
pub const RULE: NativeRule = NativeRule::set("WPS114", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts
        .links
        .iter()
        .filter_map(|link| {
            let Target::Placeholder(placeholder) = &link.target else {
                return None;
            };
            let (field, anchor) = target_property(facts, link)?;
            Some(
                Finding::at(
                    RULE.code,
                    anchor,
                    format!(
                        "{} still holds the placeholder `{placeholder}`",
                        property_name(link.producer.target)
                    ),
                )
                .help(format!(
                    "build the ID with {} from parameters, or pass the real ID as a parameter",
                    resource_id_call(field)
                ))
                .on(link),
            )
        })
        .collect()
}
