//! Fixture tests: every `<case>.expected` under `tests/fixtures/` lists the diagnostics that
//! linting `<case>.json` (with its parameter file), or the folder `<case>/` as one analysis set,
//! must produce, one per line: `FILE:LINE:COL CODE POINTER | MESSAGE`
//! (an empty pointer, the whole file, is written `""`). Set `WPS_LINT_BLESS=1`
//! to rewrite the files from the current output (then review the diff).
//!
//! Every rule of the catalog must have a check and a folder of cases named by its code; `e2e`
//! holds the end-to-end scenarios.

use std::path::{Path, PathBuf};

use wps_lint::rules::{builtin_rules, implemented_codes};
use wps_lint::run::{RunOptions, lint};

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && !path.with_extension("expected").exists() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "expected") {
            out.push(path);
        }
    }
}

fn target(expected: &Path) -> PathBuf {
    let dir = expected.with_extension("");
    if dir.is_dir() {
        return dir;
    }
    for ext in ["json", "jsonc"] {
        let file = expected.with_extension(ext);
        if file.exists() {
            return file;
        }
    }
    panic!("{}: no template or folder beside it", expected.display());
}

fn render(expected: &Path) -> String {
    let base = expected.parent().unwrap();
    let outcome = lint(&RunOptions {
        paths: vec![target(expected)],
        ..RunOptions::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    let mut text = String::new();
    for d in &outcome.diagnostics {
        let file = Path::new(&d.location.file);
        let file = file
            .strip_prefix(base)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    cases(&root, &mut all);
    let implemented = implemented_codes(builtin_rules());
    let mut folders: std::collections::BTreeSet<String> =
        all.iter().map(|e| rule_of(e, &root)).collect();
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
                expected.strip_prefix(&root).unwrap().display()
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
