//! WPS205 approval-wrong-vault.
//!
//! ## What it does
//! Reports an approval that depends on an SPLR but sits under (or names) a different vault than
//! the one that SPLR targets.
//!
//! ## Why is this bad
//! It approves nothing the link needs; the link stays `Pending`.

use super::{name_property, vault_links, wrong_vault_link};
use crate::analysis::AnalysisSet;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let links = vault_links(set);
    set.approvals
        .iter()
        .filter_map(|approval| {
            let link = wrong_vault_link(set, approval, &links)?;
            let name = name_property(set, approval)?;
            let target = links.iter().find(|l| std::ptr::eq(l.link, link))?.vault;
            let mut finding = Finding::at(
                "WPS205",
                name.anchor(),
                format!(
                    "this approval is for vault `{}`, but the shared private link it depends on targets vault `{target}`",
                    approval.vault.as_ref()?
                ),
            )
            .help(format!("approve the connection on vault `{target}`"));
            if let Some(id) = Property::get(set, link.at, &["properties", "privateLinkResourceId"]) {
                finding = finding.related(id.unit.file, id.node.span, "the link's target");
            }
            Some(finding)
        })
        .collect()
}
