//! WPS204 approval-orphaned: the check. Its page, `rules/WPS204.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS204`).

use super::{TargetLinks, name_property, wrong_target_link};
use crate::facts::Finding;
use crate::facts::{TemplateFacts, Unless};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS204.md`.
pub const RULE: NativeRule = NativeRule::set("WPS204", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = TargetLinks::waiting(facts);
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
                    RULE.code,
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
