//! Suppressions: a `// wps-lint-disable-next-line CODE -- reason` comment, or an entry of a
//! resource's `metadata["wps-lint"].disable`, hides the findings of the rules it names there.
//! Every entry that hides nothing becomes a WPS005 finding, so stale exceptions do not linger.

use std::collections::BTreeSet;

use super::{AnalysisSet, Settings};
use crate::diagnostic::{Level, Span};
use crate::rules::{Finding, RuleMeta, find};
use crate::source::{FileId, FileKind, Inputs};

const UNUSED_SUPPRESSION: &str = "WPS005";
const DIRECTIVE: &str = "wps-lint-disable-next-line";

/// Where a suppression applies, in its own file.
#[derive(Debug, Clone, Copy)]
enum Reach {
    /// Findings whose primary range starts on this 1-based line.
    Line(u32),
    /// Findings anchored inside this resource object, nested resources included.
    Resource(Span),
}

/// One rule named by one suppression.
#[derive(Debug)]
struct Entry<'r> {
    file: FileId,
    reach: Reach,
    /// The entry as written: the comment, or the element of the `disable` array.
    span: Span,
    /// The rule it disables, or why it cannot disable anything.
    rule: Result<&'r RuleMeta, String>,
    used: bool,
}

/// The suppressions of an analysis set, and which of them have hidden something so far.
pub struct Suppressions<'a, 'r> {
    inputs: &'a Inputs,
    entries: Vec<Entry<'r>>,
}

impl<'a, 'r> Suppressions<'a, 'r> {
    /// Every suppression in the set's templates and parameter files.
    pub fn collect(set: &AnalysisSet<'a>, rules: &'r [RuleMeta]) -> Suppressions<'a, 'r> {
        let mut entries = Vec::new();
        let mut entry = |file, reach, span, rule| {
            entries.push(Entry {
                file,
                reach,
                span,
                rule,
                used: false,
            })
        };
        let mut linted = BTreeSet::new();
        for unit in &set.units {
            let first_time = linted.insert(unit.file);
            linted.extend(unit.parameters);
            // A template paired with several parameter files has the same resources each time.
            if !first_time {
                continue;
            }
            for resource in &unit.template.resources {
                let Some(disable) = resource.node.path(&["metadata", "wps-lint", "disable"]) else {
                    continue;
                };
                let reach = Reach::Resource(resource.node.span);
                // A lone string is read as a one-entry list.
                for item in disable.as_array().unwrap_or(std::slice::from_ref(disable)) {
                    let rule = item.as_str().map_or_else(
                        || Err("a `disable` entry names a rule by its code or name, as a string; this one hides nothing".to_string()),
                        |key| resolve(rules, key),
                    );
                    entry(unit.file, reach, item.span, rule);
                }
            }
        }
        for file in linted {
            let source = &set.inputs.files[file];
            for comment in &source.doc.comments {
                let Some(keys) = rules_named_in(&comment.text) else {
                    continue;
                };
                // The comment's last byte is on its last line.
                let last = source
                    .doc
                    .lines
                    .position(&source.doc.text, comment.span.end - 1);
                let reach = Reach::Line(last.line + 1);
                if keys.is_empty() {
                    let rule = Err(format!(
                        "this comment names no rule, so it hides nothing; list codes or names after `{DIRECTIVE}`"
                    ));
                    entry(file, reach, comment.span, rule);
                }
                for key in keys {
                    entry(file, reach, comment.span, resolve(rules, key));
                }
            }
        }
        Suppressions {
            inputs: set.inputs,
            entries,
        }
    }

    /// Whether a suppression hides `finding`. Every suppression that covers it counts as used,
    /// even when another one hides it too: with either removed, the finding is still there.
    pub fn suppresses(&mut self, finding: &Finding) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let source = &self.inputs.files[finding.file];
        let line = source
            .doc
            .lines
            .position(&source.doc.text, finding.span.start)
            .line;
        let in_template = self.template_anchor(finding);
        let mut hidden = false;
        for entry in &mut self.entries {
            let covers = match entry.reach {
                Reach::Line(l) => entry.file == finding.file && l == line,
                Reach::Resource(resource) => in_template.is_some_and(|(file, span)| {
                    file == entry.file && resource.start <= span.start && span.end <= resource.end
                }),
            };
            if covers && entry.rule.as_ref().is_ok_and(|r| r.code == finding.code) {
                entry.used = true;
                hidden = true;
            }
        }
        hidden
    }

    /// Where a finding lies in a template: its primary anchor, or, for one anchored in a
    /// parameter file, its first related location in a template.
    fn template_anchor(&self, finding: &Finding) -> Option<(FileId, Span)> {
        let kind = |file: FileId| self.inputs.files[file].kind;
        if kind(finding.file) != FileKind::Parameters {
            return Some((finding.file, finding.span));
        }
        finding
            .related
            .iter()
            .find(|r| kind(r.file) == FileKind::Template)
            .map(|r| (r.file, r.span))
    }

    /// WPS005 findings for the entries that hid nothing.
    pub fn unused(self, settings: &Settings) -> Vec<Finding> {
        self.entries
            .into_iter()
            .filter(|e| !e.used)
            .map(|e| {
                let message = match e.rule {
                    Err(why) => why,
                    Ok(rule) if settings.level(rule, None, e.file) == Level::Off => format!(
                        "{} ({}) is off, so this suppression hides nothing",
                        rule.code, rule.name
                    ),
                    Ok(rule) => format!(
                        "{} ({}) reports nothing {}, so this suppression hides nothing",
                        rule.code,
                        rule.name,
                        match e.reach {
                            Reach::Line(_) => "on the next line",
                            Reach::Resource(_) => "in this resource",
                        }
                    ),
                };
                Finding::new(UNUSED_SUPPRESSION, e.file, e.span, message).help(
                    "remove it: if the problem comes back here, it should be reported, not hidden",
                )
            })
            .collect()
    }
}

/// The rule a suppression names, by code or name, case-insensitively.
fn resolve<'r>(rules: &'r [RuleMeta], key: &str) -> Result<&'r RuleMeta, String> {
    match find(rules, key) {
        None => Err(format!(
            "rule `{key}` does not exist, so this suppression hides nothing; `wps-lint rules` lists the rules"
        )),
        Some(rule) if rule.code == UNUSED_SUPPRESSION => Err(format!(
            "{} ({}) cannot be suppressed; set it to \"off\" in wps-lint.toml instead",
            rule.code, rule.name
        )),
        Some(rule) => Ok(rule),
    }
}

/// The rules a comment disables (`wps-lint-disable-next-line WPS105, WPS201 -- reason`), or
/// `None` when the comment is not a suppression. `text` is without the comment markers.
fn rules_named_in(text: &str) -> Option<Vec<&str>> {
    let rest = text.trim_start().strip_prefix(DIRECTIVE)?;
    if rest.starts_with(|c: char| !c.is_whitespace()) {
        return None;
    }
    let rules = rest.split_once("--").map_or(rest, |(rules, _reason)| rules);
    Some(
        rules
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|key| !key.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Unit, analyse};
    use crate::rules::builtin_rules;
    use crate::source::SourceFile;
    use crate::template::Template;

    const SCHEMA: &str =
        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

    /// A template whose first resource's name refers to an undeclared parameter (WPS003).
    fn template(resources: &str) -> String {
        format!("{{\n\"$schema\": \"{SCHEMA}\",\n\"resources\": {resources}\n}}\n")
    }

    fn inputs(template: &str) -> Inputs {
        Inputs {
            files: vec![SourceFile::new("t.jsonc".into(), None, template.into())],
            units: vec![(0, None)],
            notices: Vec::new(),
        }
    }

    fn settings(ignore: &[&str]) -> Settings<'static> {
        Settings {
            rules: builtin_rules(),
            select: Vec::new(),
            ignore: ignore.iter().map(|k| k.to_string()).collect(),
            configs: Vec::new(),
        }
    }

    /// `LINE CODE POINTER | MESSAGE` for every diagnostic.
    fn lint_with(inputs: &Inputs, ignore: &[&str]) -> Vec<String> {
        analyse(inputs, &settings(ignore))
            .iter()
            .map(|d| {
                let line = d.location.range.start.line;
                let pointer = &d.location.pointer;
                format!("{line} {} {pointer} | {}", d.code, d.message)
            })
            .collect()
    }

    fn lint(template: &str) -> Vec<String> {
        lint_with(&inputs(template), &[])
    }

    #[test]
    fn comments_name_rules_by_code_or_name_with_an_optional_reason() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            (" wps-lint-disable-next-line WPS105", Some(&["WPS105"])),
            (
                " wps-lint-disable-next-line WPS105 -- the vault team, not us",
                Some(&["WPS105"]),
            ),
            (
                "wps-lint-disable-next-line  wps105,WPS201--why",
                Some(&["wps105", "WPS201"]),
            ),
            (
                "\twps-lint-disable-next-line splr-missing-request-message ,  WPS201 \t",
                Some(&["splr-missing-request-message", "WPS201"]),
            ),
            // A block comment's text, on one line and over several.
            (" wps-lint-disable-next-line WPS003 ", Some(&["WPS003"])),
            (
                "\n   wps-lint-disable-next-line WPS003\n   -- set by the pipeline\n",
                Some(&["WPS003"]),
            ),
            (" wps-lint-disable-next-line", Some(&[])),
            (" wps-lint-disable-next-line -- only a reason", Some(&[])),
            (" see wps-lint-disable-next-line WPS003 in the docs", None),
            (" wps-lint-disable-next-lines WPS003", None),
            (" wps-lint-disable-next-line:WPS003", None),
            (" a note", None),
        ];
        for (text, expected) in cases {
            assert_eq!(rules_named_in(text).as_deref(), *expected, "{text:?}");
        }
    }

    #[test]
    fn a_comment_hides_the_line_after_its_last_line() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01",
  // wps-lint-disable-next-line WPS003 -- filled in by the pipeline
  "name": "[parameters('a')]",
  /* wps-lint-disable-next-line
     Undefined-Reference */
  "location": "[parameters('b')]",
  "tags": { "x": "[parameters('c')]" } }]"#;
        assert_eq!(
            lint(&template(resource)),
            ["9 WPS003 /resources/0/tags/x | the parameter `c` is not declared in this template"]
        );
    }

    #[test]
    fn an_unused_comment_is_reported_at_the_comment() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults",
  // wps-lint-disable-next-line WPS002, WPS003, WPS999
  "name": "[parameters('a')]" }]"#;
        assert_eq!(
            lint(&template(resource)),
            [
                "4 WPS005  | WPS002 (invalid-expression) reports nothing on the next line, so this suppression hides nothing",
                "4 WPS005  | rule `WPS999` does not exist, so this suppression hides nothing; `wps-lint rules` lists the rules",
            ]
        );
    }

    #[test]
    fn metadata_hides_findings_in_its_resource_and_the_resources_inside_it() {
        let nested = r#"[{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
  "name": "inner",
  "metadata": { "wps-lint": { "disable": ["undefined-reference"], "reason": "generated" } },
  "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
    "template": { "resources": [
      { "type": "Microsoft.KeyVault/vaults", "name": "[parameters('a')]" } ] } } },
  { "type": "Microsoft.KeyVault/vaults", "name": "[parameters('b')]" }]"#;
        assert_eq!(
            lint(&template(nested)),
            ["9 WPS003 /resources/1/name | the parameter `b` is not declared in this template"]
        );
        let symbolic = r#"{ "vault": { "type": "Microsoft.KeyVault/vaults", "name": "[parameters('a')]",
  "metadata": { "wps-lint": { "disable": ["wps003"] } } } }"#;
        assert_eq!(lint(&template(symbolic)), Vec::<String>::new());
    }

    #[test]
    fn unused_metadata_entries_are_reported_at_the_entry() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults", "name": "[parameters('a')]",
  "metadata": { "wps-lint": { "disable": ["WPS003", "WPS002", 5, "WPS005"] } } }]"#;
        let prefix = "4 WPS005 /resources/0/metadata/wps-lint/disable";
        assert_eq!(
            lint(&template(resource)),
            [
                format!(
                    "{prefix}/1 | WPS002 (invalid-expression) reports nothing in this resource, so this suppression hides nothing"
                ),
                format!(
                    "{prefix}/2 | a `disable` entry names a rule by its code or name, as a string; this one hides nothing"
                ),
                format!(
                    "{prefix}/3 | WPS005 (unused-suppression) cannot be suppressed; set it to \"off\" in wps-lint.toml instead"
                ),
            ]
        );
    }

    #[test]
    fn suppressing_a_rule_that_is_off_hides_nothing() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults", "name": "[parameters('a')]",
  "metadata": { "wps-lint": { "disable": "WPS003" } } }]"#;
        let inputs = inputs(&template(resource));
        assert_eq!(
            lint_with(&inputs, &["WPS003"]),
            [
                "4 WPS005 /resources/0/metadata/wps-lint/disable | WPS003 (undefined-reference) is off, so this suppression hides nothing"
            ]
        );
        assert_eq!(
            lint_with(&inputs, &["WPS003", "WPS005"]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn two_suppressions_of_one_finding_are_both_used() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults",
  "metadata": { "wps-lint": { "disable": ["WPS003"] } },
  // wps-lint-disable-next-line WPS003
  "name": "[parameters('a')]" }]"#;
        assert_eq!(lint(&template(resource)), Vec::<String>::new());
    }

    #[test]
    fn a_template_with_several_parameter_files_reports_an_unused_entry_once() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults", "name": "kv",
  "metadata": { "wps-lint": { "disable": ["WPS003"] } } }]"#;
        let parameters = r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {} }"#;
        let mut inputs = inputs(&template(resource));
        for name in ["t.parameters.dev.json", "t.parameters.prod.json"] {
            inputs
                .files
                .push(SourceFile::new(name.into(), None, parameters.into()));
        }
        inputs.units = vec![(0, Some(1)), (0, Some(2))];
        assert_eq!(lint_with(&inputs, &[]).len(), 1);
    }

    #[test]
    fn a_finding_in_a_parameter_file_counts_where_the_template_uses_the_value() {
        let text = template(
            r#"[{ "type": "Microsoft.KeyVault/vaults", "name": "[parameters('kv')]",
  "metadata": { "wps-lint": { "disable": ["WPS003"] } } }]"#,
        );
        let parameters = r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "parameters": { "kv": { "value": "kv-contoso" } } }"#;
        let mut inputs = inputs(&text);
        inputs.files.push(SourceFile::new(
            "t.parameters.json".into(),
            None,
            parameters.into(),
        ));
        inputs.units = vec![(0, Some(1))];
        let template = Template::build(inputs.files[0].root().unwrap(), inputs.files[1].root());
        let set = AnalysisSet::new(&inputs, vec![Unit::new(0, Some(1), template)]);
        let mut suppressions = Suppressions::collect(&set, builtin_rules());
        let value = parameters.find("\"kv-contoso\"").unwrap();
        let name = text.find("\"[parameters('kv')]\"").unwrap();
        let finding = Finding::new("WPS003", 1, Span::new(value, value + 12), "m").related(
            0,
            Span::new(name, name + 20),
            "the template property",
        );
        assert!(suppressions.suppresses(&finding));
        let elsewhere = Finding::new("WPS003", 1, Span::new(value, value + 12), "m").related(
            0,
            Span::new(0, 1),
            "outside the resource",
        );
        assert!(!suppressions.suppresses(&elsewhere));
        assert!(suppressions.unused(&settings(&[])).is_empty());
    }
}
