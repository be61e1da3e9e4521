//! WPS106 splr-request-message-too-long.
//!
//! ## What it does
//! Reports a link's request message longer than 140 characters, for every producer whose
//! request message the template may set.
//!
//! ## Why is this bad
//! Private endpoint request messages are limited to 140 characters.

use super::anchor;
use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::engine::unresolved_value::{UNRESOLVED_HELP, skipped};

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter_map(|link| {
            let message = link.message.as_ref()?;
            let at = anchor(facts, link, message);
            let length = match &message.value {
                Value::Unknown | Value::Symbol(_) => None,
                Value::String(text) => text.as_literal().map(|t| t.chars().count()),
                _ => return None,
            };
            let Some(length) = length else {
                return Some(skipped("WPS106", at).help(UNRESOLVED_HELP));
            };
            let name = facts.resource(link.at).name.describe();
            (length > 140).then(|| {
                Finding::at(
                    "WPS106",
                    at,
                    format!(
                        "requestMessage of {} {name} has {length} characters; private endpoint request messages are limited to 140",
                        link.producer.noun
                    ),
                )
                .help("shorten it to at most 140 characters")
            })
        })
        .collect()
}
