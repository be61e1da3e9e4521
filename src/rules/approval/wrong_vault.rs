//! WPS205 approval-wrong-vault: the check. Its page, `rules/WPS205.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS205`).

use super::{TargetLinks, name_property, wrong_target_link};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS205.md`.
pub const RULE: NativeRule = NativeRule::set("WPS205", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = TargetLinks::waiting(facts);
    facts
        .approvals
        .iter()
        .filter_map(|approval| {
            let l = wrong_target_link(facts, approval, &links)?;
            let name = name_property(facts, approval)?;
            let mut finding = Finding::at(
                RULE.code,
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
