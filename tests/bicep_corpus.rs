//! The Bicep front end over a corpus of real Bicep files (the folder named by
//! `WPS_LINT_BICEP_CORPUS`), linted as one run: no panic, no WPS001 (the files are valid Bicep,
//! so one would be the lowering's or the parser's fault), and every finding pinned by code,
//! each read by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;

use wps_lint::run::{RunOptions, lint};

/// Findings by code, each read by hand.
///
/// WPS108 (1): `res/cdn/profile/tests/e2e/afd/main.test.bicep`, a Standard Front Door whose
/// origins have no `sharedPrivateLinkResource`. A false alarm, but not the lowering's: the origin
/// module gets `origin.?sharedPrivateLinkResource` of a module-loop item, which the evaluator
/// cannot know (the item is a copy-index symbol), and `facts::links` counts an origin whose
/// `sharedPrivateLinkResource` is unknown as a private origin. The compiled JSON of the same
/// files (`tryGet(...)`) gives the same finding; to be fixed there.
const EXPECTED: &[(&str, usize)] = &[("WPS108", 1)];

#[test]
fn bicep_corpus_lints_without_syntax_errors_and_with_the_pinned_findings() {
    let Some(dir) = std::env::var_os("WPS_LINT_BICEP_CORPUS").filter(|v| !v.is_empty()) else {
        assert!(
            std::env::var_os("WPS_LINT_REQUIRE_CORPUS").is_none_or(|v| v.is_empty() || v == "0"),
            "WPS_LINT_REQUIRE_CORPUS is set, but WPS_LINT_BICEP_CORPUS does not name the Bicep corpus folder"
        );
        println!("skipped: Bicep lint corpus test (set WPS_LINT_BICEP_CORPUS to the folder)");
        return;
    };
    let outcome = lint(&RunOptions {
        paths: vec![PathBuf::from(&dir)],
        no_context: true,
        ..RunOptions::default()
    })
    .expect("the corpus lints");
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &outcome.diagnostics {
        *by_code.entry(&d.code).or_default() += 1;
    }
    println!(
        "{} files linted; findings by code: {by_code:?}",
        outcome.files_linted()
    );
    let syntax: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == "WPS001")
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.location.file, d.location.range.start.line, d.message
            )
        })
        .collect();
    assert!(syntax.is_empty(), "{}", syntax.join("\n"));
    let expected: BTreeMap<&str, usize> = EXPECTED.iter().copied().collect();
    assert_eq!(by_code, expected);
}
