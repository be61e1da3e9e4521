//! Every known rule: the built-in files embedded at build time, in code order.

use std::sync::OnceLock;

use super::meta::RuleMeta;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

pub fn builtin_rules() -> &'static [RuleMeta] {
    static RULES: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN_RULE_FILES
            .iter()
            .map(|(file, text)| {
                RuleMeta::parse(text).unwrap_or_else(|e| panic!("rules/{file}: {e}"))
            })
            .collect()
    })
}

/// A rule by code or name, case-insensitively.
pub fn find<'r>(rules: &'r [RuleMeta], key: &str) -> Option<&'r RuleMeta> {
    rules
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_are_complete_and_consistent() {
        let rules = builtin_rules();
        assert_eq!(rules.len(), 32);
        for (rule, (file, _)) in rules.iter().zip(BUILTIN_RULE_FILES) {
            assert_eq!(format!("{}.md", rule.code), *file);
            for section in [
                "## What it does",
                "## Why is this bad",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(
                    rule.documentation.contains(section),
                    "{file} lacks {section}"
                );
            }
        }
        assert_eq!(
            find(rules, "splr-group-id-mismatch").unwrap().code,
            "WPS103"
        );
    }
}
