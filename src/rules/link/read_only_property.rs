//! WPS107 splr-read-only-property.
//!
//! ## What it does
//! Reports a property the link's producer marks read only that the template sets: `status`
//! and `provisioningState` of Web PubSub, SignalR and Database Watcher links, the connection
//! state of Data Factory and Grafana endpoints, Stream Analytics' `requestMessage`. AI Search
//! and Front Door `status` are writable and never reported.
//!
//! ## Why is this bad
//! The service reports these values; a template cannot approve its own link.

use crate::facts::Finding;
use crate::facts::TemplateFacts;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &facts.links {
        let unit = &facts.units[link.at.0];
        let name = facts.resource(link.at).name.describe();
        let noun = link.producer.noun;
        for path in link.producer.read_only {
            let Some(node) = link.base.path(path) else {
                continue;
            };
            let value = unit.template.eval(link.at.1, node).describe();
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
            let help = if property == "status" && link.producer.is_signalr_family() {
                "remove `status`; approve the connection on the vault (a privateEndpointConnections resource or the approve command)".to_string()
            } else {
                help
            };
            findings.push(
                Finding::at(
                    "WPS107",
                    unit.anchor(link.at.1, node),
                    format!("`{property}` of {noun} {name} is read only (the template sets {value}): {reason}"),
                )
                .help(help),
            );
        }
    }
    findings
}
