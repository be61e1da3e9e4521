//! What packaging promises: the pre-commit hook's metadata, the release workflow's triggers
//! and platforms, and the licence and links in Cargo.toml.

use std::path::Path;

use serde_norway::Value;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_norway::from_str(&text).unwrap()
}

#[test]
fn pre_commit_hook_sees_every_json_file_in_one_process() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "wps-lint");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "wps-lint check");
    // Cross-file rules need every file in one process.
    assert_eq!(hook["require_serial"], true);
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for (name, matched) in [
        ("infra/main.json", true),
        ("infra/main.jsonc", true),
        ("infra/main.json.bak", false),
        ("main.bicep", true),
        ("main.prod.bicepparam", true),
        ("main.bicep.bak", false),
    ] {
        assert_eq!(files.is_match(name), matched, "{name}");
    }
}

#[test]
fn release_workflow_builds_every_platform_on_a_version_tag() {
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"][0], "v*");
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap();
    for os in ["ubuntu", "macos", "windows"] {
        assert!(
            matrix
                .iter()
                .any(|m| m["os"].as_str().unwrap().starts_with(os)),
            "no {os} build"
        );
    }
    assert_eq!(workflow["permissions"]["contents"], "write");
    assert_eq!(workflow["jobs"]["release"]["needs"], "build");
}

#[test]
fn cargo_metadata_and_licence_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let package = &manifest["package"];
    assert_eq!(package["license"].as_str(), Some("MIT"));
    let licence = std::fs::read_to_string(root.join("LICENSE")).unwrap();
    assert!(licence.starts_with("MIT License\n"));
    let url = wps_lint::report::TOOL_URI;
    assert_eq!(package["repository"].as_str(), Some(url));
    assert_eq!(package["homepage"].as_str(), Some(url));
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    let version = package["version"].as_str().unwrap();
    assert!(
        changelog
            .lines()
            .any(|l| l.starts_with("## ") && l.ends_with(version)),
        "CHANGELOG.md has no section for {version}"
    );
}
