//! WPS304 custom-domain-requires-premium.
//!
//! ## What it does
//! Reports a service with custom domains or custom certificates that is not on a Premium SKU.
//!
//! ## Why is this bad
//! Custom domains and certificates are a Premium feature; the deployment fails.

use crate::analysis::AnalysisSet;
use crate::analysis::azure::PREMIUM_SKUS;
use crate::analysis::certificates::{certificates, domains, services_with};
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut children = certificates(set);
    children.extend(domains(set));
    services_with(set, &children)
        .into_iter()
        .filter_map(|service| {
            let sku = Property::get(set, service, &["sku", "name"])?;
            let name = sku.text()?.as_literal()?.to_string();
            (!PREMIUM_SKUS.iter().any(|p| p.eq_ignore_ascii_case(&name))).then(|| {
                Finding::at(
                    "WPS304",
                    sku.anchor(),
                    format!("custom domains and certificates need a Premium SKU, not `{name}`"),
                )
                .help("use \"Premium_P1\" or \"Premium_P2\"")
            })
        })
        .collect()
}
