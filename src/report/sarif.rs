//! SARIF 2.1.0 (`--format sarif`), for GitHub code scanning and other SARIF viewers.
//!
//! Columns are Unicode scalar values (`columnKind: unicodeCodePoints`), 1-based; our ranges end
//! exclusively, which is what SARIF's `endColumn` means.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{ReportInput, fingerprint, rule_url};
use crate::diagnostic::{Diagnostic, Level, Location, Range, Span};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of the result fingerprint that stays put when unrelated lines move.
pub const FINGERPRINT_KEY: &str = "wpsLint/v1";

const SRCROOT: &str = "%SRCROOT%";

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(input))?;
    out.write_all(b"\n")
}

fn log(input: &ReportInput) -> Value {
    let rules: Vec<Value> = input.rules.iter().map(rule).collect();
    let results: Vec<Value> = input.diagnostics.iter().map(|d| result(input, d)).collect();
    let notifications: Vec<Value> = input
        .notices
        .iter()
        .map(|notice| {
            json!({
                "level": "note",
                "message": {"text": notice.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(&notice.file)}}],
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": super::TOOL_NAME,
                    "version": input.tool_version,
                    "semanticVersion": input.tool_version,
                    "informationUri": super::TOOL_URI,
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn rule(meta: &crate::rules::RuleMeta) -> Value {
    let help_text = if meta.documentation.trim().is_empty() {
        &meta.summary
    } else {
        &meta.documentation
    };
    let mut configuration = Map::new();
    if meta.level == Level::Off {
        configuration.insert("enabled".into(), false.into());
    }
    configuration.insert("level".into(), default_level(meta.level).into());
    let mut rule = json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.summary},
        "help": {"text": help_text, "markdown": help_text},
    });
    // A user's rule without a `url` has no page: leave the key out rather than guess one.
    if let Some(url) = rule_url(meta) {
        rule["helpUri"] = url.into();
    }
    rule["defaultConfiguration"] = configuration.into();
    rule
}

fn default_level(level: Level) -> &'static str {
    match level {
        Level::Off => "none",
        other => result_level(other),
    }
}

fn result_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Off => "note",
    }
}

fn result(input: &ReportInput, d: &Diagnostic) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), d.code.clone().into());
    if let Some(index) = input.rules.iter().position(|rule| rule.code == d.code) {
        result.insert("ruleIndex".into(), index.into());
    }
    result.insert("level".into(), result_level(d.level).into());
    result.insert("message".into(), json!({"text": d.message}));
    result.insert(
        "locations".into(),
        json!([{"physicalLocation": physical(input, &d.location)}]),
    );
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, related)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(input, &related.location),
                    "message": {"text": related.message},
                })
            })
            .collect();
        result.insert("relatedLocations".into(), related.into());
    }
    result.insert(
        "partialFingerprints".into(),
        json!({FINGERPRINT_KEY: fingerprint(d)}),
    );
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(&edit.range),
                    "insertedContent": {"text": edit.new_text},
                })
            })
            .collect();
        result.insert(
            "fixes".into(),
            json!([{
                "description": {"text": fix.description},
                "artifactChanges": [{
                    "artifactLocation": artifact(&d.location.file),
                    "replacements": replacements,
                }],
            }]),
        );
    }
    result.insert(
        "properties".into(),
        json!({"name": d.name, "pointer": d.location.pointer}),
    );
    Value::Object(result)
}

fn physical(input: &ReportInput, location: &Location) -> Value {
    let mut region = region(&location.range);
    if let Some(snippet) = snippet(input, &location.file, location.span) {
        region["snippet"] = json!({"text": snippet});
    }
    json!({
        "artifactLocation": artifact(&location.file),
        "region": region,
    })
}

fn region(range: &Range) -> Value {
    json!({
        "startLine": range.start.line,
        "startColumn": range.start.column,
        "endLine": range.end.line,
        "endColumn": range.end.column,
    })
}

/// The located text, when the file's text is at hand and the span fits it.
fn snippet<'a>(input: &ReportInput<'a>, file: &str, span: Span) -> Option<&'a str> {
    if span.start >= span.end {
        return None;
    }
    (input.source)(file)?.slice(span)
}

/// A relative path becomes a URI reference under `%SRCROOT%`; an absolute one a `file:` URI.
fn artifact(path: &str) -> Value {
    let path = path.replace('\\', "/");
    let drive =
        path.len() >= 2 && path.as_bytes()[0].is_ascii_alphabetic() && path.as_bytes()[1] == b':';
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", encode_path(&path))})
    } else if drive {
        let (letter, rest) = path.split_at(2);
        json!({"uri": format!("file:///{letter}{}", encode_path(rest))})
    } else {
        let relative = path.trim_start_matches("./");
        json!({"uri": encode_path(relative), "uriBaseId": SRCROOT})
    }
}

/// Percent-encodes every byte that may not stand as itself in a URI path.
fn encode_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::{diagnostics, render, render_with};
    use super::*;
    use crate::diagnostic::Position;

    #[test]
    fn structure() {
        let log: Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["runs"].as_array().unwrap().len(), 1);
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");

        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "wps-lint");
        assert_eq!(driver["version"], "0.1.0");
        assert_eq!(
            driver["informationUri"],
            "https://github.com/wps-lint/wps-lint"
        );
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 4);
        assert_eq!(
            rules[0],
            json!({
                "id": "WPS103",
                "name": "splr-group-id-mismatch",
                "shortDescription": {"text": "The groupId of a shared private link resource matches its target"},
                "fullDescription": {"text": "The groupId of a shared private link resource matches its target"},
                "help": {
                    "text": "# WPS103 splr-group-id-mismatch\n\nThe groupId of a shared private link resource matches its target.\n",
                    "markdown": "# WPS103 splr-group-id-mismatch\n\nThe groupId of a shared private link resource matches its target.\n"
                },
                "helpUri": "https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md",
                "defaultConfiguration": {"level": "error"}
            })
        );
        assert_eq!(
            rules[1]["defaultConfiguration"],
            json!({"level": "warning"})
        );
        // Users' rules: the page their front matter names, or no helpUri at all.
        assert_eq!(rules[1].get("helpUri"), None);
        assert_eq!(
            rules[2]["helpUri"],
            "https://example.com/rules/metadata-text"
        );
        assert_eq!(rules[2]["defaultConfiguration"], json!({"level": "note"}));
        assert_eq!(
            rules[3]["defaultConfiguration"],
            json!({"enabled": false, "level": "none"})
        );

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["note", "warning", "error"]);
        assert_eq!(results[1]["ruleIndex"], 1);
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"],
            json!({
                "artifactLocation": {"uri": "infra/caf%C3%A9.json", "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": 2, "startColumn": 61, "endLine": 2, "endColumn": 66,
                    "snippet": {"text": "\"Zoë\""}
                }
            })
        );
        assert!(results[1].get("relatedLocations").is_none());
        assert!(results[1].get("fixes").is_none());

        let error = &results[2];
        assert_eq!(error["ruleId"], "WPS103");
        assert_eq!(error["ruleIndex"], 0);
        assert_eq!(
            error["message"]["text"],
            "groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`"
        );
        assert_eq!(
            error["relatedLocations"],
            json!([{
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "infra/wps.json", "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": 5, "startColumn": 15, "endLine": 5, "endColumn": 24,
                        "snippet": {"text": "\"kv-main\""}
                    }
                },
                "message": {"text": "the vault is declared here"}
            }])
        );
        assert_eq!(
            error["fixes"],
            json!([{
                "description": {"text": "Replace with `vault`"},
                "artifactChanges": [{
                    "artifactLocation": {"uri": "infra/wps.json", "uriBaseId": "%SRCROOT%"},
                    "replacements": [{
                        "deletedRegion": {"startLine": 10, "startColumn": 20, "endLine": 10, "endColumn": 28},
                        "insertedContent": {"text": "\"vault\""}
                    }]
                }]
            }])
        );
        let fingerprint = error["partialFingerprints"]["wpsLint/v1"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 16);
        assert_eq!(
            run["invocations"][0]["toolExecutionNotifications"][0],
            json!({
                "level": "note",
                "message": {"text": "not a deployment template"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "README.json", "uriBaseId": "%SRCROOT%"}}}]
            })
        );
    }

    #[test]
    fn fingerprint_ignores_lines_but_not_content() {
        let original = diagnostics().remove(2);
        let mut moved = original.clone();
        moved.location.range.start = Position {
            line: 40,
            column: 20,
        };
        moved.location.range.end = Position {
            line: 40,
            column: 28,
        };
        moved.location.span = Span::new(1000, 1008);
        assert_eq!(fingerprint(&original), fingerprint(&moved));
        let mut other = original.clone();
        other.location.pointer = "/resources/2/properties/groupId".to_string();
        assert_ne!(fingerprint(&original), fingerprint(&other));
        // Pinned: changing the hash changes every alert's identity on GitHub (bump the key's
        // `/v1` if it must change).
        assert_eq!(fingerprint(&original), "f8a3b6ed70465eff");
    }

    #[test]
    fn uris() {
        assert_eq!(
            artifact("dir with space\\x#1.json"),
            json!({"uri": "dir%20with%20space/x%231.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("./a/b.json"),
            json!({"uri": "a/b.json", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact("/tmp/a b.json"),
            json!({"uri": "file:///tmp/a%20b.json"})
        );
        assert_eq!(
            artifact("C:\\x\\y.json"),
            json!({"uri": "file:///C:/x/y.json"})
        );
    }

    #[test]
    fn unknown_rule_has_no_index() {
        let text = render_with(Format::Sarif, |input| input.rules = &[]);
        let log: Value = serde_json::from_str(&text).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "WPS301");
        assert!(result.get("ruleIndex").is_none());
    }

    /// With `WPS_LINT_SAMPLE_DIR` set, writes the fixtures' SARIF and JUnit reports there, for
    /// the real validators (`validate-sarif.sh`).
    #[test]
    fn write_samples_for_validators() {
        let Some(dir) = std::env::var_os("WPS_LINT_SAMPLE_DIR") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("sample.sarif"), render(Format::Sarif)).unwrap();
        std::fs::write(dir.join("sample.junit.xml"), render(Format::Junit)).unwrap();
        let empty = render_with(Format::Sarif, |input| {
            input.diagnostics = &[];
            input.notices = &[];
        });
        std::fs::write(dir.join("empty.sarif"), empty).unwrap();
    }
}
