//! WPS109 splr-unknown-api-version.
//!
//! ## What it does
//! Reports a link API version that does not exist for its producer's type, or a property the version
//! lacks (`fqdns` exists only in preview versions from 2024-08-01-preview).
//!
//! ## Why is this bad
//! ARM rejects the resource at validation time.

use super::{ApiVersion, api_version, fqdns_since};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::is_preview;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter_map(|link| {
            let ApiVersion { property, version, position, uses_fqdns } = api_version(facts, link)?;
            let message = match position {
                None => format!("API version `{version}` does not exist for {}", link.producer.link_type),
                Some(at) => {
                    let since = fqdns_since(link)?;
                    let first = link.producer.api_versions.iter().position(|v| *v == since)?;
                    if !uses_fqdns || (is_preview(version) && at >= first) {
                        return None;
                    }
                    format!("`fqdns` does not exist in API version `{version}`; it needs a preview version from {since}")
                }
            };
            let newest = link.producer.newest_stable;
            let help = match fqdns_since(link) {
                Some(since) => format!("use {newest} (newest stable), or {since} or later for `fqdns`"),
                None => format!("use {newest} (newest stable)"),
            };
            Some(Finding::at("WPS109", property.anchor(), message).help(help))
        })
        .collect()
}
