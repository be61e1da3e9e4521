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

/// Users' declarative rules: every `*.md` rule file in `dir`. Each needs a check and a code of
/// its own; errors name the file.
pub fn load_rules_dir(dir: &std::path::Path, known: &[RuleMeta]) -> Result<Vec<RuleMeta>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("rules folder {}: {e}", dir.display()))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut rules: Vec<RuleMeta> = Vec::new();
    for file in files {
        let fail = |message: String| format!("{}: {message}", file.display());
        let text = std::fs::read_to_string(&file).map_err(|e| fail(e.to_string()))?;
        let rule = RuleMeta::parse(&text).map_err(fail)?;
        if rule.checks.is_empty() {
            return Err(fail(
                "a custom rule needs at least one [[check]] table".into(),
            ));
        }
        if find(known, &rule.code).is_some() || find(&rules, &rule.code).is_some() {
            return Err(fail(format!("the code {} is already taken", rule.code)));
        }
        rules.push(rule);
    }
    Ok(rules)
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
