//! WPS004 unresolved-value (off by default).
//!
//! ## What it does
//! Reports a value a rule needed but could not know before deployment (it comes from
//! `reference()`, a parameter without a value where its structure matters, ...), so that rule
//! skipped it. For users who ask why a check stayed silent.
//!
//! ## Why is this bad
//! It is not: it explains silence. Turn it on with `WPS004 = "info"` in wps-lint.toml.

use crate::analysis::AnalysisSet;
use crate::analysis::links::Target;
use crate::rules::Finding;
use crate::rules::common::Property;

/// What to do about a value no check could read.
pub const UNRESOLVED_HELP: &str = "to have it checked, give the value a default or a parameter-file value, or build it with resourceId()";

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter(|link| link.target == Target::Unknown)
        .filter_map(|link| {
            let property = Property::get(set, link.at, &["properties", "privateLinkResourceId"])?;
            Some(
                Finding::at(
                    "WPS004",
                    property.anchor(),
                    "privateLinkResourceId cannot be known before deployment, so the checks of its target (WPS101-WPS104, WPS111, WPS201) skipped this shared private link",
                )
                .help(UNRESOLVED_HELP),
            )
        })
        .collect()
}
