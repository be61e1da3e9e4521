//! Files named inside a git repository, as pre-commit and editors name them: findings are
//! reported for the named files only (with their parameter files and the templates of named
//! parameter files), and the rest of the repository answers a finding only where it truly
//! does (see `docs/context.md`).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
const CROSS_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/WPS201/silent-cross-file"
);

const PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "connectionName": { "value": "wps-contoso-prod.kv-link" } }
}
"#;

/// An approval on some vault whose name the template cannot know.
const APPROVES_SOME_VAULT: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "vault": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.KeyVault/vaults/privateEndpointConnections",
      "apiVersion": "2023-07-01",
      "name": "[format('{0}/{1}', parameters('vault'), 'connection')]",
      "properties": { "privateLinkServiceConnectionState": { "status": "Approved" } }
    }
  ]
}
"#;

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

/// A git repository (a `.git` folder is what makes one a project) of several folders.
fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The diagnostics of a run, as comparable JSON lines.
fn findings(dir: &Path, args: &[&str], input: Option<&str>) -> BTreeSet<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir)
        .args(args)
        .args(["--format", "json", "--fail-on", "never"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(input.unwrap_or_default().as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

fn files(findings: &BTreeSet<String>) -> BTreeSet<String> {
    findings
        .iter()
        .map(|d| {
            let d: serde_json::Value = serde_json::from_str(d).unwrap();
            d["file"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn only_the_named_files_are_reported_however_they_are_named() {
    let dir = repository(&[("p.json", PARAMETERS)]);
    let root = dir.path();
    copy(
        &format!("{EXAMPLES}/web-pubsub-private-vault.json"),
        &root.join("a/vault.json"),
    );
    std::fs::write(root.join("a/vault.parameters.json"), PARAMETERS).unwrap();
    copy(
        &format!("{EXAMPLES}/web-pubsub-broken-link.json"),
        &root.join("b/broken-link.json"),
    );
    copy(
        &format!("{EXAMPLES}/broken-expression.json"),
        &root.join("c/broken-expression.json"),
    );
    copy(
        &format!("{EXAMPLES}/web-pubsub-private-vault.json"),
        &root.join("c/deeper/vault.json"),
    );
    let broken = std::fs::read_to_string(root.join("b/broken-link.json")).unwrap();
    let cases: &[(&[&str], Option<&str>, &[&str])] = &[
        (
            &["check", "a/vault.json"],
            None,
            &["a/vault.json", "a/vault.parameters.json"],
        ),
        (
            &["check", "a/vault.parameters.json"],
            None,
            &["a/vault.json", "a/vault.parameters.json"],
        ),
        (
            &["check", "b/broken-link.json", "--parameters", "p.json"],
            None,
            &["b/broken-link.json", "p.json"],
        ),
        (
            &["check", "--stdin-filename", "b/broken-link.json", "-"],
            Some(&broken),
            &["b/broken-link.json"],
        ),
        (
            &["check", "c"],
            None,
            &["c/broken-expression.json", "c/deeper/vault.json"],
        ),
    ];
    for (args, input, allowed) in cases {
        let with_context = findings(root, args, *input);
        let reported = files(&with_context);
        let allowed: BTreeSet<String> = allowed.iter().map(|s| s.to_string()).collect();
        assert!(
            reported.is_subset(&allowed),
            "{args:?} reported {reported:?}"
        );
        let mut alone = args.to_vec();
        alone.push("--no-context");
        assert_eq!(
            with_context,
            findings(root, &alone, *input),
            "{args:?}: the same answers with and without context"
        );
    }
    // Named with a parameter file, the broken template still has its findings.
    assert!(!findings(root, cases[2].0, None).is_empty());
}

#[test]
fn another_file_answers_a_finding_only_when_it_names_the_same_resource() {
    let dir = repository(&[("elsewhere/approves-some-vault.json", APPROVES_SOME_VAULT)]);
    let root = dir.path();
    copy(
        &format!("{CROSS_FILE}/app.json"),
        &root.join("app/app.json"),
    );
    let missing =
        |findings: &BTreeSet<String>| findings.iter().filter(|d| d.contains("\"WPS201\"")).count();
    let named = ["check", "app/app.json"];
    assert_eq!(
        missing(&findings(root, &named, None)),
        1,
        "an approval whose vault cannot be read, in another deployment, answers nothing"
    );
    // A file of the project that approves the vault by its name does.
    copy(
        &format!("{CROSS_FILE}/vault.json"),
        &root.join("vault/vault.json"),
    );
    assert_eq!(missing(&findings(root, &named, None)), 0);
    assert_eq!(
        missing(&findings(
            root,
            &["check", "app/app.json", "--no-context"],
            None
        )),
        1
    );
    // One parameter file for two templates does not deploy them together.
    std::fs::remove_dir_all(root.join("vault")).unwrap();
    std::fs::write(root.join("p.json"), PARAMETERS).unwrap();
    let both = [
        "check",
        "app/app.json",
        "elsewhere/approves-some-vault.json",
        "--parameters",
        "p.json",
    ];
    assert_eq!(missing(&findings(root, &both, None)), 1);
}

#[test]
fn a_suppression_answered_by_another_file_is_still_in_use() {
    let dir = repository(&[]);
    let root = dir.path();
    let link = "\"type\": \"Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources\",";
    let app = std::fs::read_to_string(format!("{CROSS_FILE}/app.json")).unwrap();
    assert!(app.contains(link));
    let suppressed = app.replace(
        link,
        &format!("{link} \"metadata\": {{\"wps-lint\": {{\"disable\": [\"WPS201\"]}}}},"),
    );
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/app.json"), suppressed).unwrap();
    copy(
        &format!("{CROSS_FILE}/vault.json"),
        &root.join("vault/vault.json"),
    );
    for args in [
        &["check", "app/app.json"][..],
        &["check", "app/app.json", "--no-context"],
    ] {
        assert_eq!(findings(root, args, None), BTreeSet::new(), "{args:?}");
    }
}

#[test]
fn a_template_that_links_another_deploys_with_it() {
    let main = APPROVES_SOME_VAULT.replace(
        "\"resources\": [",
        r#""resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "app",
      "properties": { "mode": "Incremental", "templateLink": { "relativePath": "nested/app.json" } }
    },"#,
    );
    let dir = repository(&[("infra/main.json", &main)]);
    let root = dir.path();
    copy(
        &format!("{CROSS_FILE}/app.json"),
        &root.join("infra/nested/app.json"),
    );
    let missing = |args: &[&str]| {
        findings(root, args, None)
            .iter()
            .filter(|d| d.contains("\"WPS201\""))
            .count()
    };
    // The approval it cannot read may be the one the linked template's link needs.
    assert_eq!(missing(&["check", "infra/nested/app.json"]), 0);
    assert_eq!(
        missing(&["check", "infra/nested/app.json", "--no-context"]),
        1
    );
}

/// A kept pass is had when its files are unchanged, but a template's pass that read a linked
/// template is not kept: the linked file is not in the key, and an edit to it must be seen.
#[test]
fn a_kept_pass_sees_an_edit_of_a_template_it_links() {
    use std::sync::Arc;
    use wps_lint::run::{PassCache, RunOptions, lint};
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/WPS103/fires-linked-template-output");
    let main = std::fs::read_to_string(case.join("main.json")).unwrap();
    let storage = std::fs::read_to_string(case.join("modules/storage.json")).unwrap();
    let dir = repository(&[("main.json", &main), ("modules/storage.json", &storage)]);
    let options = RunOptions {
        paths: vec![dir.path().join("main.json")],
        cache: Some(Arc::new(PassCache::default())),
        ..RunOptions::default()
    };
    let group_findings = || {
        let outcome = lint(&options).unwrap();
        let codes = outcome.diagnostics.iter().map(|d| d.code.as_str());
        codes.filter(|c| *c == "WPS103").count()
    };
    assert_eq!(group_findings(), 2);
    // The module now deploys a Key Vault, whose group ID is `vault`: the first link's finding
    // goes; `queue` is still wrong.
    let vault = storage
        .replace(
            "Microsoft.Storage/storageAccounts",
            "Microsoft.KeyVault/vaults",
        )
        .replace("\"kind\": \"StorageV2\",", "");
    std::fs::write(dir.path().join("modules/storage.json"), vault).unwrap();
    assert_eq!(group_findings(), 1);
}
