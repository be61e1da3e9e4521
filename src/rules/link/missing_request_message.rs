//! WPS105 splr-missing-request-message: the check. Its page, `rules/WPS105.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS105`).

use super::{anchor, called, named};
use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::SharedLink;
use crate::rules::NativeRule;
use crate::rules::engine::unresolved_value::{UNRESOLVED_HELP, skipped};

/// Registered by this code; the rule's page is `rules/WPS105.md`.
pub const RULE: NativeRule = NativeRule::set("WPS105", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter(|link| link.producer.request_message.is_some())
        .filter_map(|link| {
            let link_called = called(facts, link);
            // An instance's name may be a loop's symbolic one, and a name may be unknown: the
            // finding's place (and instance) say which link.
            let to = named(facts, link).map_or_else(String::new, |name| format!(" to {name}"));
            let finding = |at| {
                Finding::at(RULE.code, at, format!("{link_called} has no request message: the owner of its target sees a connection request with no context"))
                    .help(format!("add a requestMessage{to}: a short note saying which service asks and why"))
                    .on(link)
            };
            match &link.message {
                None => {
                    let node = link
                        .group_field
                        .as_ref()
                        .map(|g| g.node)
                        .or(link.group_holder)?;
                    Some(finding(facts.units[link.at.0].anchor(link.at.1, node)))
                }
                Some(message) => match blank(&message.value) {
                    Some(true) => Some(finding(where_to_point(facts, link))),
                    Some(false) => None,
                    None => Some(skipped(RULE.code, anchor(facts, link, message)).help(UNRESOLVED_HELP)),
                },
            }
        })
        .collect()
}

/// The group ID when there is one, else the object that holds it.
fn where_to_point(facts: &TemplateFacts, link: &SharedLink) -> crate::facts::Anchor {
    let node = link
        .group_field
        .as_ref()
        .map(|g| g.node)
        .or(link.group_holder)
        .or(link.message.as_ref().map(|m| m.node))
        .unwrap_or(link.base);
    facts.units[link.at.0].anchor(link.at.1, node)
}

/// Whether a message says nothing: blank text, or a known value that is not text.
/// `None` when it cannot be known.
fn blank(value: &Value) -> Option<bool> {
    match value {
        Value::Unknown | Value::Symbol(_) => None,
        Value::String(text) => Some(text.as_literal()?.trim().is_empty()),
        _ => Some(true),
    }
}
