//! WPS102 splr-unsupported-target.
//!
//! ## What it does
//! Reports an SPLR whose target type a shared private link cannot reach (a vault's child, a
//! managed HSM, or a private link service from SignalR). Such an SPLR gets no WPS103, WPS104 or
//! WPS201.
//!
//! ## Why is this bad
//! The service rejects the link; the feature that needed it never works.

use super::resource_id_property;
use crate::analysis::AnalysisSet;
use crate::analysis::azure::{supported_target, supported_targets_text};
use crate::analysis::links::Target;
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let Target::Id(id) = &link.target else {
                return None;
            };
            let target = id.type_name();
            if supported_target(link.service_type, &target).is_some() {
                return None;
            }
            let property = resource_id_property(set, link)?;
            Some(
                Finding::at(
                    "WPS102",
                    property.anchor(),
                    format!("a shared private link cannot target `{target}`: {} supports {}", link.service_type, supported_targets_text(link.service_type)),
                )
                .help("point privateLinkResourceId at the vault (or web app) itself, not at a child resource"),
            )
        })
        .collect()
}
