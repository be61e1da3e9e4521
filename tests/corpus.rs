//! The shared corpus of real templates (`../shared/corpus`, beside the repository): every file
//! is analysed without a crash, its JSON report is well formed, and with every rule on
//! the only findings are the real template bugs listed below. Skipped with a message where the corpus
//! is absent (a clone elsewhere); CI has it, and there its absence fails the test.

use std::path::Path;

use wps_lint::diagnostic::Level;
use wps_lint::report::{Format, ReportInput, render};
use wps_lint::rules::builtin_rules;
use wps_lint::run::{RunOptions, lint};

/// Genuine mistakes in the corpus, each checked by hand: an undeclared variable or parameter
/// used unconditionally, and a garbled `listKeys()` argument list; and the Database Watcher
/// quickstart's shared private links on `2023-09-01-preview`, written before the stable
/// `2025-01-02` existed (WPS110, info: true, and harmless).
const KNOWN_BUGS: &[(&str, &str, u32)] = &[
    (
        "quickstart/application-workloads/chef/datameer-trend-chef-riskanalysis/azuredeploy.json",
        "WPS003",
        671,
    ),
    (
        "quickstart/application-workloads/orchard/orchard-cms-video-portal/azuredeploy.json",
        "WPS002",
        206,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/cs-server-Standard_D13_multiNIC_No.json",
        "WPS003",
        235,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server-Standard_multiNIC_No.json",
        "WPS003",
        241,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server-Standard_multiNIC_No.json",
        "WPS003",
        241,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server2-noplan.json",
        "WPS003",
        199,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server2-noplan.json",
        "WPS003",
        199,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server2.json",
        "WPS003",
        200,
    ),
    (
        "quickstart/application-workloads/sap/sap-2-tier-marketplace-image/shared/server2.json",
        "WPS003",
        200,
    ),
    (WATCHER, "WPS110", 305),
    (WATCHER, "WPS110", 324),
    (WATCHER, "WPS110", 343),
    (WATCHER, "WPS110", 362),
];

const WATCHER: &str =
    "quickstart/quickstarts/microsoft.databasewatcher/create-watcher/azuredeploy.json";

#[test]
fn shared_corpus_lints_cleanly() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/corpus"
        );
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    // Every rule, the off-by-default ones too, so any finding beyond the known bugs is a false
    // alarm. WPS004 only says which values no rule could read (most links of Azure's modules
    // take their targets from parameters without values), so it is left out.
    let outcome = lint(&RunOptions {
        paths: vec![corpus.clone()],
        select: builtin_rules()
            .iter()
            .map(|r| r.code.clone())
            .filter(|c| c != "WPS004")
            .collect(),
        ..RunOptions::default()
    })
    .unwrap();
    let templates = outcome.files_linted();
    assert!(templates > 2400, "only {templates} templates found");
    assert_eq!(outcome.notices(), []);

    let prefix = format!("{}/", corpus.to_string_lossy().replace('\\', "/"));
    let found: Vec<(String, String, u32)> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .location
                .file
                .strip_prefix(&prefix)
                .unwrap_or(&d.location.file);
            (
                file.to_string(),
                d.code.clone(),
                d.location.range.start.line,
            )
        })
        .collect();
    let known: Vec<(String, String, u32)> = KNOWN_BUGS
        .iter()
        .map(|(f, c, l)| (f.to_string(), c.to_string(), *l))
        .collect();
    assert_eq!(found, known);
    assert!(
        outcome
            .diagnostics
            .iter()
            .all(|d| d.level == Level::Error || d.code == "WPS110")
    );

    let source = |path: &str| outcome.source(path);
    let mut json = Vec::new();
    render(
        Format::Json,
        &ReportInput {
            diagnostics: &outcome.diagnostics,
            notices: outcome.notices(),
            files_linted: templates,
            source: &source,
            rules: builtin_rules(),
            tool_version: "test",
            color: false,
            quiet: true,
        },
        &mut json,
    )
    .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(report["summary"]["files"], templates);
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        outcome.diagnostics.len()
    );
}
