//! WPS108 splr-unsupported-sku.
//!
//! ## What it does
//! Reports a service on a tier that cannot have links, once per service that has a link in
//! the analysis set, at its `sku.name`: Web PubSub and SignalR `Free_F1`; AI Search `free`,
//! `serverless`, or `standard3` with `hostingMode: highDensity`; Front Door other than
//! `Premium_AzureFrontDoor`; Grafana other than `Standard`.
//!
//! ## Why is this bad
//! Shared private endpoints need Standard or Premium; the link is rejected.

use crate::facts::Finding;
use crate::facts::producers::{Tier, producer_of_service};
use crate::facts::{Evidence, Resolved, ResourceRef, ServiceFact, TemplateFacts};
use crate::rules::common::Property;

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
            "use \"Standard_S1\", \"Premium_P1\" or \"Premium_P2\"".to_string(),
        ),
        Tier::Only(only) => (!is(only), format!("use \"{only}\"")),
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
                "use \"basic\" or a standard tier (standard3 only with hostingMode default)"
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
    Some(Finding::at("WPS108", sku.anchor(), message).help(help))
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
        .flat_map(|s| s.findings.iter().filter(|f| f.code == "WPS108").cloned())
        .collect()
}
