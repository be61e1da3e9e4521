//! WPS118 link-approval-not-needed (off by default).
//!
//! ## What it does
//! Reports an approval (a connection resource or an approve script) for a target that only
//! links of producers that approve their own endpoints connect to (Machine Learning and AI
//! Foundry managed networks), in the same template file. Data Explorer's endpoints are
//! approved automatically only when the deployer may approve on the target, so an approval for
//! them may be needed and is not reported.
//!
//! ## Why is this bad
//! It is harmless but does nothing the deployment needs; templates read more simply without it.

use super::{links_approved_by, name_property, target_links};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::producers::Approver;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let own = links_approved_by(facts, Approver::SelfApproved);
    let waiting = target_links(facts);
    facts.approvals
        .iter()
        .filter_map(|approval| {
            let l = own
                .iter()
                .find(|l| l.link.at.0 == approval.at.0 && approval.target.same(&l.key) == Some(true))?;
            let needed = waiting.iter().any(|w| approval.target.could_be(&w.key))
                || facts.endpoints.iter().any(|e| approval.target.could_be(&e.target));
            if needed {
                return None;
            }
            let name = name_property(facts, approval)?;
            let link = facts.resource(l.link.at);
            Some(
                Finding::at(
                    "WPS118",
                    name.anchor(),
                    format!(
                        "this approval is for {}, which only the {} `{}` connects to, and {} approves its own private endpoints",
                        approval.target.describe(),
                        l.link.producer.noun,
                        link.name.describe(),
                        l.link.producer.service_type
                    ),
                )
                .help("remove the approval; give the service's identity the right to approve connections on the target instead")
                .related(
                    facts.units[l.link.at.0].file,
                    link.node.get("name").map_or_else(Default::default, |n| n.span),
                    "the link that needs no approval",
                ),
            )
        })
        .collect()
}
