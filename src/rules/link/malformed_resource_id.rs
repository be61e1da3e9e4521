//! WPS101 splr-malformed-resource-id: the check. Its page, `rules/WPS101.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS101`).

use super::{property_name, target_property};
use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::{Target, classify_target};
use crate::rules::NativeRule;
use crate::rules::common::replace_string;

/// Registered by this code; the rule's page is `rules/WPS101.md`.
pub const RULE: NativeRule = NativeRule::set("WPS101", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for link in &facts.links {
        let Target::Malformed(why) = &link.target else {
            continue;
        };
        let Some((field, anchor)) = target_property(facts, link) else {
            continue;
        };
        let shown = field
            .value
            .as_text()
            .map(|t| t.to_string())
            .unwrap_or_default();
        let finding = Finding::at(
            RULE.code,
            anchor,
            format!(
                "{} `{shown}` is not a well-formed resource ID: {why}",
                property_name(link.producer.target)
            ),
        )
        .help("write `/subscriptions/{guid}/resourceGroups/{group}/providers/{namespace}/{type}/{name}`, best built with resourceId()")
        .on(link);
        let node = facts.units[link.at.0].anchored_value(link.at.1, field.node);
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
