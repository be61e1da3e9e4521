//! WPS302 custom-cert-vault-unreachable.
//!
//! ## What it does
//! Reports a custom certificate whose vault (declared in the analysis set) denies public
//! access, when the service has no shared private link to that vault.
//!
//! ## Why is this bad
//! The service cannot reach the vault: Web PubSub and SignalR are not trusted services that
//! `bypass: AzureServices` lets through.

use super::base_uri;
use crate::analysis::AnalysisSet;
use crate::analysis::approvals::{same_vault, vault_of};
use crate::analysis::azure::KEY_VAULT;
use crate::analysis::certificates::{BaseUri, certificates, classify_base_uri};
use crate::analysis::links::Target;
use crate::json::Node;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for certificate in certificates(set) {
        let Some(property) = base_uri(set, &certificate) else {
            continue;
        };
        let Some(BaseUri::Vault(name)) = property.text().map(|t| classify_base_uri(&t)) else {
            continue;
        };
        let Some(vault) = set.resources_of(KEY_VAULT).find(|&at| {
            let r = set.resource(at);
            r.deployed
                && r.id
                    .as_ref()
                    .is_some_and(|id| same_vault(id.name(), &name) == Some(true))
        }) else {
            continue;
        };
        let Some(reason) = denies_public_access(set, vault) else {
            continue;
        };
        let linked = set
            .links
            .iter()
            .filter(|l| set.resource(l.at).deployed)
            .any(|l| {
                let same_service = match (&l.service, &certificate.service) {
                    (Some(a), Some(b)) => a.same_as(b) != Some(false),
                    _ => true,
                };
                same_service
                    && match &l.target {
                        Target::Id(id) => {
                            vault_of(id).is_some_and(|v| same_vault(&v, &name) != Some(false))
                        }
                        _ => true,
                    }
            });
        if linked {
            continue;
        }
        let declared = set
            .resource(vault)
            .node
            .get("name")
            .map(|n| n.span)
            .unwrap_or_default();
        findings.push(
            Finding::at(
                "WPS302",
                property.anchor(),
                format!("vault `{name}` {reason}, and the service has no shared private link to it: the certificate cannot be fetched"),
            )
            .related(set.units[vault.0].file, declared, "the vault is declared here")
            .help("add a sharedPrivateLinkResources child with groupId `vault` and privateLinkResourceId set to the vault's resource ID, and approve the connection"),
        );
    }
    findings
}

/// Why the vault refuses public traffic, if it certainly does.
fn denies_public_access(
    set: &AnalysisSet,
    vault: crate::analysis::ResourceRef,
) -> Option<&'static str> {
    let literal = |path: &[&str]| {
        Property::get(set, vault, path)?
            .text()?
            .as_literal()
            .map(str::to_ascii_lowercase)
    };
    if literal(&["properties", "publicNetworkAccess"]).as_deref() == Some("disabled") {
        return Some("has publicNetworkAccess disabled");
    }
    let no_ip_rules = Property::get(set, vault, &["properties", "networkAcls", "ipRules"])
        .is_none_or(|p| p.node.as_array().is_some_and(<[Node]>::is_empty));
    (literal(&["properties", "networkAcls", "defaultAction"]).as_deref() == Some("deny")
        && no_ip_rules)
        .then_some("denies public traffic (networkAcls defaultAction Deny, no ipRules)")
}
