//! WPS114 splr-placeholder-resource-id.
//!
//! ## What it does
//! Reports a `privateLinkResourceId` that still holds a documentation placeholder: the all-zero
//! subscription, or a `{...}` or `<...>` segment. Such an ID gets no WPS101, WPS104 or WPS201.
//!
//! ## Why is this bad
//! The template was copied from an example and never filled in; the link points nowhere.

use super::{property_name, target_property};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter_map(|link| {
            let Target::Placeholder(placeholder) = &link.target else {
                return None;
            };
            let (_, anchor) = target_property(facts, link)?;
            Some(
                Finding::at(
                    "WPS114",
                    anchor,
                    format!("{} still holds the placeholder `{placeholder}`", property_name(link.producer.target)),
                )
                .help("build the ID with resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName')) or pass the real ID as a parameter"),
            )
        })
        .collect()
}
