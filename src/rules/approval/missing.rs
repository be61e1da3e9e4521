//! WPS201 approval-missing: the check. Its page, `rules/WPS201.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS201`).

use foldhash::HashSet;

use super::{TargetLinks, wrong_target_link};
use crate::facts::Finding;
use crate::facts::{ResourceRef, TemplateFacts, Unless};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS201.md`.
pub const RULE: NativeRule = NativeRule::set("WPS201", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = TargetLinks::waiting(facts);
    // A link that an approval naming another target depends on is WPS205's finding.
    let misdirected: HashSet<ResourceRef> = facts
        .approvals
        .iter()
        .filter(|a| wrong_target_link(facts, a, &links).is_some())
        .flat_map(|a| facts.dependencies(a.at))
        .collect();
    let mut findings = Vec::new();
    for l in links.iter() {
        if misdirected.contains(&l.link.at) {
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
            RULE.code,
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
        let finding = finding
            .unless(Unless::ApprovalFor(l.key.clone()))
            .on(l.link);
        findings.push(if l.key.is_vault() {
            finding.with_vault(name)
        } else {
            finding
        });
    }
    findings
}
