//! WPS115 splr-literal-resource-id (off by default).
//!
//! ## What it does
//! Reports a `privateLinkResourceId` written as a literal string instead of being built with
//! `resourceId()` or taken from a parameter.
//!
//! ## Why is this bad
//! A literal subscription and resource group break when the template moves elsewhere.

use super::{property_name, target_property};
use crate::expr::{StringForm, classify};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts
        .links
        .iter()
        .filter_map(|link| {
            let (field, anchor) = target_property(facts, link)?;
            let raw = field.node.as_str()?;
            // The help names the type the literal ID is of, whatever the target.
            let build = match &link.target {
                Target::Id(id) => format!("resourceId('{}', ...)", id.type_name()),
                _ => "resourceId()".to_string(),
            };
            matches!(classify(raw), StringForm::Literal(_)).then(|| {
                Finding::at(
                    "WPS115",
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
