//! WPS101 splr-malformed-resource-id.
//!
//! ## What it does
//! Reports a link's target ID (`privateLinkResourceId`, or the producer's property) that is not
//! a well-formed resource-group-scoped ARM ID (stray characters, empty segments, a type with no
//! name, a subscription that is not a GUID, a bad resource group name). Such a link gets no
//! other target-based finding.
//!
//! ## Why is this bad
//! The service cannot create the managed private endpoint; the deployment fails.

use super::{property_name, target_property};
use crate::analysis::AnalysisSet;
use crate::analysis::links::{Target, classify_target};
use crate::expr::Value;
use crate::rules::Finding;
use crate::rules::common::replace_string;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &set.links {
        let Target::Malformed(why) = &link.target else {
            continue;
        };
        let Some((field, anchor)) = target_property(set, link) else {
            continue;
        };
        let shown = field
            .value
            .as_text()
            .map(|t| t.to_string())
            .unwrap_or_default();
        let finding = Finding::at(
            "WPS101",
            anchor,
            format!(
                "{} `{shown}` is not a well-formed resource ID: {why}",
                property_name(link.producer.target)
            ),
        )
        .help("write `/subscriptions/{guid}/resourceGroups/{group}/providers/{namespace}/{type}/{name}`, best built with resourceId()")
        .on(link);
        let node = set.units[link.at.0].anchored_value(link.at.1, field.node);
        findings.push(match cleaned(node.as_str()) {
            Some(clean) => replace_string(
                finding,
                node,
                "Remove the stray characters around the ID",
                &clean,
            ),
            None => finding,
        });
    }
    findings
}

/// The ID with stray characters around it removed, when that makes it well formed.
fn cleaned(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    let start = raw
        .find("/subscriptions/")
        .or_else(|| raw.to_ascii_lowercase().find("/subscriptions/"))?;
    let clean = raw[start..]
        .trim()
        .trim_end_matches(|c: char| !c.is_alphanumeric() && !"-_.()".contains(c));
    (clean != raw && matches!(classify_target(&Value::str(clean)), Target::Id(_)))
        .then(|| clean.to_string())
}

#[cfg(test)]
mod tests {
    use super::cleaned;

    #[test]
    fn strips_stray_characters() {
        let id = "/subscriptions/0f1e2d3c-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one";
        assert_eq!(cleaned(Some(&format!("_{id}"))).as_deref(), Some(id));
        assert_eq!(cleaned(Some(&format!(" {id} "))).as_deref(), Some(id));
        assert_eq!(cleaned(Some(id)), None);
        assert_eq!(cleaned(Some("/subscriptions/x")), None);
    }
}
