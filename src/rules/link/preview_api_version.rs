//! WPS110 splr-preview-api-version.
//!
//! ## What it does
//! Reports an SPLR on a preview API version although a stable one exists, unless it uses a
//! property only preview versions have (`fqdns`).
//!
//! ## Why is this bad
//! Preview versions change and retire; the stable contract does not.

use crate::analysis::AnalysisSet;
use crate::analysis::azure::{NEWEST_STABLE_LINK_API_VERSION, is_preview, link_api_versions};
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let property = Property::get(set, link.at, &["apiVersion"])?;
            let version = property.node.as_str()?;
            let known = link_api_versions(link.service_type).iter().any(|v| v.eq_ignore_ascii_case(version));
            let needs_preview = Property::get(set, link.at, &["properties", "fqdns"]).is_some();
            (known && is_preview(version) && !needs_preview).then(|| {
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
