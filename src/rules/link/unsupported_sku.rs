//! WPS108 splr-unsupported-sku.
//!
//! ## What it does
//! Reports a service on the free tier (`Free_F1`) that has a shared private link in the
//! analysis set, once per service, at its `sku.name`.
//!
//! ## Why is this bad
//! Shared private endpoints need Standard or Premium; the link is rejected.

use crate::analysis::azure::FREE_SKU;
use crate::analysis::{AnalysisSet, Resolved, ResourceRef, ServiceFact, World};
use crate::rules::Finding;
use crate::rules::common::Property;

/// The finding a service on the free tier gets when a link of it is anywhere in the set.
pub fn finding(set: &AnalysisSet, service: ResourceRef) -> Option<Finding> {
    let sku = Property::get(set, service, &["sku", "name"])?;
    let name = sku.text()?.as_literal()?.to_string();
    name.eq_ignore_ascii_case(FREE_SKU).then(|| {
        Finding::at(
            "WPS108",
            sku.anchor(),
            format!(
                "sku `{name}` cannot have shared private links: they need Standard_S1 or Premium"
            ),
        )
        .help("use \"Standard_S1\", \"Premium_P1\" or \"Premium_P2\"")
    })
}

pub fn join(world: &World) -> Vec<Resolved> {
    let mut services = Vec::new();
    for link in world.deployed_links() {
        if let Some(service) = link
            .service
            .as_ref()
            .and_then(|id| world.service(link.service_type, id))
            && !services
                .iter()
                .any(|s: &&ServiceFact| std::ptr::eq(*s, service))
        {
            services.push(service);
        }
    }
    services
        .into_iter()
        .flat_map(|s| s.findings.iter().filter(|f| f.code == "WPS108").cloned())
        .collect()
}
