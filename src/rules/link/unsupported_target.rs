//! WPS102 splr-unsupported-target.
//!
//! ## What it does
//! Reports a link whose target type its producer cannot reach (a vault's child, a managed HSM,
//! a private link service from SignalR, a type AI Search or Front Door does not list). Such a
//! link gets no WPS103, WPS104 or WPS201. Producers whose documentation lists no closed set of
//! targets (Data Factory, Stream Analytics, Grafana, Database Watcher, Machine Learning) are
//! not checked.
//!
//! ## Why is this bad
//! The service rejects the link; the feature that needed it never works.

use super::target_property;
use crate::analysis::AnalysisSet;
use crate::analysis::links::Target;
use crate::analysis::producers::{target_groups, targets_text};
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let Target::Id(id) = &link.target else {
                return None;
            };
            let target = id.type_name();
            if target_groups(link.producer, &target).is_some() {
                return None;
            }
            let (_, anchor) = target_property(set, link)?;
            Some(
                Finding::at(
                    "WPS102",
                    anchor,
                    format!(
                        "{} cannot target `{target}`: {} supports {}",
                        link.producer.a_noun(),
                        link.service_type,
                        targets_text(link.producer)
                    ),
                )
                .help("point the link at the target resource itself, not at a child resource")
                .on(link),
            )
        })
        .collect()
}
