//! WPS302 custom-cert-vault-unreachable: the check. Its page, `rules/WPS302.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS302`).

use crate::facts::approvals::{same_vault, vault_of};
use crate::facts::links::Target;
use crate::facts::{Evidence, Resolved, TemplateFacts};
use crate::json::Node;
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS302.md`.
pub const RULE: NativeRule = NativeRule::join("WPS302", join);

pub fn join(world: &Evidence) -> Vec<Resolved> {
    let mut findings = Vec::new();
    for certificate in world.certificates() {
        let Some((name, anchor)) = &certificate.base_uri else {
            continue;
        };
        let Some(vault) = world.vaults().find(|v| {
            v.deployed
                && v.name
                    .as_ref()
                    .is_some_and(|declared| same_vault(declared, name) == Some(true))
        }) else {
            continue;
        };
        let Some(reason) = &vault.denies else {
            continue;
        };
        let linked = world.deployed_links().any(|l| {
            // What cannot be read of a link counts only in the certificate's own deployment.
            let near = world.deployed_together(l.template, anchor.at.file);
            let same_service = match (&l.service, &certificate.child.service) {
                (Some(a), Some(b)) => a.same_as(b) != Some(false),
                _ => near,
            };
            same_service
                && match &l.target {
                    Target::Id(id) => {
                        vault_of(id).is_some_and(|v| same_vault(&v, name).unwrap_or(near))
                    }
                    _ => near,
                }
        });
        if linked {
            continue;
        }
        findings.push(
            Resolved::at(RULE.code, anchor, format!("vault `{name}` {reason}, and the service has no shared private link to it: the certificate cannot be fetched"))
                .related(vault.declared_here())
                .help("add a sharedPrivateLinkResources child with groupId `vault` and privateLinkResourceId set to the vault's resource ID, and approve the connection"),
        );
    }
    findings
}

/// Why the vault refuses public traffic, if it certainly does.
pub fn denies_public_access(
    facts: &TemplateFacts,
    vault: crate::facts::ResourceRef,
) -> Option<&'static str> {
    let literal = |path: &[&str]| {
        Property::get(facts, vault, path)?
            .text()?
            .as_literal()
            .map(str::to_ascii_lowercase)
    };
    if literal(&["properties", "publicNetworkAccess"]).as_deref() == Some("disabled") {
        return Some("has publicNetworkAccess disabled");
    }
    let no_ip_rules = Property::get(facts, vault, &["properties", "networkAcls", "ipRules"])
        .is_none_or(|p| p.node.as_array().is_some_and(<[Node]>::is_empty));
    (literal(&["properties", "networkAcls", "defaultAction"]).as_deref() == Some("deny")
        && no_ip_rules)
        .then_some("denies public traffic (networkAcls defaultAction Deny, no ipRules)")
}
