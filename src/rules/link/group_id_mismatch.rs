//! WPS103 splr-group-id-mismatch: the check. Its page, `rules/WPS103.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS103`).

use super::{anchor, property_name};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::Target;
use crate::facts::producers::target_groups;
use crate::rules::NativeRule;
use crate::rules::common::replace_string;

/// Registered by this code; the rule's page is `rules/WPS103.md`.
pub const RULE: NativeRule = NativeRule::set("WPS103", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &facts.links {
        let Target::Id(id) = &link.target else {
            continue;
        };
        let target = id.type_name();
        let expected = match target_groups(link.producer, &target) {
            Some(groups) if !groups.is_empty() => groups,
            _ => continue,
        };
        let unit = &facts.units[link.at.0];
        let name = property_name(link.producer.group);
        let wanted = match expected {
            [one] => format!("`{one}`"),
            many => format!(
                "one of {}",
                many.iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let help = format!("set {name} to {wanted}");
        let mut reports = Vec::new();
        if link.groups.is_empty() {
            let Some(holder) = link.group_holder.filter(|_| link.group_field.is_none()) else {
                continue;
            };
            reports.push((
                unit.anchor(link.at.1, holder),
                None,
                format!("{name} is missing; target type {target} needs {wanted}"),
            ));
        }
        for group in &link.groups {
            let Some(value) = group.literal() else {
                continue;
            };
            if expected.iter().any(|g| g.eq_ignore_ascii_case(&value)) {
                continue;
            }
            let message = if value.trim().is_empty() {
                format!("{name} is empty; target type {target} needs {wanted}")
            } else {
                format!("{name} `{value}` does not match target type {target}; use {wanted}")
            };
            let node = unit.anchored_value(link.at.1, group.node);
            reports.push((anchor(facts, link, group), Some(node), message));
        }
        for (at, node, message) in reports {
            let mut finding = Finding::at(RULE.code, at, message)
                .on(link)
                .help(help.clone());
            if let (Some(node), [one]) = (node, expected) {
                finding = replace_string(finding, node, &format!("Replace with `{one}`"), one);
            }
            if id.is_type(crate::facts::azure::KEY_VAULT) {
                finding = finding.with_vault(id.name());
            }
            findings.push(finding);
        }
    }
    findings
}
