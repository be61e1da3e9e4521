//! WPS103 splr-group-id-mismatch.
//!
//! ## What it does
//! Reports a `groupId` that does not fit the target: `vault` for Key Vault (singular), `sites`
//! for web apps, `table` for storage; a missing or empty `groupId` too.
//!
//! ## Why is this bad
//! The private endpoint cannot be created for a sub-resource the target does not have.

use crate::analysis::AnalysisSet;
use crate::analysis::azure::supported_target;
use crate::analysis::links::Target;
use crate::rules::Finding;
use crate::rules::common::{Property, replace_string};

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &set.links {
        let Target::Id(id) = &link.target else {
            continue;
        };
        let target = id.type_name();
        let Some(Some(expected)) = supported_target(link.service_type, &target) else {
            continue;
        };
        let (anchor, node, message) = match Property::get(set, link.at, &["properties", "groupId"])
        {
            None => {
                let Some(properties) = Property::get(set, link.at, &["properties"]) else {
                    continue;
                };
                (
                    properties.anchor(),
                    None,
                    format!("groupId is missing; target type {target} needs `{expected}`"),
                )
            }
            Some(property) => {
                let Some(value) = property
                    .text()
                    .and_then(|t| t.as_literal().map(str::to_string))
                else {
                    continue;
                };
                if value.eq_ignore_ascii_case(expected) {
                    continue;
                }
                let message = if value.trim().is_empty() {
                    format!("groupId is empty; target type {target} needs `{expected}`")
                } else {
                    format!(
                        "groupId `{value}` does not match target type {target}; use `{expected}`"
                    )
                };
                (property.anchor(), Some(property.anchored_node()), message)
            }
        };
        let mut finding =
            Finding::at("WPS103", anchor, message).help(format!("set \"groupId\": \"{expected}\""));
        if let Some(node) = node {
            finding = replace_string(
                finding,
                node,
                &format!("Replace with `{expected}`"),
                expected,
            );
        }
        if expected == "vault" {
            finding = finding.with_vault(id.name());
        }
        findings.push(finding);
    }
    findings
}
