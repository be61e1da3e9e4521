//! Suppressions: a `// wps-lint-disable-next-line CODE -- reason` comment (or `-line` for its
//! own line, `-file` for the whole file), or an entry of a resource's
//! `metadata["wps-lint"].disable`, hides the findings of the rules it names there. A comment
//! that starts like a directive but is none is a warning, not a silent no-op.
//! Every entry that hides nothing becomes a WPS005 finding, so stale exceptions do not linger.
//! Entries are collected in each file's pass; whether they hide anything is known only once
//! every file's findings are in, since a finding of one file may come from another's facts.

use serde::{Deserialize, Serialize};

use super::resolve::Resolver;
use super::settings::RuleSettings;
use crate::facts::{FilePlaces, Located, Renumber, Resolved, TemplateFacts};
use crate::rules::UNUSED_SUPPRESSION;

use crate::diagnostic::{Level, Span};
use crate::rules::{RuleMeta, find};
use crate::source::{FileId, FileKind, Inputs};

/// The comment directives and where each reaches.
const DIRECTIVES: [(&str, Directive); 3] = [
    ("wps-lint-disable-next-line", Directive::NextLine),
    ("wps-lint-disable-line", Directive::Line),
    ("wps-lint-disable-file", Directive::File),
];

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Directive {
    NextLine,
    Line,
    File,
}

/// Where a suppression applies, in its own file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Reach {
    /// Findings whose primary range starts on this 1-based line (the comment's own, or the
    /// one after it).
    Line(u32, Directive),
    /// Findings anchored inside this resource object, nested resources included.
    Resource(Span),
    /// Findings whose primary range starts in this stretch of the file: Bicep's
    /// `#disable-diagnostics`, up to its `#restore-diagnostics` or the end of the file.
    Stretch(Span),
    /// Every finding in the file (or, for one in a parameter file, whose template place is).
    File,
}

/// One rule named by one suppression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    reach: Reach,
    /// The entry as written: the comment, or the element of the `disable` array.
    at: Located,
    /// The code of the rule it disables, or why it cannot disable anything.
    rule: Result<String, String>,
    /// A comment meant as a directive that is none: a warning, not the usual info.
    malformed: bool,
}

impl Renumber for Entry {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.at.renumber(places)
    }
}

/// Every suppression of one pass: in its template's resources and in the comments of the
/// template and its parameter files.
pub fn collect(facts: &TemplateFacts, rules: &[RuleMeta], resolver: &Resolver) -> Vec<Entry> {
    let mut entries = Vec::new();
    // A template paired with several parameter files has the same resources each time.
    if let Some(unit) = facts.units.first() {
        for resource in &unit.template.resources {
            let Some(disable) = resource.node.path(&["metadata", "wps-lint", "disable"]) else {
                continue;
            };
            // A module's resources are its own file's: its own pass collects their entries.
            if resolver.in_module(unit.file, resource.node.span) {
                continue;
            }
            let reach = Reach::Resource(resource.node.span);
            // A lone string is read as a one-entry list.
            for item in disable.as_array().unwrap_or(std::slice::from_ref(disable)) {
                let rule = item.as_str().map_or_else(
                    || Err("a `disable` entry names a rule by its code or name, as a string; this one hides nothing".to_string()),
                    |key| resolve(rules, key),
                );
                entries.push(Entry {
                    reach,
                    at: resolver.location(unit.file, item.span),
                    rule,
                    malformed: false,
                });
            }
        }
    }
    for &(file, doc) in facts.docs() {
        for comment in &doc.comments {
            let Some(directive) = directive_in(&comment.text) else {
                continue;
            };
            let at = resolver.location(file, comment.span);
            let (directive, keys) = match directive {
                Ok(found) => found,
                Err(why) => {
                    entries.push(Entry {
                        reach: Reach::File,
                        at,
                        rule: Err(why),
                        malformed: true,
                    });
                    continue;
                }
            };
            let reach = match (comment.reach, directive) {
                (Some(stretch), _) => Reach::Stretch(stretch),
                (None, Directive::File) => Reach::File,
                (None, Directive::Line) => Reach::Line(at.location.range.start.line, directive),
                // The comment's last byte is on its last line.
                (None, Directive::NextLine) => Reach::Line(
                    doc.lines().position(doc.text, comment.span.end - 1).line + 1,
                    directive,
                ),
            };
            let mut entry = |rule| {
                entries.push(Entry {
                    reach,
                    at: at.clone(),
                    rule,
                    malformed: false,
                })
            };
            if keys.is_empty() {
                entry(Err(
                    "this comment names no rule, so it hides nothing; list codes or names after the directive"
                        .to_string(),
                ));
            }
            for key in keys {
                entry(resolve(rules, key));
            }
        }
    }
    entries
}

/// The suppressions of an analysis set, and which of them have hidden something so far.
pub struct Suppressions<'a> {
    inputs: &'a Inputs,
    entries: Vec<(Entry, bool)>,
}

impl<'a> Suppressions<'a> {
    /// The entries of every pass; a parameter file shared by several templates is seen by each
    /// of their passes, and counts once.
    pub fn new(inputs: &'a Inputs, all: impl IntoIterator<Item = Entry>) -> Suppressions<'a> {
        let mut entries: Vec<(Entry, bool)> = Vec::new();
        for entry in all {
            if !entries.iter().any(|(e, _)| *e == entry) {
                entries.push((entry, false));
            }
        }
        Suppressions { inputs, entries }
    }

    /// Whether a suppression hides `finding`. Every suppression that covers it counts as used,
    /// even when another one hides it too: with either removed, the finding is still there.
    pub fn suppresses(&mut self, finding: &Resolved) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let line = finding.at.location.range.start.line;
        let in_template = self.template_anchor(finding);
        let mut hidden = false;
        for (entry, used) in &mut self.entries {
            let covers = match entry.reach {
                Reach::Line(l, _) => entry.at.file == finding.at.file && l == line,
                Reach::File => {
                    entry.at.file == finding.at.file
                        || in_template.is_some_and(|(file, _)| file == entry.at.file)
                }
                Reach::Resource(resource) => in_template.is_some_and(|(file, span)| {
                    file == entry.at.file
                        && resource.start <= span.start
                        && span.end <= resource.end
                }),
                Reach::Stretch(stretch) => {
                    let start = finding.at.location.span.start;
                    entry.at.file == finding.at.file
                        && stretch.start <= start
                        && start <= stretch.end
                }
            };
            if covers && entry.rule.as_ref().is_ok_and(|code| *code == finding.code) {
                *used = true;
                hidden = true;
            }
        }
        hidden
    }

    /// Where a finding lies in a template: its primary anchor, or, for one anchored in a
    /// parameter file, its first related location in a template.
    fn template_anchor(&self, finding: &Resolved) -> Option<(FileId, Span)> {
        let kind = |file: FileId| self.inputs.files[file].kind;
        if kind(finding.at.file) != FileKind::Parameters {
            return Some((finding.at.file, finding.at.location.span));
        }
        finding
            .related
            .iter()
            .find(|r| kind(r.file) == FileKind::Template)
            .map(|r| (r.file, r.related.location.span))
    }

    /// WPS005 findings for the entries that hid nothing.
    pub fn unused(self, settings: &RuleSettings) -> Vec<Resolved> {
        self.entries
            .into_iter()
            .filter(|(_, used)| !used)
            .map(|(e, _)| {
                let message = match e.rule.as_ref().map(|code| find(settings.rules, code)) {
                    Err(why) => why.clone(),
                    Ok(None) => format!("rule `{}` does not exist, so this suppression hides nothing", e.rule.as_ref().map_or("", String::as_str)),
                    Ok(Some(rule)) if settings.level(rule, None, e.at.file) == Level::Off => format!(
                        "{} ({}) is off, so this suppression hides nothing",
                        rule.code, rule.name
                    ),
                    Ok(Some(rule)) => format!(
                        "{} ({}) reports nothing {}, so this suppression hides nothing",
                        rule.code,
                        rule.name,
                        match e.reach {
                            Reach::Line(_, Directive::NextLine) => "on the next line",
                            Reach::Line(..) => "on this line",
                            Reach::Resource(_) => "in this resource",
                            Reach::Stretch(_) =>
                                "up to its `#restore-diagnostics` or the end of the file",
                            Reach::File => "in this file",
                        }
                    ),
                };
                Resolved {
                    level: e.malformed.then_some(Level::Warning),
                    ..Resolved::new(UNUSED_SUPPRESSION.code, e.at, message).help(
                        "remove it: if the problem comes back here, it should be reported, not hidden",
                    )
                }
            })
            .collect()
    }
}

/// The rule a suppression names, by code or name, case-insensitively.
fn resolve(rules: &[RuleMeta], key: &str) -> Result<String, String> {
    match find(rules, key) {
        None => Err(format!(
            "rule `{key}` does not exist, so this suppression hides nothing; `wps-lint rules` lists the rules"
        )),
        Some(rule) if rule.code == UNUSED_SUPPRESSION.code => Err(format!(
            "{} ({}) cannot be suppressed; set it to \"off\" in wps-lint.toml instead",
            rule.code, rule.name
        )),
        Some(rule) => Ok(rule.code.clone()),
    }
}

/// The directive of a comment and the rules it names (`wps-lint-disable-next-line WPS105,
/// WPS201 -- reason`); `Err` with why for a comment that starts like a directive and is none;
/// `None` for any other comment. `text` is without the comment markers.
fn directive_in(text: &str) -> Option<Result<(Directive, Vec<&str>), String>> {
    let text = text.trim_start();
    let looks_like = |prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if !looks_like("wps-lint") && !looks_like("wpslint") {
        return None;
    }
    let found = DIRECTIVES.iter().find_map(|(name, directive)| {
        let rest = text.strip_prefix(name)?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace)).then_some((*directive, rest))
    });
    let Some((directive, rest)) = found else {
        let word = text.split_whitespace().next().unwrap_or(text);
        return Some(Err(format!(
            "`{word}` is not a wps-lint directive, so this comment hides nothing; write `wps-lint-disable-next-line`, `wps-lint-disable-line` or `wps-lint-disable-file` and the rules"
        )));
    };
    let rules = rest.split_once("--").map_or(rest, |(rules, _reason)| rules);
    Some(Ok((
        directive,
        rules
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|key| !key.is_empty())
            .collect(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Range, Related};
    use crate::facts::LocatedRelated;
    use crate::rules::builtin_rules;
    use crate::run::Cancel;
    use crate::run::{Caches, analyse};
    use crate::source::{LoadOptions, SourceFile};

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
            skipped: Default::default(),
            places: Default::default(),
        }
    }

    fn settings(ignore: &[&str]) -> RuleSettings<'static> {
        RuleSettings {
            rules: builtin_rules(),
            select: Vec::new(),
            ignore: ignore.iter().map(|k| k.to_string()).collect(),
            configs: Vec::new(),
        }
    }

    /// `LINE CODE POINTER | MESSAGE` for every diagnostic.
    fn lint_with(inputs: &Inputs, ignore: &[&str]) -> Vec<String> {
        analyse(
            inputs,
            &settings(ignore),
            &LoadOptions::default(),
            Caches::default(),
            &Cancel::default(),
        )
        .unwrap()
        .diagnostics
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
            let named = directive_in(text)
                .and_then(Result::ok)
                .map(|(_, keys)| keys);
            assert_eq!(named.as_deref(), *expected, "{text:?}");
        }
        assert!(matches!(
            directive_in(" wps-lint-disable-line WPS003 -- set later"),
            Some(Ok((Directive::Line, keys))) if keys == ["WPS003"]
        ));
        assert!(matches!(
            directive_in("wps-lint-disable-file undefined-reference"),
            Some(Ok((Directive::File, _)))
        ));
        // Meant as a directive, but none: said, not ignored.
        for text in [
            " wps-lint-disable-next-lines WPS003",
            " wps-lint-disable WPS003",
            " WPS-LINT-DISABLE-NEXT-LINE WPS003",
            "wpslint-disable-next-line WPS003",
        ] {
            assert!(matches!(directive_in(text), Some(Err(_))), "{text:?}");
        }
        assert_eq!(directive_in(" see wps-lint-disable-next-line WPS003"), None);
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
    fn line_and_file_directives_and_a_malformed_one() {
        let resource = r#"[{ "type": "Microsoft.KeyVault/vaults",
  "name": "[parameters('a')]", // wps-lint-disable-line WPS003 -- set by the pipeline
  "location": "[parameters('b')]",
  // wps-lint-disable-next-lines WPS003
  "tags": { "x": "[parameters('c')]" } }]"#;
        assert_eq!(
            lint(&template(resource)),
            [
                "5 WPS003 /resources/0/location | the parameter `b` is not declared in this template",
                "6 WPS005  | `wps-lint-disable-next-lines` is not a wps-lint directive, so this comment hides nothing; write `wps-lint-disable-next-line`, `wps-lint-disable-line` or `wps-lint-disable-file` and the rules",
                "7 WPS003 /resources/0/tags/x | the parameter `c` is not declared in this template",
            ]
        );
        let inputs = inputs(&template(resource));
        let malformed = analyse(
            &inputs,
            &settings(&[]),
            &LoadOptions::default(),
            Caches::default(),
            &Cancel::default(),
        )
        .unwrap()
        .diagnostics
        .into_iter()
        .find(|d| d.code == "WPS005")
        .unwrap();
        assert_eq!(malformed.level, Level::Warning);
        let whole = format!("// wps-lint-disable-file WPS003\n{}", template(resource));
        assert_eq!(
            lint(&whole),
            [
                "7 WPS005  | `wps-lint-disable-next-lines` is not a wps-lint directive, so this comment hides nothing; write `wps-lint-disable-next-line`, `wps-lint-disable-line` or `wps-lint-disable-file` and the rules"
            ]
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
        let shared = super::super::pass::Shared {
            rules: builtin_rules(),
            read: &LoadOptions::default(),
            lowered: &Default::default(),
            cancel: &Cancel::default(),
        };
        let report = super::super::pass::run(
            &inputs,
            0,
            &[1],
            shared,
            super::super::pass::Keep::default(),
        )
        .unwrap();
        let mut suppressions = Suppressions::new(&inputs, report.suppressions.clone());
        let value = parameters.find("\"kv-contoso\"").unwrap();
        let name = text.find("\"[parameters('kv')]\"").unwrap();
        let located = |file: FileId, start: usize, end: usize| Located {
            file,
            location: Location {
                file: inputs.files[file].path.clone(),
                pointer: String::new(),
                range: Range::default(),
                span: Span::new(start, end),
            },
        };
        let finding = |related: Located| Resolved {
            code: "WPS003".into(),
            level: None,
            message: "m".into(),
            at: located(1, value, value + 12),
            related: vec![LocatedRelated {
                file: related.file,
                related: Related {
                    location: related.location,
                    message: "the template property".into(),
                },
            }],
            help: None,
            fix: None,
            unless: None,
            vault: None,
            parameters: None,
        };
        assert!(suppressions.suppresses(&finding(located(0, name, name + 20))));
        assert!(!suppressions.suppresses(&finding(located(0, 0, 1))));
        assert!(suppressions.unused(&settings(&[])).is_empty());
    }
}
