//! WPS115 splr-literal-resource-id: the check. Its page, `rules/WPS115.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS115`).

use super::{property_name, resource_id_call, target_property};
use crate::expr::{StringForm, classify};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS115.md`.
pub const RULE: NativeRule = NativeRule::set("WPS115", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts
        .links
        .iter()
        .filter_map(|link| {
            let (field, anchor) = target_property(facts, link)?;
            let raw = field.node.as_str()?;
            let build = resource_id_call(field);
            matches!(classify(raw), StringForm::Literal(_)).then(|| {
                Finding::at(
                    RULE.code,
                    anchor,
                    format!(
                        "{} is a literal resource ID",
                        property_name(link.producer.target)
                    ),
                )
                .help(format!(
                    "build it with {build} from parameters, or take it from a parameter"
                ))
            })
        })
        .collect()
}
