//! The editor configurations that no real-client test runs (Helix) or whose parts the server
//! reads by name (the VS Code settings) stay in step with the server.

use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

#[test]
fn helix_adds_the_server_beside_the_default_json_one() {
    let config: toml::Table = toml::from_str(&read("editors/helix/languages.toml")).unwrap();
    let server = &config["language-server"]["wps-lint"];
    assert_eq!(server["command"].as_str(), Some("wps-lint"));
    assert_eq!(server["args"].as_array().unwrap()[0].as_str(), Some("lsp"));
    let languages = config["language"].as_array().unwrap();
    for name in ["json", "jsonc"] {
        let language = languages
            .iter()
            .find(|l| l["name"].as_str() == Some(name))
            .unwrap();
        let servers: Vec<_> = language["language-servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(
            servers,
            ["vscode-json-language-server", "wps-lint"],
            "{name}"
        );
    }
}

#[test]
fn vscode_exposes_every_server_setting() {
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    let properties = manifest["contributes"]["configuration"]["properties"]
        .as_object()
        .unwrap();
    for setting in ["path", "select", "ignore", "rulesDirs", "config"] {
        assert!(
            properties.contains_key(&format!("wps-lint.{setting}")),
            "{setting}"
        );
    }
    let activation = manifest["activationEvents"].as_array().unwrap();
    assert!(activation.contains(&serde_json::json!("onLanguage:json")));
}
