//! Fixture tests: every `<case>.expected` under `tests/fixtures/` lists the diagnostics that
//! linting `<case>.json` or `<case>.bicep` (with its parameter file), or the folder `<case>/` as one analysis set,
//! must produce, one per line: `FILE:LINE:COL CODE POINTER | MESSAGE`
//! (an empty pointer, the whole file, is written `""`). Set `WPS_LINT_BLESS=1`
//! to rewrite the files from the current output (then review the diff).
//!
//! Every rule of the catalog must have a check and a folder of cases named by its code; `e2e`
//! holds the end-to-end scenarios.

use std::path::Path;

use wps_lint::diagnostic::Diagnostic;
use wps_lint::rules::{builtin_rules, implemented_codes};
use wps_lint::run::{RunOptions, lint};

mod fixture_cases;
use fixture_cases::{FIXTURES, expected_files, target};

fn diagnostics(expected: &Path) -> Vec<Diagnostic> {
    let base = expected.parent().unwrap();
    let relative = |file: &mut String| {
        let path = Path::new(file.as_str());
        *file = path
            .strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
    };
    // Each case is its own analysis set, not context for the others.
    let mut diagnostics = lint(&RunOptions {
        paths: vec![target(expected)],
        no_context: true,
        ..RunOptions::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", expected.display()))
    .diagnostics;
    for d in &mut diagnostics {
        relative(&mut d.location.file);
        for r in &mut d.related {
            relative(&mut r.location.file);
        }
    }
    diagnostics
}

fn render(expected: &Path) -> String {
    let mut text = String::new();
    for d in &diagnostics(expected) {
        let file = &d.location.file;
        let start = d.location.range.start;
        let pointer = if d.location.pointer.is_empty() {
            "\"\""
        } else {
            &d.location.pointer
        };
        text.push_str(&format!(
            "{file}:{}:{} {} {pointer} | {}\n",
            start.line, start.column, d.code, d.message
        ));
    }
    text
}

/// The rule a case belongs to: its top folder under `tests/fixtures` (`e2e` needs all rules).
fn rule_of(expected: &Path, root: &Path) -> String {
    let relative = expected.strip_prefix(root).unwrap();
    relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn fixtures_produce_exactly_the_expected_diagnostics() {
    let root = Path::new(FIXTURES);
    let all = expected_files();
    let implemented = implemented_codes(builtin_rules());
    let mut folders: std::collections::BTreeSet<String> =
        all.iter().map(|e| rule_of(e, root)).collect();
    assert!(folders.remove("e2e"), "no end-to-end cases");
    let catalog: std::collections::BTreeSet<String> =
        builtin_rules().iter().map(|r| r.code.clone()).collect();
    assert_eq!(
        folders, catalog,
        "one folder of cases per rule of the catalog"
    );
    for code in &catalog {
        assert!(implemented.contains(&code.as_str()), "{code} has no check");
    }
    let bless = std::env::var_os("WPS_LINT_BLESS").is_some();
    let mut failures = Vec::new();
    for expected in &all {
        let actual = render(expected);
        if bless {
            std::fs::write(expected, &actual).unwrap();
            continue;
        }
        let wanted = std::fs::read_to_string(expected)
            .unwrap()
            .replace("\r\n", "\n");
        if actual != wanted {
            failures.push(format!(
                "{}\n--- expected\n{wanted}--- actual\n{actual}",
                expected.strip_prefix(root).unwrap().display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// Every field of every fixture's diagnostics (related places, help, fixes, byte spans), against
/// `tests/reference/fixtures.json`: the `.expected` files pin what a user reads first, this pins
/// the rest, so that a change to how a run is put together cannot drift silently.
/// `WPS_LINT_BLESS=1` rewrites it.
#[test]
fn fixtures_match_the_full_reference() {
    let root = Path::new(FIXTURES);
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/fixtures.json");
    let all = expected_files();
    let actual: serde_json::Map<String, serde_json::Value> = all
        .iter()
        .map(|expected| {
            let name = expected.strip_prefix(root).unwrap().to_string_lossy();
            let full: Vec<serde_json::Value> = diagnostics(expected)
                .iter()
                .map(|d| {
                    let mut value = serde_json::to_value(d).unwrap();
                    // Spans are not serialised for users; the reference keeps them.
                    value["span"] = serde_json::json!([d.location.span.start, d.location.span.end]);
                    value
                })
                .collect();
            (name.replace('\\', "/"), serde_json::Value::from(full))
        })
        .collect();
    if std::env::var_os("WPS_LINT_BLESS").is_some() {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&actual).unwrap() + "\n";
        std::fs::write(&reference, text).unwrap();
        return;
    }
    let wanted: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&reference).unwrap()).unwrap();
    let names: std::collections::BTreeSet<&String> = actual.keys().chain(wanted.keys()).collect();
    let differing: Vec<String> = names
        .into_iter()
        .filter(|k| actual.get(*k) != wanted.get(*k))
        .map(|k| {
            format!(
                "{k}\n--- reference\n{}\n--- actual\n{}",
                serde_json::to_string_pretty(&wanted.get(k)).unwrap(),
                serde_json::to_string_pretty(&actual.get(k)).unwrap()
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} cases differ from the reference:\n\n{}",
        differing.len(),
        differing.join("\n")
    );
}
