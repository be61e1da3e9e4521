//! The JSON report of the contract (`--format json`).
//!
//! Serialized from views defined here rather than from the `Serialize` impls in `diagnostic.rs`,
//! so the contract's key order and fields cannot change by accident.

use std::io::{self, Write};

use serde::Serialize;

use super::{Counts, ReportInput};
use crate::diagnostic::{Diagnostic, Edit, Fix, Location, Notice, Range, Related};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool<'a>,
    diagnostics: Vec<DiagnosticView<'a>>,
    notices: Vec<NoticeView<'a>>,
    summary: SummaryView,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct DiagnosticView<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    message: &'a str,
    file: &'a str,
    pointer: &'a str,
    range: RangeView,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    /// The rule's page, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixView<'a>>,
    /// The parameter file that gives the finding, of a template linted with several.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<&'a str>,
}

#[derive(Serialize)]
struct RelatedView<'a> {
    file: &'a str,
    pointer: &'a str,
    message: &'a str,
    range: RangeView,
}

#[derive(Serialize)]
struct FixView<'a> {
    description: &'a str,
    edits: Vec<EditView<'a>>,
}

#[derive(Serialize)]
struct EditView<'a> {
    range: RangeView,
    new_text: &'a str,
}

#[derive(Serialize)]
struct RangeView {
    start: PositionView,
    end: PositionView,
}

#[derive(Serialize)]
struct PositionView {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct NoticeView<'a> {
    file: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryView {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    let summary = Counts::of(input);
    let report = Report {
        version: 1,
        tool: Tool {
            name: super::TOOL_NAME,
            version: input.tool_version,
        },
        diagnostics: input
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, input.rule_url(&d.code)))
            .collect(),
        notices: input.notices.iter().map(notice).collect(),
        summary: SummaryView {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}

fn diagnostic(d: &Diagnostic, url: Option<String>) -> DiagnosticView<'_> {
    let Location {
        file,
        pointer,
        range,
        ..
    } = &d.location;
    DiagnosticView {
        code: &d.code,
        name: &d.name,
        level: d.level.as_str(),
        message: &d.message,
        file,
        pointer,
        range: range_view(range),
        related: d.related.iter().map(related).collect(),
        help: d.help.as_deref(),
        url,
        fix: d.fix.as_ref().map(fix),
        parameters: d.parameters.as_deref(),
    }
}

fn related(r: &Related) -> RelatedView<'_> {
    RelatedView {
        file: &r.location.file,
        pointer: &r.location.pointer,
        message: &r.message,
        range: range_view(&r.location.range),
    }
}

fn fix(f: &Fix) -> FixView<'_> {
    FixView {
        description: &f.description,
        edits: f.edits.iter().map(edit).collect(),
    }
}

fn edit(e: &Edit) -> EditView<'_> {
    EditView {
        range: range_view(&e.range),
        new_text: &e.new_text,
    }
}

fn notice(n: &Notice) -> NoticeView<'_> {
    NoticeView {
        file: &n.file,
        message: &n.message,
    }
}

fn range_view(range: &Range) -> RangeView {
    RangeView {
        start: PositionView {
            line: range.start.line,
            column: range.start.column,
        },
        end: PositionView {
            line: range.end.line,
            column: range.end.column,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::{diagnostics, render};
    use serde_json::{Value, json};

    #[test]
    fn matches_the_contract() {
        let text = render(Format::Json);
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"tool\": {\n    \"name\""));
        let value: Value = serde_json::from_str(&text).unwrap();
        let expected = json!({
            "version": 1,
            "tool": {"name": "wps-lint", "version": "0.1.0"},
            "diagnostics": [
                {
                    "code": "WPS301",
                    "name": "metadata-text",
                    "level": "info",
                    "message": "description has 100% <odd> & \"quoted\" text: a,b\r\nsecond line\u{1}",
                    "file": "infra/café.json",
                    "pointer": "/metadata/description",
                    "range": {"start": {"line": 2, "column": 31}, "end": {"line": 2, "column": 50}},
                    "url": "https://example.com/rules/metadata-text"
                },
                {
                    "code": "WPS205",
                    "name": "owner-not-email",
                    "level": "warning",
                    "message": "owner `Zoë` is not an e-mail address",
                    "file": "infra/café.json",
                    "pointer": "/metadata/owner",
                    "range": {"start": {"line": 2, "column": 61}, "end": {"line": 2, "column": 66}}
                },
                {
                    "code": "WPS103",
                    "name": "splr-group-id-mismatch",
                    "level": "error",
                    "message": "groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`",
                    "file": "infra/wps.json",
                    "pointer": "/resources/1/properties/groupId",
                    "range": {"start": {"line": 10, "column": 20}, "end": {"line": 10, "column": 28}},
                    "related": [
                        {
                            "file": "infra/wps.json",
                            "pointer": "/resources/0/name",
                            "message": "the vault is declared here",
                            "range": {"start": {"line": 5, "column": 15}, "end": {"line": 5, "column": 24}}
                        }
                    ],
                    "help": "the group ID of a Key Vault is `vault`",
                    "url": "https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md",
                    "fix": {
                        "description": "Replace with `vault`",
                        "edits": [
                            {
                                "range": {"start": {"line": 10, "column": 20}, "end": {"line": 10, "column": 28}},
                                "new_text": "\"vault\""
                            }
                        ]
                    }
                }
            ],
            "notices": [{"file": "README.json", "message": "not a deployment template"}],
            "summary": {"files": 2, "errors": 1, "warnings": 1, "infos": 1}
        });
        assert_eq!(value, expected);
        // `preserve_order` keeps key order on both sides, so compare it too.
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn diagnostic_rs_serializes_the_same_fields() {
        // The derives in diagnostic.rs give the same object, only `related`'s keys are in
        // another order (file, pointer, range, message): views keep the contract's order.
        // `url` comes from the rule, not the diagnostic.
        let text = render(Format::Json);
        let mut report: Value = serde_json::from_str(&text).unwrap();
        for d in report["diagnostics"].as_array_mut().unwrap() {
            d.as_object_mut().unwrap().remove("url");
        }
        let derived = serde_json::to_value(diagnostics()).unwrap();
        assert_eq!(report["diagnostics"], derived);
    }

    #[test]
    fn empty_run() {
        let text = super::super::test_support::render_with(Format::Json, |input| {
            input.diagnostics = &[];
            input.notices = &[];
        });
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"wps-lint\",\n    \"version\": \"0.1.0\"\n  },\n  \"diagnostics\": [],\n  \"notices\": [],\n  \"summary\": {\n    \"files\": 2,\n    \"errors\": 0,\n    \"warnings\": 0,\n    \"infos\": 0\n  }\n}\n"
        );
    }
}
