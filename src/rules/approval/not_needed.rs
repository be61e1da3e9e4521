//! WPS118 link-approval-not-needed: the check. Its page, `rules/WPS118.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS118`).

use super::{TargetLinks, name_property};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::producers::Approver;
use crate::rules::NativeRule;
use crate::rules::common::quoted_name;

/// Registered by this code; the rule's page is `rules/WPS118.md`.
pub const RULE: NativeRule = NativeRule::set("WPS118", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let own = TargetLinks::approved_by(facts, Approver::SelfApproved);
    let waiting = TargetLinks::waiting(facts);
    facts.approvals
        .iter()
        .filter_map(|approval| {
            let l = own
                .may_target(&approval.target)
                .find(|l| l.link.at.0 == approval.at.0 && approval.target.same(&l.key) == Some(true))?;
            let needed = waiting.may_target(&approval.target).any(|w| approval.target.could_be(&w.key))
                || facts.endpoints.iter().any(|e| approval.target.could_be(&e.target));
            if needed {
                return None;
            }
            let name = name_property(facts, approval)?;
            let link = facts.resource(l.link.at);
            Some(
                Finding::at(
                    RULE.code,
                    name.anchor(),
                    format!(
                        "this approval is for {}, which only the {}{} connects to, and {} approves its own private endpoints",
                        approval.target.describe(),
                        l.link.producer.noun,
                        quoted_name(&link.name),
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
