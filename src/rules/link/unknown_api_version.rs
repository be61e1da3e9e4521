//! WPS109 splr-unknown-api-version.
//!
//! ## What it does
//! Reports an SPLR API version that does not exist for its type, or a property the version
//! lacks (`fqdns` exists only in preview versions from 2024-08-01-preview).
//!
//! ## Why is this bad
//! ARM rejects the resource at validation time.

use super::{ApiVersion, api_version};
use crate::analysis::AnalysisSet;
use crate::analysis::azure::{
    FIRST_FQDNS_API_VERSION, NEWEST_STABLE_LINK_API_VERSION, is_preview, link_api_versions,
};
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let ApiVersion { property, version, position, uses_fqdns } = api_version(set, link)?;
            let message = match position {
                None => format!("API version `{version}` does not exist for {}/sharedPrivateLinkResources", link.service_type),
                Some(at) => {
                    let versions = link_api_versions(link.service_type);
                    let first = versions.iter().position(|v| *v == FIRST_FQDNS_API_VERSION)?;
                    if !uses_fqdns || (is_preview(version) && at >= first) {
                        return None;
                    }
                    format!("`fqdns` does not exist in API version `{version}`; it needs a preview version from {FIRST_FQDNS_API_VERSION}")
                }
            };
            Some(
                Finding::at("WPS109", property.anchor(), message)
                    .help(format!("use {NEWEST_STABLE_LINK_API_VERSION} (newest stable), or {FIRST_FQDNS_API_VERSION} or later for `fqdns`")),
            )
        })
        .collect()
}
