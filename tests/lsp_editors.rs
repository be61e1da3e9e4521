//! The editor configurations that no real-client test runs (Helix) or whose parts the server
//! reads by name (the VS Code settings and languages) stay in step with the server.

use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

#[test]
fn helix_adds_the_server_beside_the_default_bicep_and_json_ones() {
    let config: toml::Table = toml::from_str(&read("editors/helix/languages.toml")).unwrap();
    let server = &config["language-server"]["wps-lint"];
    assert_eq!(server["command"].as_str(), Some("wps-lint"));
    assert_eq!(server["args"].as_array().unwrap()[0].as_str(), Some("lsp"));
    let languages = config["language"].as_array().unwrap();
    // Helix's own servers for these languages (its default languages.toml), then wps-lint.
    for (name, default) in [
        ("bicep", "bicep-langserver"),
        ("json", "vscode-json-language-server"),
        ("jsonc", "vscode-json-language-server"),
    ] {
        let language = languages
            .iter()
            .find(|l| l["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no {name}"));
        let servers: Vec<_> = language["language-servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(servers, [default, "wps-lint"], "{name}");
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
    let languages = manifest["contributes"]["languages"].as_array().unwrap();
    for (language, extension) in [("bicep", ".bicep"), ("bicep-params", ".bicepparam")] {
        // The language ids of Microsoft's Bicep extension, declared here too so that a Bicep
        // file has its language where that extension is absent.
        let declared = languages.iter().find(|l| l["id"] == language).unwrap();
        assert_eq!(declared["extensions"], serde_json::json!([extension]));
        assert!(activation.contains(&serde_json::json!(format!("onLanguage:{language}"))));
    }
    assert!(activation.contains(&serde_json::json!("onLanguage:json")));
}
