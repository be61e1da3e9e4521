//! WPS204 approval-orphaned.
//!
//! ## What it does
//! Reports an approval for a vault that nothing in the analysis set connects to: no SPLR
//! targets it and no private endpoint connects to it.
//!
//! ## Why is this bad
//! It approves a connection that will not exist: usually a typo in the vault name, or the link
//! was removed and the approval left behind.

use super::{name_property, vault_links, wrong_vault_link};
use crate::analysis::AnalysisSet;
use crate::analysis::approvals::{same_vault, vault_of};
use crate::analysis::links::Target;
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let links = vault_links(set);
    set.approvals
        .iter()
        .filter_map(|approval| {
            let vault = approval.vault.as_ref()?;
            let could_match = |other: Option<&crate::expr::Text>| other.is_none_or(|o| same_vault(vault, o) != Some(false));
            let linked = set.links.iter().filter(|l| set.resource(l.at).deployed).any(|l| match &l.target {
                Target::Id(id) => vault_of(id).is_some_and(|v| could_match(Some(&v))),
                // A target we cannot read might be this vault.
                _ => true,
            });
            let endpoint = set.endpoints.iter().any(|e| could_match(e.vault.as_ref()));
            if linked || endpoint || wrong_vault_link(set, approval, &links).is_some() {
                return None;
            }
            let name = name_property(set, approval)?;
            Some(
                Finding::at(
                    "WPS204",
                    name.anchor(),
                    format!("this approval is for vault `{vault}`, but no shared private link or private endpoint in the analysis set connects to it"),
                )
                .help("check the vault name, or remove the approval if the link is gone"),
            )
        })
        .collect()
}
