//! WPS201 approval-missing.
//!
//! ## What it does
//! Reports a link whose target's owner must approve it (a Key Vault, storage account, web app
//! or any other resource with private endpoint connections) when nothing in the analysis set
//! approves a connection on that target (a connection resource of any status, or a deployment
//! script that runs an approve command). Producers that approve their own endpoints are not
//! checked.
//!
//! ## Why is this bad
//! Until someone approves it on the target, the link stays `Pending` and the service cannot
//! reach the target.

use super::{target_links, wrong_target_link};
use crate::facts::Finding;
use crate::facts::{TemplateFacts, Unless};

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = target_links(facts);
    let mut findings = Vec::new();
    for l in &links {
        // An approval that depends on this link but names another target is WPS205's finding.
        let misdirected = facts.approvals.iter().any(|a| {
            facts.depends_on(a.at, l.link.at) && wrong_target_link(facts, a, &links).is_some()
        });
        if misdirected {
            continue;
        }
        let Some(field) = &l.link.target_field else {
            continue;
        };
        let unit = &facts.units[l.link.at.0];
        let name = l.id.name();
        let group =
            l.id.resource_group()
                .and_then(|g| g.as_literal().map(str::to_string))
                .unwrap_or_else(|| "<resource group>".into());
        let shown = name
            .as_literal()
            .map_or_else(|| format!("<{name}>"), str::to_string);
        let (kind, display, service) = (
            l.target.type_name,
            l.target.display,
            l.link.producer.service_type,
        );
        let finding = Finding::at(
            "WPS201",
            unit.anchor(l.link.at.1, field.node),
            format!(
                "nothing approves the connection this {} creates on {display} `{name}`: it stays Pending and {service} cannot reach the {display}",
                l.link.producer.noun
            ),
        )
        .help(format!(
            "declare a {kind}/privateEndpointConnections resource with status Approved that depends on the link, or approve it on the {display} after deployment: az network private-endpoint-connection list --name {shown} --resource-group {group} --type {kind} --query \"[?properties.privateLinkServiceConnectionState.status=='Pending'].id\" -o tsv | xargs -n1 az network private-endpoint-connection approve --description \"Approved for {service}\" --id"
        ));
        // Any approval anywhere in the analysis set that may be for this target will do.
        let finding = finding.unless(Unless::ApprovalFor(l.key.clone()));
        findings.push(if l.key.is_vault() {
            finding.with_vault(name)
        } else {
            finding
        });
    }
    findings
}
