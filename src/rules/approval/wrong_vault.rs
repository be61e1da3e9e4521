//! WPS205 approval-wrong-vault.
//!
//! ## What it does
//! Reports an approval that depends on a link but sits under (or names) a different target than
//! the one that link targets.
//!
//! ## Why is this bad
//! It approves nothing the link needs; the link stays `Pending`.

use super::{name_property, target_links, wrong_target_link};
use crate::facts::Finding;
use crate::facts::TemplateFacts;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = target_links(facts);
    facts
        .approvals
        .iter()
        .filter_map(|approval| {
            let l = wrong_target_link(facts, approval, &links)?;
            let name = name_property(facts, approval)?;
            let mut finding = Finding::at(
                "WPS205",
                name.anchor(),
                format!(
                    "this approval is for {}, but the {} it depends on targets {}",
                    approval.target.describe(),
                    l.link.producer.noun,
                    l.key.describe()
                ),
            )
            .help(format!("approve the connection on {}", l.key.describe()));
            if let Some(field) = &l.link.target_field {
                finding = finding.related(
                    facts.units[l.link.at.0].file,
                    field.node.span,
                    "the link's target",
                );
            }
            Some(finding)
        })
        .collect()
}
