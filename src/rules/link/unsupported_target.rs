//! WPS102 splr-unsupported-target: the check. Its page, `rules/WPS102.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS102`).

use super::target_property;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;
use crate::facts::producers::{target_groups, targets_text};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS102.md`.
pub const RULE: NativeRule = NativeRule::set("WPS102", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts
        .links
        .iter()
        .filter_map(|link| {
            let Target::Id(id) = &link.target else {
                return None;
            };
            let target = id.type_name();
            if target_groups(link.producer, &target).is_some() {
                return None;
            }
            let (_, anchor) = target_property(facts, link)?;
            // A child of a type the link can reach (a vault's secret) is the usual slip.
            let child_of_target = (1..id.types.len()).any(|depth| {
                target_groups(link.producer, &id.ancestor(depth).type_name()).is_some()
            });
            let help = if child_of_target {
                "point the link at the target resource itself, not at a child resource".to_string()
            } else {
                format!(
                    "point the link at a resource of a type {} supports",
                    link.service_type
                )
            };
            Some(
                Finding::at(
                    RULE.code,
                    anchor,
                    format!(
                        "{} cannot target `{target}`: {} supports {}",
                        link.producer.a_noun(),
                        link.service_type,
                        targets_text(link.producer)
                    ),
                )
                .help(help)
                .on(link),
            )
        })
        .collect()
}
