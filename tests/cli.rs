//! The command line as scripts use it: exit statuses, formats, notices, standard input,
//! directory walking.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLEAN: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "name": { "type": "string", "defaultValue": "kv-contoso" } },
  "resources": [
    { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('name')]" }
  ]
}
"#;

fn broken() -> String {
    CLEAN.replace("parameters('name')", "parameters('nmae')")
}

fn wps_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn exit_status_follows_the_contract() {
    let dir = fixture(&[("clean.json", CLEAN), ("bad/broken.json", &broken())]);
    assert_eq!(
        wps_lint(dir.path(), &["check", "clean.json"]).status.code(),
        Some(0)
    );
    assert_eq!(wps_lint(dir.path(), &["bad"]).status.code(), Some(1));
    assert_eq!(
        wps_lint(dir.path(), &["bad", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        wps_lint(dir.path(), &["bad", "--ignore", "WPS0"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        wps_lint(dir.path(), &["bad", "--select", "undefined-reference"])
            .status
            .code(),
        Some(1)
    );
    let missing = wps_lint(dir.path(), &["no-such-dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-dir"));
    assert_eq!(
        wps_lint(dir.path(), &["--format", "xml", "."])
            .status
            .code(),
        Some(2)
    );
    std::fs::write(dir.path().join("bad.toml"), "[rules]\nWPS003 = \"loud\"\n").unwrap();
    let bad_config = wps_lint(dir.path(), &["--config", "bad.toml", "."]);
    assert_eq!(bad_config.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_config.stderr).contains("loud"));
}

#[test]
fn nearest_config_sets_levels() {
    let dir = fixture(&[
        ("a/broken.json", &broken()),
        (
            "a/wps-lint.toml",
            "[rules]\nundefined-reference = \"warning\"\n",
        ),
    ]);
    let out = wps_lint(dir.path(), &["--format", "concise", "a"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("warning[WPS003]"), "{}", stdout(&out));
    assert_eq!(
        wps_lint(dir.path(), &["--fail-on", "warning", "a"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn concise_and_github_lines() {
    let dir = fixture(&[("broken.json", &broken())]);
    let out = wps_lint(dir.path(), &["--format", "concise", "broken.json"]);
    assert_eq!(
        stdout(&out),
        "broken.json:6:80: error[WPS003] the parameter `nmae` is not declared in this template\n\
         Found 1 problem (1 error) in 1 file.\n"
    );
    let out = wps_lint(dir.path(), &["--format", "github", "broken.json"]);
    assert_eq!(
        stdout(&out),
        "::error file=broken.json,line=6,col=80,endLine=6,endColumn=102,title=WPS003 undefined-reference::the parameter `nmae` is not declared in this template\n"
    );
}

#[test]
fn json_report_has_the_contract_shape() {
    let dir = fixture(&[
        ("broken.json", &broken()),
        ("readme.json", "{\"name\": \"not a template\"}"),
    ]);
    let out = wps_lint(
        dir.path(),
        &["--format", "json", "broken.json", "readme.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "wps-lint");
    let d = &report["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code", "name", "level", "message", "file", "pointer", "range", "help"
        ]
    );
    assert_eq!(d["pointer"], "/resources/0/name");
    assert_eq!(
        d["range"]["start"],
        serde_json::json!({"line": 6, "column": 80})
    );
    assert_eq!(
        d["range"]["end"],
        serde_json::json!({"line": 6, "column": 102})
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0, "infos": 0})
    );
    assert_eq!(report["notices"][0]["file"], "readme.json");
}

#[test]
fn bad_files_get_notices_and_never_stop_the_run() {
    let dir = fixture(&[
        ("good/broken.json", &broken()),
        ("good/truncated.json", &CLEAN[..120]),
    ]);
    std::fs::write(dir.path().join("binary.json"), b"\x00\x01\x02{").unwrap();
    std::fs::write(dir.path().join("latin1.json"), b"{\"a\": \"caf\xe9\"}").unwrap();
    let out = wps_lint(
        dir.path(),
        &["--format", "json", "binary.json", "latin1.json", "good"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["WPS003", "WPS001"]);
    let notices = report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2);
    assert!(notices[0]["message"].as_str().unwrap().contains("NUL"));
    assert!(notices[1]["message"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn deep_nesting_and_huge_input_are_findings_not_crashes() {
    let deep = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let dir = fixture(&[("deep.json", &deep)]);
    let out = wps_lint(dir.path(), &["--format", "concise", "deep.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("error[WPS001] invalid JSON: maximum nesting depth exceeded"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn directories_honour_gitignore_and_skip_other_json() {
    let dir = fixture(&[
        ("infra/broken.json", &broken()),
        ("ignored/broken.json", &broken()),
        (".gitignore", "ignored/\n"),
        ("package.json", "{\"name\": \"x\"}"),
    ]);
    let out = wps_lint(dir.path(), &["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["infra/broken.json"]);
    assert_eq!(report["notices"], serde_json::json!([]));
}

#[test]
fn standard_input_with_a_name() {
    let dir = fixture(&[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .args(["--format", "concise", "--stdin-filename", "main.json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(broken().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("main.json:6:80: error[WPS003]"));
}

#[test]
fn human_format_shows_the_source_line_and_help() {
    let dir = fixture(&[("broken.json", &broken())]);
    let out = wps_lint(dir.path(), &["broken.json", "--color", "never"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("error[WPS003]: the parameter `nmae` is not declared in this template\n"),
        "{text}"
    );
    assert!(text.contains("--> broken.json:6:80"));
    assert!(text.contains("\"name\": \"[parameters('nmae')]\""));
    assert!(text.contains("= help: declare it"));
    assert!(!text.contains('\u{1b}'));
    let colored = stdout(&wps_lint(dir.path(), &["broken.json", "--color", "always"]));
    assert!(colored.contains('\u{1b}'));
}

#[test]
fn sarif_is_valid_when_the_validator_is_installed() {
    let dir = fixture(&[("broken.json", &broken())]);
    let out = wps_lint(
        dir.path(),
        &[
            "--format",
            "sarif",
            "--output",
            "report.sarif",
            "broken.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.sarif")).unwrap()).unwrap();
    assert_eq!(report["version"], "2.1.0");
    assert_eq!(report["runs"][0]["results"][0]["ruleId"], "WPS003");
    assert_eq!(
        report["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        32
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate-sarif.sh");
    let validated = Command::new("bash")
        .arg(script)
        .arg(dir.path().join("report.sarif"))
        .output()
        .unwrap();
    match validated.status.code() {
        Some(0) => {}
        Some(2) if std::env::var_os("CI").is_none() => {
            eprintln!("SARIF multitool not installed; structural checks only (CI installs it)")
        }
        _ => panic!(
            "SARIF validation failed:\n{}{}",
            String::from_utf8_lossy(&validated.stdout),
            String::from_utf8_lossy(&validated.stderr)
        ),
    }
}

#[test]
fn rules_and_explain() {
    let dir = fixture(&[]);
    let out = stdout(&wps_lint(dir.path(), &["rules"]));
    assert_eq!(out.lines().count(), 32);
    assert!(
        out.lines()
            .any(|l| l.starts_with("WPS103  splr-group-id-mismatch") && l.contains("error"))
    );
    let page = stdout(&wps_lint(
        dir.path(),
        &["explain", "splr-group-id-mismatch"],
    ));
    assert!(page.starts_with("# WPS103 splr-group-id-mismatch"));
    assert!(page.contains("## Use instead"));
    assert_eq!(
        wps_lint(dir.path(), &["explain", "WPS999"]).status.code(),
        Some(2)
    );
}

const REQUIRE_TAGS: &str = r#"+++
code = "ORG001"
name = "require-owner-tag"
level = "warning"
summary = "Key Vaults carry an owner tag"

[[check]]
types = ["Microsoft.KeyVault/vaults"]
path = "$.tags.owner"
when = { exists = false }
message = "vault {name} has no `owner` tag"
help = "add \"tags\": {\"owner\": \"team-name\"}"
+++

## What it does

Our platform team asks for an owner on every vault.
"#;

#[test]
fn custom_declarative_rules() {
    let tagged = CLEAN.replace(
        "\"name\": \"[parameters('name')]\"",
        "\"name\": \"[parameters('name')]\", \"tags\": {\"owner\": \"platform\"}",
    );
    let dir = fixture(&[
        ("org-rules/ORG001.md", REQUIRE_TAGS),
        ("infra/untagged.json", CLEAN),
        ("infra/tagged.json", &tagged),
        (
            "configured/wps-lint.toml",
            "rules-dirs = [\"../org-rules\"]\n",
        ),
        ("configured/untagged.json", CLEAN),
    ]);
    let out = wps_lint(
        dir.path(),
        &[
            "--rules",
            "org-rules",
            "--format",
            "concise",
            "--fail-on",
            "warning",
            "infra",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "infra/untagged.json:6:80: warning[ORG001] vault kv-contoso has no `owner` tag\n\
         Found 1 problem (1 warning) in 2 files.\n"
    );
    // The same rule from the nearest config's rules-dirs, and listed in SARIF.
    let out = wps_lint(dir.path(), &["--format", "sarif", "configured"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["runs"][0]["results"][0]["ruleId"], "ORG001");
    let rules = report["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "ORG001" && r["name"] == "require-owner-tag")
    );
    // A broken rule file stops the run and says which file.
    std::fs::write(
        dir.path().join("org-rules/ORG002.md"),
        REQUIRE_TAGS
            .replace("ORG001", "ORG002")
            .replace("exists = false", "exists = 'maybe'"),
    )
    .unwrap();
    let out = wps_lint(dir.path(), &["--rules", "org-rules", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ORG002.md"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.path().join("org-rules/ORG002.md"),
        REQUIRE_TAGS.replace("ORG001", "WPS103"),
    )
    .unwrap();
    let out = wps_lint(dir.path(), &["--rules", "org-rules", "infra"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already taken"));
}
