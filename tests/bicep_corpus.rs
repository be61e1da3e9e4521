//! The Bicep front end over a corpus of real Bicep files (the folder named by
//! `WPS_LINT_BICEP_CORPUS`), linted as one run: no panic, no WPS001 (the files are valid Bicep,
//! so one would be the lowering's or the parser's fault), and every finding pinned by code,
//! each read by hand.

use std::collections::BTreeMap;
use std::path::PathBuf;

use wps_lint::run::{RunOptions, lint};

/// Findings by code, each read by hand. All three come from Azure Verified Modules' end-to-end
/// tests, which deploy the module twice in a serial loop (`init`, `idem`): the findings are
/// reported once, in the module file that declares the link (`.../main.bicep` of the
/// `managed-private-endpoint` and `shared-private-link-resource` child modules, at
/// `privateLinkResourceId:`), with the count of instances and each `module` statement on the
/// way from the test as a related place.
///
/// - WPS201 (2): `res/data-factory/factory/tests/e2e/max/main.test.bicep` (a Data Factory
///   managed private endpoint to a storage account) and
///   `res/search/search-service/tests/e2e/pe/main.test.bicep` (an AI Search shared private
///   link to a storage account): nothing in either test approves the connection, so it stays
///   Pending. True of the files as written.
/// - WPS104 (1): `res/search/search-service/tests/e2e/pe/main.test.bicep` names its vault
///   `dep-#_namePrefix_#-kv-ssspr`, 27 characters with `#` in them. AVM's pipeline replaces
///   the `#_namePrefix_#` token before it deploys, a convention none of our references
///   documents, so the name is reported as written.
const EXPECTED: &[(&str, usize)] = &[("WPS104", 1), ("WPS201", 2)];

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
