//! WPS106 splr-request-message-too-long: the check. Its page, `rules/WPS106.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS106`).

use super::{anchor, called};
use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::NativeRule;
use crate::rules::engine::unresolved_value::{UNRESOLVED_HELP, skipped};

/// Registered by this code; the rule's page is `rules/WPS106.md`.
pub const RULE: NativeRule = NativeRule::set("WPS106", check);

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
                return Some(skipped(RULE.code, at).help(UNRESOLVED_HELP));
            };
            let link_called = called(facts, link);
            (length > 140).then(|| {
                Finding::at(
                    RULE.code,
                    at,
                    format!(
                        "requestMessage of {link_called} has {length} characters; private endpoint request messages are limited to 140"
                    ),
                )
                .help("shorten it to at most 140 characters")
                .on(link)
            })
        })
        .collect()
}
