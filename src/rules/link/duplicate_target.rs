//! WPS111 splr-duplicate-target.
//!
//! ## What it does
//! Reports the second of two SPLRs of one service that target the same resource with the same
//! `groupId` (document order, files sorted by path). One template linted with two parameter
//! files is two alternative deployments, not two links.
//!
//! ## Why is this bad
//! The service already has that private endpoint; the duplicate fails or fights the first.

use super::resource_id_property;
use crate::analysis::approvals::vault_of;
use crate::analysis::links::{SharedLink, Target};
use crate::analysis::{AnalysisSet, ResourceRef};
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let deployed: Vec<&SharedLink> = set
        .links
        .iter()
        .filter(|l| set.resource(l.at).deployed)
        .collect();
    let mut findings = Vec::new();
    for (n, second) in deployed.iter().enumerate() {
        let Some(first) = deployed[..n].iter().find(|first| {
            !set.alternatives(first.at.0, second.at.0) && duplicates(set, first, second)
        }) else {
            continue;
        };
        let (Some(property), Some(earlier)) = (
            resource_id_property(set, second),
            resource_id_property(set, first),
        ) else {
            continue;
        };
        let target = property.text().map(|t| t.to_string()).unwrap_or_default();
        findings.push(
            Finding::at(
                "WPS111",
                property.anchor(),
                format!("this service already has a shared private link to `{target}` with the same groupId"),
            )
            .related(earlier.unit.file, earlier.node.span, "the first link to it")
            .help("remove one of the two links"),
        );
    }
    findings
}

fn duplicates(set: &AnalysisSet, a: &SharedLink, b: &SharedLink) -> bool {
    let same_service = match (&a.service, &b.service) {
        (Some(x), Some(y)) => x.same_as(y) == Some(true),
        _ => false,
    };
    let same_target = match (&a.target, &b.target) {
        // Vault names are globally unique: the name decides when a scope is unknown.
        (Target::Id(x), Target::Id(y)) => match (vault_of(x), vault_of(y)) {
            (Some(v), Some(w)) if x.types.len() == 1 && y.types.len() == 1 => {
                v.equals(&w, true) == Some(true)
            }
            _ => x.same_as(y) == Some(true),
        },
        _ => false,
    };
    same_service
        && same_target
        && group_id(set, a.at)
            .zip(group_id(set, b.at))
            .is_some_and(|(x, y)| x.eq_ignore_ascii_case(&y))
}

fn group_id(set: &AnalysisSet, at: ResourceRef) -> Option<String> {
    Property::get(set, at, &["properties", "groupId"])?
        .text()?
        .as_literal()
        .map(str::to_string)
}
