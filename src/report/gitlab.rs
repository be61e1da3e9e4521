//! GitLab Code Quality (`--format gitlab`): a JSON array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` and `location` (`path`, `lines.begin`).
//!
//! Severities: error → `major`, warning → `minor`, info → `info` (GitLab's `critical` and
//! `blocker` are left for tools that know a finding breaks production; ours say a deployment
//! is likely to fail or misbehave). The fingerprint is the SARIF one (rule, file, pointer,
//! message; no line), so an issue keeps its identity when unrelated lines move; repeats of the
//! same finding get `-2`, `-3`, ... so that GitLab, which keys issues by fingerprint, keeps
//! each.

use std::io::{self, Write};

use foldhash::{HashMap, HashMapExt};
use serde::Serialize;

use super::{ReportInput, fingerprint, message_with_url};
use crate::diagnostic::Level;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = input
        .diagnostics
        .iter()
        .map(|d| {
            let base = fingerprint(d);
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            Issue {
                description: format!("{} {}: {}", d.code, d.name, message_with_url(input, d)),
                check_name: &d.code,
                fingerprint: match *count {
                    1 => base,
                    n => format!("{base}-{n}"),
                },
                severity: severity(d.level),
                location: IssueLocation {
                    path: &d.location.file,
                    lines: Lines {
                        begin: d.location.range.start.line,
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    out.write_all(b"\n")
}

fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
        Level::Info | Level::Off => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        diagnostics, render, render_input, render_with, rules, source,
    };
    use super::super::{Format, ReportInput};
    use serde_json::{Value, json};

    #[test]
    fn issues_have_gitlabs_fields() {
        let issues: Value = serde_json::from_str(&render(Format::Gitlab)).unwrap();
        let fingerprints: Vec<String> = diagnostics()
            .iter()
            .map(super::super::fingerprint)
            .collect();
        assert_eq!(
            issues,
            json!([
                {
                    "description": "WPS301 metadata-text: description has 100% <odd> & \"quoted\" text: a,b\r\nsecond line\u{1} (https://example.com/rules/metadata-text)",
                    "check_name": "WPS301",
                    "fingerprint": fingerprints[0],
                    "severity": "info",
                    "location": {"path": "infra/café.json", "lines": {"begin": 2}}
                },
                {
                    "description": "WPS205 owner-not-email: owner `Zoë` is not an e-mail address",
                    "check_name": "WPS205",
                    "fingerprint": fingerprints[1],
                    "severity": "minor",
                    "location": {"path": "infra/café.json", "lines": {"begin": 2}}
                },
                {
                    "description": "WPS103 splr-group-id-mismatch: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault` (https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md)",
                    "check_name": "WPS103",
                    "fingerprint": fingerprints[2],
                    "severity": "major",
                    "location": {"path": "infra/wps.json", "lines": {"begin": 10}}
                }
            ])
        );
    }

    #[test]
    fn fingerprints_ignore_lines_and_repeats_stay_distinct() {
        let mut moved = diagnostics();
        for d in &mut moved {
            d.location.range.start.line += 7;
        }
        let repeated = [moved[2].clone(), moved[2].clone(), moved[2].clone()];
        let rules = rules();
        let text = render_input(
            Format::Gitlab,
            &ReportInput {
                diagnostics: &repeated,
                notices: &[],
                files_linted: 1,
                source: &|path| source(path),
                rules: &rules,
                tool_version: "0.1.0",
                color: false,
                quiet: false,
            },
        );
        let issues: Value = serde_json::from_str(&text).unwrap();
        let base = super::super::fingerprint(&diagnostics()[2]);
        let fingerprints: Vec<&str> = issues
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(
            fingerprints,
            [base.clone(), format!("{base}-2"), format!("{base}-3")]
        );
        assert_eq!(issues[0]["location"]["lines"]["begin"], 17);
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        let text = render_with(Format::Gitlab, |input| input.diagnostics = &[]);
        assert_eq!(text, "[]\n");
    }
}
