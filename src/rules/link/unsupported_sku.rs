//! WPS108 splr-unsupported-sku: the check. Its page, `rules/WPS108.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS108`).

use crate::facts::Finding;
use crate::facts::producers::{Tier, producer_of_service};
use crate::facts::{Evidence, Resolved, ResourceRef, ServiceFact, TemplateFacts};
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS108.md`.
pub const RULE: NativeRule = NativeRule::join("WPS108", join);

/// The finding a service on a tier without links gets when a link of it is anywhere in the set.
pub fn finding(facts: &TemplateFacts, service: ResourceRef) -> Option<Finding> {
    let producer = producer_of_service(&facts.resource(service).type_name)?;
    let sku = Property::get(facts, service, &["sku", "name"])?;
    let name = sku.text()?.as_literal()?.to_string();
    let is = |s: &str| name.eq_ignore_ascii_case(s);
    let (refused, help) = match producer.tier {
        Tier::None => return None,
        Tier::Names(names) => (
            names.iter().any(|n| is(n)),
            "use the SKU `Standard_S1`, `Premium_P1` or `Premium_P2`".to_string(),
        ),
        Tier::Only(only) => (!is(only), format!("use the SKU `{only}`")),
        Tier::Search => {
            let high_density = Property::get(facts, service, &["properties", "hostingMode"])
                .and_then(|p| p.text())
                .and_then(|t| {
                    t.as_literal()
                        .map(|m| m.eq_ignore_ascii_case("highDensity"))
                })
                .unwrap_or(false);
            (
                is("free") || is("serverless") || (is("standard3") && high_density),
                "use the SKU `basic` or a standard tier (`standard3` only with hostingMode `default`)"
                    .to_string(),
            )
        }
    };
    if !refused {
        return None;
    }
    let message = if producer.is_signalr_family() {
        format!("sku `{name}` cannot have shared private links: they need Standard_S1 or Premium")
    } else {
        format!(
            "sku `{name}` cannot have {}s: {} needs another tier",
            producer.noun, producer.service_type
        )
    };
    Some(Finding::at(RULE.code, sku.anchor(), message).help(help))
}

pub fn join(world: &Evidence) -> Vec<Resolved> {
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
        .flat_map(|s| s.findings.iter().filter(|f| f.code == RULE.code).cloned())
        .collect()
}
