//! A corpus of real templates (about 2,500 files from public Microsoft repositories, kept outside
//! the repository; `WPS_LINT_CORPUS` names its folder): every file is analysed without a crash,
//! its JSON report is well formed, and with every rule on the only findings are the real
//! template bugs listed below. Without the corpus the test passes and prints
//! `skipped: ...`; with `WPS_LINT_REQUIRE_CORPUS=1` (which `.ci/run` sets) its absence fails.

use std::io::Write;
use std::path::PathBuf;

use wps_lint::diagnostic::Level;
use wps_lint::report::{Format, ReportInput, render};
use wps_lint::rules::builtin_rules;
use wps_lint::run::{RunOptions, lint};

/// Genuine mistakes in the corpus, each checked by hand: an undeclared variable or parameter
/// used unconditionally, and a garbled `listKeys()` argument list; and the Database Watcher
/// quickstart's shared private links on `2023-09-01-preview`, written before the stable
/// `2025-01-02` existed (WPS110, info: true, and harmless). Its parameter file gives two links,
/// one SQL server and one vault, so only those two loops deploy a link (and get WPS110); their
/// targets, worked out per item, take their subscription from the parameter file's
/// `GET-PREREQ-...` strings, which are not GUIDs (WPS101: true of the files as they stand;
/// these look like the quickstart's own placeholders, but no known convention tells them from
/// values, so they are reported like any other literal); and a Front Door origin nothing
/// approves (WPS201).
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
    (WATCHER, "WPS101", 308),
    (WATCHER, "WPS110", 362),
    (WATCHER, "WPS101", 365),
    // Nothing approves the Front Door origin's connection on the function app (the quickstart
    // leaves it to the reader); an unreadable approval in another template used to hide it.
    (
        "quickstart/quickstarts/microsoft.web/function-premium-frontdoor/azuredeploy.json",
        "WPS201",
        481,
    ),
];

const WATCHER: &str =
    "quickstart/quickstarts/microsoft.databasewatcher/create-watcher/azuredeploy.json";

#[test]
fn corpus_lints_cleanly() {
    let Some(corpus) = std::env::var_os("WPS_LINT_CORPUS")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
    else {
        assert!(
            std::env::var_os("WPS_LINT_REQUIRE_CORPUS").is_none_or(|v| v.is_empty() || v == "0"),
            "WPS_LINT_REQUIRE_CORPUS is set, but WPS_LINT_CORPUS does not name the corpus folder"
        );
        // Straight to the standard error stream, not `eprintln!`: the test harness captures
        // the macros' output of passing tests, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: corpus test (set WPS_LINT_CORPUS to the folder of the corpus)"
        );
        return;
    };
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
            .all(|d| d.level == Level::Error || ["WPS110", "WPS201"].contains(&d.code.as_str()))
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

/// How many links of each producer the corpus's templates have, and of those how many have a
/// known target ID and known group IDs, each template modelled with its parameters' defaults
/// (no parameter files) and with the templates it links by `relativePath`. A measure, not a
/// check: `WPS_LINT_CORPUS=... cargo test --test corpus -- --ignored --nocapture link_values`.
#[test]
#[ignore]
fn link_values_known_per_producer() {
    use std::collections::BTreeMap;
    use wps_lint::facts::links::Target;
    use wps_lint::facts::{TemplateFacts, Unit};
    use wps_lint::json::parse;
    use wps_lint::template::{Template, linked_paths};
    let Some(corpus) = std::env::var_os("WPS_LINT_CORPUS") else {
        eprintln!("skipped: link values (set WPS_LINT_CORPUS to the folder of the corpus)");
        return;
    };
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::from(corpus)];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    // Per producer: links, with a known target, with known group IDs, with both.
    let mut table: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let doc = parse(&text);
        let Ok(root) = &doc.root else { continue };
        let is_template = root
            .get("$schema")
            .and_then(|s| s.as_str())
            .is_some_and(|s| s.to_ascii_lowercase().contains("deploymenttemplate.json"));
        if !is_template {
            continue;
        }
        let folder = file.parent().unwrap();
        let texts: Vec<(&str, String)> = linked_paths(root)
            .into_iter()
            .filter_map(|p| Some((p, std::fs::read_to_string(folder.join(p)).ok()?)))
            .collect();
        let docs: Vec<(&str, _)> = texts.iter().map(|(p, t)| (*p, parse(t))).collect();
        let linked = |relative: &str| {
            let (_, doc) = docs.iter().find(|(p, _)| *p == relative)?;
            doc.root.as_ref().ok()
        };
        let unit = Unit::new(0, None, Template::build_linked(root, None, &linked));
        let facts = TemplateFacts::new(vec![(0, &doc)], vec![unit]);
        for link in &facts.links {
            let target = matches!(link.target, Target::Id(_));
            let groups =
                !link.groups.is_empty() && link.groups.iter().all(|g| g.literal().is_some());
            let row = table.entry(link.producer.noun).or_default();
            row[0] += 1;
            row[1] += usize::from(target);
            row[2] += usize::from(groups);
            row[3] += usize::from(target && groups);
        }
    }
    println!("| producer | links | target known | group IDs known | both |");
    println!("|---|---:|---:|---:|---:|");
    for (noun, [links, target, groups, both]) in &table {
        println!("| {noun} | {links} | {target} | {groups} | {both} |");
    }
}
