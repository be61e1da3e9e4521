//! WPS108 splr-unsupported-sku.
//!
//! ## What it does
//! Reports a service on the free tier (`Free_F1`) that has a shared private link in the
//! analysis set, once per service, at its `sku.name`.
//!
//! ## Why is this bad
//! Shared private endpoints need Standard or Premium; the link is rejected.

use crate::analysis::AnalysisSet;
use crate::analysis::azure::FREE_SKU;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut services = Vec::new();
    for link in set.links.iter().filter(|l| set.resource(l.at).deployed) {
        let Some(service) = link
            .service
            .as_ref()
            .and_then(|id| set.find(link.service_type, id))
        else {
            continue;
        };
        if !services.contains(&service) {
            services.push(service);
        }
    }
    services
        .into_iter()
        .filter_map(|service| {
            let sku = Property::get(set, service, &["sku", "name"])?;
            let name = sku.text()?.as_literal()?.to_string();
            name.eq_ignore_ascii_case(FREE_SKU).then(|| {
                Finding::at(
                    "WPS108",
                    sku.anchor(),
                    format!("sku `{name}` cannot have shared private links: they need Standard_S1 or Premium"),
                )
                .help("use \"Standard_S1\", \"Premium_P1\" or \"Premium_P2\"")
            })
        })
        .collect()
}
