//! WPS110 splr-preview-api-version.
//!
//! ## What it does
//! Reports an SPLR on a preview API version although a stable one exists, unless it uses a
//! property only preview versions have (`fqdns`).
//!
//! ## Why is this bad
//! Preview versions change and retire; the stable contract does not.

use super::{ApiVersion, api_version};
use crate::analysis::AnalysisSet;
use crate::analysis::azure::{NEWEST_STABLE_LINK_API_VERSION, is_preview};
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let ApiVersion { property, version, position, uses_fqdns } = api_version(set, link)?;
            (position.is_some() && is_preview(version) && !uses_fqdns).then(|| {
                Finding::at(
                    "WPS110",
                    property.anchor(),
                    format!("preview API version `{version}` is used although stable {NEWEST_STABLE_LINK_API_VERSION} exists"),
                )
                .help(format!("use \"apiVersion\": \"{NEWEST_STABLE_LINK_API_VERSION}\""))
            })
        })
        .collect()
}
