//! WPS304 custom-domain-requires-premium: the check. Its page, `rules/WPS304.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS304`).

use crate::facts::Finding;
use crate::facts::azure::PREMIUM_SKUS;
use crate::facts::{Evidence, Resolved, ResourceRef, TemplateFacts};
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS304.md`.
pub const RULE: NativeRule = NativeRule::join("WPS304", join);

pub fn join(world: &Evidence) -> Vec<Resolved> {
    let children = world
        .certificates()
        .map(|c| &c.child)
        .chain(world.domains());
    world
        .services_with(children)
        .into_iter()
        .flat_map(|s| s.findings.iter().filter(|f| f.code == RULE.code).cloned())
        .collect()
}

/// The finding a service below Premium gets when it has custom domains or certificates.
pub fn finding(facts: &TemplateFacts, service: ResourceRef) -> Option<Finding> {
    let sku = Property::get(facts, service, &["sku", "name"])?;
    let name = sku.text()?.as_literal()?.to_string();
    (!PREMIUM_SKUS.iter().any(|p| p.eq_ignore_ascii_case(&name))).then(|| {
        Finding::at(
            RULE.code,
            sku.anchor(),
            format!("custom domains and certificates need a Premium SKU, not `{name}`"),
        )
        .help("use the SKU `Premium_P1` or `Premium_P2`")
    })
}
