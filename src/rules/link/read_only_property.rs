//! WPS107 splr-read-only-property: the check. Its page, `rules/WPS107.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS107`).

use super::called;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS107.md`.
pub const RULE: NativeRule = NativeRule::set("WPS107", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &facts.links {
        let unit = &facts.units[link.at.0];
        let link_called = called(facts, link);
        for (path, field) in &link.read_only {
            let value = field.value.describe();
            let property = path.last().copied().unwrap_or_default();
            let approves = matches!(
                property,
                "status" | "connectionState" | "privateLinkServiceConnectionState"
            );
            let (reason, help) = if approves {
                (
                    "a template cannot approve its own link; approve the connection on the target"
                        .to_string(),
                    format!(
                        "remove `{property}`; approve the connection on the target (a privateEndpointConnections resource or the approve command)"
                    ),
                )
            } else {
                (
                    "the service reports it".to_string(),
                    format!("remove `{property}`"),
                )
            };
            findings.push(
                Finding::at(
                    RULE.code,
                    unit.anchor(link.at.1, field.node),
                    format!("`{property}` of {link_called} is read only (the template sets {value}): {reason}"),
                )
                .help(help)
                .on(link),
            );
        }
    }
    findings
}
