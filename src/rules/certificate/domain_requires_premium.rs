//! WPS304 custom-domain-requires-premium.
//!
//! ## What it does
//! Reports a service with custom domains or custom certificates that is not on a Premium SKU.
//!
//! ## Why is this bad
//! Custom domains and certificates are a Premium feature; the deployment fails.

use crate::facts::Finding;
use crate::facts::azure::PREMIUM_SKUS;
use crate::facts::{Evidence, Resolved, ResourceRef, TemplateFacts};
use crate::rules::common::Property;

pub fn join(world: &Evidence) -> Vec<Resolved> {
    let children = world
        .certificates()
        .map(|c| &c.child)
        .chain(world.domains());
    world
        .services_with(children)
        .into_iter()
        .flat_map(|s| s.findings.iter().filter(|f| f.code == "WPS304").cloned())
        .collect()
}

/// The finding a service below Premium gets when it has custom domains or certificates.
pub fn finding(facts: &TemplateFacts, service: ResourceRef) -> Option<Finding> {
    let sku = Property::get(facts, service, &["sku", "name"])?;
    let name = sku.text()?.as_literal()?.to_string();
    (!PREMIUM_SKUS.iter().any(|p| p.eq_ignore_ascii_case(&name))).then(|| {
        Finding::at(
            "WPS304",
            sku.anchor(),
            format!("custom domains and certificates need a Premium SKU, not `{name}`"),
        )
        .help("use \"Premium_P1\" or \"Premium_P2\"")
    })
}
