//! WPS201 approval-missing.
//!
//! ## What it does
//! Reports an SPLR that targets a Key Vault when nothing in the analysis set approves a
//! connection on that vault (a connection resource of any status, or a deployment script that
//! runs an approve command).
//!
//! ## Why is this bad
//! Until someone approves it on the vault, the link stays `Pending` and the service cannot
//! reach the vault: certificates are never fetched.

use super::{vault_links, wrong_vault_link};
use crate::analysis::azure::KEY_VAULT;
use crate::analysis::{AnalysisSet, Unless};
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let links = vault_links(set);
    let mut findings = Vec::new();
    for l in &links {
        // An approval that depends on this link but names another vault is WPS205's finding.
        let misdirected = set
            .approvals
            .iter()
            .any(|a| set.depends_on(a.at, l.link.at) && wrong_vault_link(set, a, &links).is_some());
        if misdirected {
            continue;
        }
        let Some(property) =
            Property::get(set, l.link.at, &["properties", "privateLinkResourceId"])
        else {
            continue;
        };
        let group = l
            .link
            .target_of_type(KEY_VAULT)
            .and_then(|id| id.resource_group())
            .and_then(|g| g.as_literal().map(str::to_string))
            .unwrap_or_else(|| "<resource group>".into());
        let vault = l
            .vault
            .as_literal()
            .map_or_else(|| format!("<{}>", l.vault), str::to_string);
        let finding = Finding::at(
            "WPS201",
            property.anchor(),
            format!(
                "nothing approves the connection this shared private link creates on vault `{}`: it stays Pending and {} cannot reach the vault",
                l.vault, l.link.service_type
            ),
        )
        .help(format!(
            "declare a Microsoft.KeyVault/vaults/privateEndpointConnections resource with status Approved that depends on the link, or approve it on the vault after deployment: az network private-endpoint-connection list --name {vault} --resource-group {group} --type Microsoft.KeyVault/vaults --query \"[?properties.privateLinkServiceConnectionState.status=='Pending'].id\" -o tsv | xargs -n1 az network private-endpoint-connection approve --description \"Approved for {}\" --id",
            l.link.service_type
        ));
        // Any approval anywhere in the analysis set that may be for this vault will do.
        findings.push(
            finding
                .unless(Unless::ApprovalFor(l.vault.clone()))
                .with_vault(l.vault),
        );
    }
    findings
}
