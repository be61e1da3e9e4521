//! WPS109 splr-unknown-api-version: the check. Its page, `rules/WPS109.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS109`).

use super::{ApiVersion, api_version, fqdns_since};
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::is_preview;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS109.md`.
pub const RULE: NativeRule = NativeRule::set("WPS109", check);

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
            Some(Finding::at(RULE.code, property.anchor(), message).help(help))
        })
        .collect()
}
