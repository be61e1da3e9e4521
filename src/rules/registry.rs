//! Every known rule: the built-in files embedded at build time, in code order.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::meta::{RuleFileError, RuleMeta};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

pub fn builtin_rules() -> &'static [RuleMeta] {
    static RULES: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN_RULE_FILES
            .iter()
            .map(|(file, text)| {
                RuleMeta::parse(text)
                    .unwrap_or_else(|e| panic!("{}", e.in_file(&format!("rules/{file}"))))
            })
            .collect()
    })
}

/// Every rule of a run: the built-in ones, then users' own from these folders, in order. A
/// folder named twice (`--rules` and a config's `rules-dirs`, by different paths) loads once.
pub fn rules_with_custom<'d>(
    dirs: impl IntoIterator<Item = &'d PathBuf>,
) -> Result<Vec<RuleMeta>, String> {
    let mut rules = builtin_rules().to_vec();
    let mut loaded = Vec::new();
    for dir in dirs {
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        if loaded.contains(&canonical) {
            continue;
        }
        loaded.push(canonical);
        let custom = load_rules_dir(dir, &rules)?;
        rules.extend(custom);
    }
    Ok(rules)
}

/// Users' declarative rules: every `*.md` rule file in `dir`. Each needs a check, and a code
/// and a name no other rule has; errors name the file.
fn load_rules_dir(dir: &Path, known: &[RuleMeta]) -> Result<Vec<RuleMeta>, String> {
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
        let fail = |error: RuleFileError| error.in_file(&file.display().to_string());
        let text =
            std::fs::read_to_string(&file).map_err(|e| fail(RuleFileError::new(e.to_string())))?;
        let rule = RuleMeta::parse(&text).map_err(fail)?;
        check_custom(&rule, known.iter().chain(&rules)).map_err(fail)?;
        rules.push(rule);
    }
    Ok(rules)
}

/// What a custom rule needs beyond a well-formed file: a check, and a code and a name that
/// no other rule uses as its code or name (configs, suppressions and baselines name rules).
fn check_custom<'r>(
    rule: &RuleMeta,
    others: impl Iterator<Item = &'r RuleMeta> + Clone,
) -> Result<(), RuleFileError> {
    if rule.checks.is_empty() {
        return Err(RuleFileError::new(
            "a custom rule needs at least one [[check]] table",
        ));
    }
    for (what, key) in [("code", &rule.code), ("name", &rule.name)] {
        if let Some(other) = others.clone().find(|r| r.is_called(key)) {
            return Err(RuleFileError::new(format!(
                "the {what} `{key}` is already taken by {} ({})",
                other.code, other.name
            )));
        }
    }
    Ok(())
}

/// A rule by code or name, case-insensitively.
pub fn find<'r>(rules: &'r [RuleMeta], key: &str) -> Option<&'r RuleMeta> {
    rules.iter().find(|r| r.is_called(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clones that share one `CARGO_TARGET_DIR` share the generated list: a path in it must
    /// name the clone being compiled, not the one whose build wrote it.
    #[test]
    fn the_embedded_rule_files_are_named_from_the_manifest_being_compiled() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
        assert!(
            !generated.contains(env!("CARGO_MANIFEST_DIR")),
            "{generated}"
        );
        assert!(generated.contains("concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/WPS001.md\")"));
    }

    #[test]
    fn builtin_rules_are_complete_and_consistent() {
        let rules = builtin_rules();
        assert_eq!(rules.len(), 36);
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

    /// A custom rule with two checks, and the edit each case makes to it.
    const RULE: &str = r#"+++
code = "ORG9"
name = "org-nine"
level = "warning"
summary = "S"

[[check]]
types = ["Microsoft.KeyVault/vaults"]
path = "$.tags.owner"
when = { exists = false }
message = "m"

[[check]]
types = ["Microsoft.KeyVault/vaults"]
path = "$.tags.team"
when = { exists = false }
message = "m"
+++
"#;

    #[test]
    fn rule_file_errors_say_where() {
        // Edits the last occurrence of `from`, which is in the second check.
        let second = |from: &str, to: &str| {
            let at = RULE.rfind(from).unwrap();
            format!("{}{}{}", &RULE[..at], to, &RULE[at + from.len()..])
        };
        let cases: Vec<(String, &str)> = vec![
            // TOML syntax
            (
                second("\"$.tags.team\"", "\"$.tags.team"),
                "DIR/ORG9.md:15: [[check]] #2: invalid basic string, expected `\"`",
            ),
            // condition keys and values
            (
                second("exists = false", "exist = false"),
                "DIR/ORG9.md:16: [[check]] #2: unknown variant `exist`, expected one of `exists`, `equals`, `in`, `regex`, `length`, `and`, `or`, `not`",
            ),
            (
                second("exists = false", "exists = 'maybe'"),
                "DIR/ORG9.md:16: [[check]] #2: invalid type: string \"maybe\", expected a boolean",
            ),
            // JSONPath, in `path` and in `anchor`
            (
                second("\"$.tags.team\"", "\"tags.team\""),
                "DIR/ORG9.md:15: [[check]] #2: JSONPath `tags.team`: Failed to parse rule:  --> 1:1\n  |\n1 | tags.team\n  | ^---\n  |\n  = expected jp_query",
            ),
            (
                second("when =", "anchor = [\"$.tags\", \"$[\"]\nwhen ="),
                "DIR/ORG9.md:16: [[check]] #2: JSONPath `$[`: Failed to parse rule:  --> 1:3\n  |\n1 | $[\n  |   ^---\n  |\n  = expected selector",
            ),
            (
                second("exists = false", "regex = '('"),
                "DIR/ORG9.md:16: [[check]] #2: regex parse error:\n    (\n    ^\nerror: unclosed group",
            ),
            (
                second("[\"Microsoft.KeyVault/vaults\"]", "[]"),
                "DIR/ORG9.md:14: [[check]] #2: `types` is empty: list the full resource types to check, e.g. [\"Microsoft.KeyVault/vaults\"]",
            ),
            // keys of a check
            (
                second("message = \"m\"", "mesage = \"m\""),
                "DIR/ORG9.md:17: [[check]] #2: unknown field `mesage`, expected one of `types`, `path`, `anchor`, `when`, `message`, `help`",
            ),
            (
                second("message = \"m\"\n", ""),
                "DIR/ORG9.md:13: [[check]] #2: missing field `message`",
            ),
            // checks written as an inline array
            (
                "+++\ncode = \"ORG9\"\nname = \"org-nine\"\nlevel = \"info\"\nsummary = \"S\"\ncheck = [\n  { types = [\"T\"], path = \"$.a\", when = { exists = true }, message = \"m\" },\n  { types = [\"T\"], path = \"$.b\", when = { exists = 1 }, message = \"m\" },\n]\n+++\n".into(),
                "DIR/ORG9.md:8: [[check]] #2: invalid type: integer `1`, expected a boolean",
            ),
            // the rest of the front matter
            (
                RULE.replace("\"warning\"", "\"loud\""),
                "DIR/ORG9.md:4: level `loud` is not one of error, warning, info, off",
            ),
            (
                RULE.replace("summary", "summery"),
                "DIR/ORG9.md:5: unknown field `summery`, expected one of `code`, `name`, `level`, `summary`, `check`",
            ),
            (
                RULE.replacen("+++\n", "", 1),
                "DIR/ORG9.md: a rule file starts with a `+++` line, then TOML front matter",
            ),
            (
                RULE.strip_suffix("+++\n").unwrap().into(),
                "DIR/ORG9.md: the front matter is not closed by a `+++` line",
            ),
            // what a custom rule needs
            (
                RULE[..RULE.find("\n[[check]]").unwrap()].to_string() + "\n+++\n",
                "DIR/ORG9.md: a custom rule needs at least one [[check]] table",
            ),
            (
                RULE.replace("ORG9", "wps103"),
                "DIR/ORG9.md: the code `wps103` is already taken by WPS103 (splr-group-id-mismatch)",
            ),
            (
                RULE.replace("org-nine", "Splr-Group-Id-Mismatch"),
                "DIR/ORG9.md: the name `Splr-Group-Id-Mismatch` is already taken by WPS103 (splr-group-id-mismatch)",
            ),
            (
                RULE.replace("org-nine", "org-eight"),
                "DIR/ORG9.md: the name `org-eight` is already taken by ORG8 (org-eight)",
            ),
        ];
        for (text, expected) in &cases {
            // ORG8.md, a good rule, loads first.
            let dir = tempfile::tempdir().unwrap();
            let other = RULE
                .replace("ORG9", "ORG8")
                .replace("org-nine", "org-eight");
            std::fs::write(dir.path().join("ORG8.md"), other).unwrap();
            std::fs::write(dir.path().join("ORG9.md"), text).unwrap();
            let error = rules_with_custom([&dir.path().to_path_buf()]).unwrap_err();
            let file = dir.path().join("ORG9.md").display().to_string();
            assert_eq!(error, expected.replace("DIR/ORG9.md", &file), "{text}");
        }
    }
}
