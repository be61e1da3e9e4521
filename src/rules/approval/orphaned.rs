//! WPS204 approval-orphaned.
//!
//! ## What it does
//! Reports an approval for a target that nothing in the analysis set connects to: no link of
//! any producer targets it and no private endpoint connects to it.
//!
//! ## Why is this bad
//! It approves a connection that will not exist: usually a typo in the target's name, or the
//! link was removed and the approval left behind.

use super::{name_property, target_links, wrong_target_link};
use crate::facts::Finding;
use crate::facts::{TemplateFacts, Unless};

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = target_links(facts);
    facts.approvals
        .iter()
        .filter_map(|approval| {
            approval.target.name.as_ref()?;
            if wrong_target_link(facts, approval, &links).is_some() {
                return None;
            }
            let name = name_property(facts, approval)?;
            Some(
                Finding::at(
                    "WPS204",
                    name.anchor(),
                    format!("this approval is for {}, but no shared private link or private endpoint in the analysis set connects to it", approval.target.describe()),
                )
                .help("check the target's name, or remove the approval if the link is gone")
                // A link or private endpoint anywhere in the analysis set may connect to it.
                .unless(Unless::ConnectionTo(approval.target.clone())),
            )
        })
        .collect()
}
