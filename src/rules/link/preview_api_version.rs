//! WPS110 splr-preview-api-version: the check. Its page, `rules/WPS110.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS110`).

use super::{ApiVersion, api_version};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::is_preview;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS110.md`.
pub const RULE: NativeRule = NativeRule::set("WPS110", check);

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
                    RULE.code,
                    property.anchor(),
                    format!("preview API version `{version}` is used although stable {newest} exists"),
                )
                .help(format!("use the API version {newest}"))
            })
        })
        .collect()
}
