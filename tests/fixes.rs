//! Machine-applicable fixes do what they say: applying every fix to an end-to-end template
//! with one mistake gives a template that lints clean, and still parses.

use std::path::Path;

use wps_lint::diagnostic::Diagnostic;
use wps_lint::run::{RunOptions, lint};

fn lint_file(path: &Path) -> Vec<Diagnostic> {
    lint(&RunOptions {
        paths: vec![path.to_path_buf()],
        ..RunOptions::default()
    })
    .unwrap()
    .diagnostics
}

/// Applies every fix's edits, last first so earlier offsets stay valid.
fn apply(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut edits: Vec<_> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut text = text.to_string();
    for edit in edits {
        text.replace_range(edit.span.range(), &edit.new_text);
    }
    text
}

#[test]
fn fixes_repair_the_end_to_end_mistakes() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e");
    let cases = [
        ("break-group-id-vaults", "WPS103"),
        ("break-approval-no-depends-on", "WPS203"),
        ("break-status-pending", "WPS202"),
        ("break-privatelink-host", "WPS301"),
        ("break-resource-id-leading-underscore", "WPS101"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (case, code) in cases {
        let original = e2e.join(format!("{case}.json"));
        let before = lint_file(&original);
        assert_eq!(
            before.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            [code],
            "{case}"
        );
        assert!(before[0].fix.is_some(), "{case}: {code} has no fix");
        let fixed = dir.path().join(format!("{case}.json"));
        std::fs::write(
            &fixed,
            apply(&std::fs::read_to_string(&original).unwrap(), &before),
        )
        .unwrap();
        let after = lint_file(&fixed);
        assert!(after.is_empty(), "{case} after the fix: {after:#?}");
    }
}

#[test]
fn missing_dependency_fix_creates_or_extends_depends_on() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/WPS203");
    let dir = tempfile::tempdir().unwrap();
    for case in [
        "fires-classic",
        "fires-symbolic",
        "fires-depends-on-other",
        "fires-nested-child",
        "fires-deployment-script",
        "fires-nested-deployment-inner",
        "fires-nested-deployment-outer",
    ] {
        let original = fixtures.join(format!("{case}.json"));
        let before = lint_file(&original);
        let fixable: Vec<_> = before
            .iter()
            .filter(|d| d.code == "WPS203" && d.fix.is_some())
            .cloned()
            .collect();
        assert_eq!(fixable.len(), 1, "{case}: {before:#?}");
        let fixed = dir.path().join(format!("{case}.json"));
        std::fs::write(
            &fixed,
            apply(&std::fs::read_to_string(&original).unwrap(), &fixable),
        )
        .unwrap();
        let after = lint_file(&fixed);
        assert!(
            after
                .iter()
                .all(|d| d.code != "WPS203" && d.code != "WPS001"),
            "{case} after the fix: {after:#?}"
        );
    }
}
