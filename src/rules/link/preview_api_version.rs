//! WPS110 splr-preview-api-version.
//!
//! ## What it does
//! Reports a link on a preview API version although a stable one of its producer exists,
//! unless it uses a property or group ID only preview versions have (`fqdns`; AI Search's
//! `mysqlServer` and `managedInstance`).
//!
//! ## Why is this bad
//! Preview versions change and retire; the stable contract does not.

use super::{ApiVersion, api_version};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::is_preview;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter_map(|link| {
            let ApiVersion { property, version, position, uses_fqdns } = api_version(facts, link)?;
            let newest = link.producer.newest_stable;
            // A group ID only previews support (AI Search's `mysqlServer`) needs the preview.
            let preview_group = link.group_ids().iter().any(|g| {
                link.producer.preview_groups.iter().any(|p| p.eq_ignore_ascii_case(g))
            });
            (position.is_some() && is_preview(version) && !uses_fqdns && !preview_group).then(|| {
                Finding::at(
                    "WPS110",
                    property.anchor(),
                    format!("preview API version `{version}` is used although stable {newest} exists"),
                )
                .help(format!("use \"apiVersion\": \"{newest}\""))
            })
        })
        .collect()
}
