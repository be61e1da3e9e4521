//! The language server driven over stdio like an editor would: diagnostics equal to the CLI's
//! (UTF-16 columns), the workspace as the analysis set, file watching, versions and stale
//! results, hover, code actions, configuration, and malformed input.

mod lsp_support;

use std::path::Path;
use std::process::Command;

use lsp_support::{Client, apply_edits, offset_of, positions, uri};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_wps-lint");

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/workspace");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// What `wps-lint check --format json FOLDER` reports for `file`, as (code, line, UTF-16 column).
fn cli_positions(folder: &Path, file: &Path) -> Vec<(String, u64, u64)> {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(folder)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = read(file);
    let mut found: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| Path::new(d["file"].as_str().unwrap()) == file)
        .map(|d| {
            let line = d["range"]["start"]["line"].as_u64().unwrap();
            let column = d["range"]["start"]["column"].as_u64().unwrap() as usize;
            let line_text = text.lines().nth(line as usize - 1).unwrap();
            let units: usize = line_text
                .chars()
                .take(column - 1)
                .map(char::len_utf16)
                .sum();
            (
                d["code"].as_str().unwrap().to_string(),
                line,
                units as u64 + 1,
            )
        })
        .collect();
    found.sort();
    found
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    positions(diagnostics).into_iter().map(|p| p.0).collect()
}

#[test]
fn diagnostics_equal_the_cli_in_utf16_with_rule_pages_and_related_places() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &read(&file));
    let diagnostics = client.diagnostics_of_version(&uri, 1);
    let expected = cli_positions(ws.path(), &file);
    assert_eq!(positions(&diagnostics), expected);
    assert_eq!(expected.len(), 1);
    let d = &diagnostics[0];
    // `ü` and `🔑` come before the finding on its line: UTF-16 counts the key as two units.
    let line_text = read(&file).lines().nth(61).unwrap().to_string();
    assert!(line_text.contains('🔑'));
    assert_eq!(d["source"], "wps-lint");
    assert_eq!(d["severity"], 1);
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md"
    );
    assert!(d["message"].as_str().unwrap().contains("use `vault`"));
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(related["message"], "the vault is declared here");
    client.stop();
}

#[test]
fn an_approval_in_another_file_counts_and_changes_on_disk_are_watched() {
    let ws = workspace();
    let app = ws.path().join("app.json");
    let vault = ws.path().join("vault.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri_app = client.open(&app, &read(&app));
    // Once the index holds vault.json, the approval there counts.
    client.diagnostics(&uri_app, |p| p["diagnostics"] == json!([]));
    assert_eq!(cli_positions(ws.path(), &app), vec![]);
    // The vault team deletes the approval outside the editor.
    std::fs::remove_file(&vault).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&vault), "type": 3}]}),
    );
    let params = client.diagnostics(&uri_app, |p| p["diagnostics"] != json!([]));
    assert_eq!(codes(params["diagnostics"].as_array().unwrap()), ["WPS201"]);
    // And restores it as a new file.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/workspace/vault.json"),
        &vault,
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&vault), "type": 1}]}),
    );
    client.diagnostics(&uri_app, |p| p["diagnostics"] == json!([]));
    // An edit of the open vault template reaches the link template too.
    let uri_vault = client.open(&vault, &read(&vault));
    // The approval now names another vault.
    let broken = read(&vault).replace("kv-contoso-prod", "kv-contoso-test");
    client.change(&uri_vault, 2, &broken);
    let params = client.diagnostics(&uri_app, |p| p["diagnostics"] != json!([]));
    assert_eq!(codes(params["diagnostics"].as_array().unwrap()), ["WPS201"]);
    client.stop();
}

#[test]
fn a_change_on_disk_that_no_event_reports_is_found_and_analysed() {
    let ws = workspace();
    let app = ws.path().join("app.json");
    let vault = ws.path().join("vault.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri_app = client.open(&app, &read(&app));
    client.diagnostics(&uri_app, |p| p["diagnostics"] == json!([]));
    // The approval is changed to name another vault outside the editor, and no watcher tells.
    let other_vault = read(&vault).replace("kv-contoso-prod", "kv-contoso-test");
    std::fs::write(&vault, other_vault).unwrap();
    // Keystrokes reuse what the server knows of the disk; it looks again at most every two
    // seconds, after an analysis.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    client.change(&uri_app, 2, &read(&app));
    let params = client.diagnostics(&uri_app, |p| p["diagnostics"] != json!([]));
    assert_eq!(codes(params["diagnostics"].as_array().unwrap()), ["WPS201"]);
    client.stop();
}

#[test]
fn registers_file_watchers_dynamically() {
    let ws = workspace();
    let mut client = Client::start(ws.path(), Value::Null);
    let registration = client.next(|m| m["method"] == "client/registerCapability");
    let r = &registration["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<_> = r["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap().to_string())
        .collect();
    for glob in ["**/wps-lint.toml", "**/*.bicep", "**/*.bicepparam"] {
        assert!(globs.contains(&glob.to_string()), "{globs:?}");
    }
    client.stop();
}

#[test]
fn rapid_changes_supersede_each_other_and_are_never_published_out_of_order() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let text = read(&file);
    let fixed = text.replace("\"vaults\"", "\"vault\"");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    client.diagnostics_of_version(&uri, 1);
    // Versions 2..=21 in one burst; the last one (odd) has the finding again.
    let changes: Vec<(&str, Value)> = (2..=21)
        .map(|v| {
            let body = if v % 2 == 0 { &fixed } else { &text };
            (
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": body}]}),
            )
        })
        .collect();
    client.notify_all(&changes);
    let last = client.diagnostics_of_version(&uri, 21);
    assert_eq!(codes(&last), ["WPS103"]);
    let versions: Vec<i64> = client
        .notifications
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    // In order: never a version after a newer one was published.
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    // A change whose version goes back is applied all the same (see
    // `a_change_whose_version_goes_back_is_applied`).
    client.change(&uri, 5, &fixed);
    assert_eq!(
        codes(&client.diagnostics_of_version(&uri, 5)),
        Vec::<String>::new()
    );
    client.stop();
}

#[test]
fn incremental_changes_in_utf16_positions() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let text = read(&file);
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let found = client.diagnostics_of_version(&uri, 1);
    // Replace `"vaults"` by the range the server reported (UTF-16 after non-ASCII text).
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": found[0]["range"], "text": "\"vault\""}]}),
    );
    assert_eq!(client.diagnostics_of_version(&uri, 2), Vec::<Value>::new());
    client.stop();
}

#[test]
fn hover_shows_the_rule_on_findings_and_the_evaluated_value_on_checked_values() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &read(&file));
    let found = client.diagnostics_of_version(&uri, 1);
    let hover = |client: &mut Client, position: &Value| {
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position}),
        )["result"]
            .clone()
    };
    let on = hover(&mut client, &found[0]["range"]["start"]);
    let text = on["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**WPS103** `splr-group-id-mismatch`: "),
        "{text}"
    );
    assert!(text.contains("help: set groupId to `vault`"), "{text}");
    assert!(text.contains("(https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md)"));
    assert_eq!(
        hover(&mut client, &json!({"line": 0, "character": 0})),
        Value::Null
    );
    // On a checked value: what the linter evaluated it to, and what the rules read from it.
    let line = read(&file)
        .lines()
        .position(|l| l.contains("\"privateLinkResourceId\""))
        .unwrap();
    let on = hover(&mut client, &json!({"line": line, "character": 40}));
    let text = on["contents"]["value"].as_str().unwrap();
    assert_eq!(
        text,
        "**Evaluated**: `/subscriptions/[subscription().subscriptionId]/resourceGroups/[resourceGroup().name]/providers/Microsoft.KeyVault/vaults/kv-contoso-alone`\n\
         - target type `Microsoft.KeyVault/vaults`, group ID `vault`"
    );
    let line = read(&file)
        .lines()
        .position(|l| l.contains("\"name\": \"[parameters('keyVaultName')]\""))
        .unwrap();
    let on = hover(&mut client, &json!({"line": line, "character": 20}));
    assert_eq!(
        on["contents"]["value"],
        "**Evaluated**: `kv-contoso-alone`\n- from its default value"
    );
    client.stop();
}

fn actions(client: &mut Client, uri: &str, range: &Value, only: Option<&str>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(kind) = only {
        context["only"] = json!([kind]);
    }
    client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    )["result"]
        .as_array()
        .unwrap()
        .clone()
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no action {title}: {actions:#?}"))
}

/// Applies an action's edit to the open document and returns the diagnostics of the result.
fn apply(
    client: &mut Client,
    uri: &str,
    text: &str,
    action: &Value,
    version: i64,
) -> (String, Vec<Value>) {
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    let changed = apply_edits(text, edits);
    client.change(uri, version, &changed);
    let diagnostics = client.diagnostics_of_version(uri, version);
    (changed, diagnostics)
}

#[test]
fn quick_fixes_and_suppressions_remove_the_finding_and_leave_valid_json() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let text = read(&file);
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let found = client.diagnostics_of_version(&uri, 1);
    let offered = actions(&mut client, &uri, &found[0]["range"], None);
    let titles: Vec<_> = offered
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // No comments in the file, so no comment suppression.
    assert_eq!(
        titles,
        [
            "Replace with `vault`",
            "Disable WPS103 for this resource",
            "Fix all wps-lint problems in this file"
        ]
    );
    let fix = titled(&offered, "Replace with");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["diagnostics"][0]["code"], "WPS103");
    let mut version = 1;
    for title in [
        "Replace with",
        "Disable WPS103 for this resource",
        "Fix all",
    ] {
        version += 1;
        let (changed, diagnostics) =
            apply(&mut client, &uri, &text, titled(&offered, title), version);
        assert_eq!(diagnostics, Vec::<Value>::new(), "{title}");
        serde_json::from_str::<Value>(&changed).unwrap();
        version += 1;
        client.change(&uri, version, &text);
        client.diagnostics_of_version(&uri, version);
    }
    let only_fix_all = actions(
        &mut client,
        &uri,
        &json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        Some("source.fixAll"),
    );
    assert_eq!(only_fix_all.len(), 1);
    assert_eq!(only_fix_all[0]["kind"], "source.fixAll.wps-lint");
    client.stop();
}

#[test]
fn comment_suppression_only_where_the_file_has_comments() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let text = read(&file).replacen("{\n", "{\n  // networking for the certificate vault\n", 1);
    std::fs::write(&file, &text).unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let found = client.diagnostics_of_version(&uri, 1);
    let offered = actions(&mut client, &uri, &found[0]["range"], Some("quickfix"));
    let (changed, diagnostics) = apply(
        &mut client,
        &uri,
        &text,
        titled(&offered, "Disable WPS103 for the next line"),
        2,
    );
    assert_eq!(diagnostics, Vec::<Value>::new());
    assert!(
        changed
            .contains("        // wps-lint-disable-next-line WPS103\n        \"requestMessage\""),
        "{changed}"
    );
    client.stop();
}

#[test]
fn an_unused_suppression_is_tagged_unnecessary_and_offers_no_suppression_of_itself() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let text = read(&file).replacen(
        "  \"contentVersion\"",
        "  // wps-lint-disable-next-line WPS201\n  \"contentVersion\"",
        1,
    );
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let found = client.diagnostics_of_version(&uri, 1);
    let unused = found.iter().find(|d| d["code"] == "WPS005").unwrap();
    assert_eq!(unused["tags"], json!([1]));
    assert_eq!(unused["severity"], 3);
    let offered = actions(&mut client, &uri, &unused["range"], Some("quickfix"));
    assert!(
        offered
            .iter()
            .all(|a| !a["title"].as_str().unwrap().contains("WPS005")),
        "{offered:#?}"
    );
    client.stop();
}

#[test]
fn findings_in_an_open_parameter_file_appear_on_it() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/WPS103");
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "fires-parameter-file.json",
        "fires-parameter-file.parameters.json",
    ] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).unwrap();
    }
    let params = dir.path().join("fires-parameter-file.parameters.json");
    let expected = cli_positions(dir.path(), &params);
    assert!(!expected.is_empty());
    let mut client = Client::start(dir.path(), Value::Null);
    let uri = client.open(&params, &read(&params));
    assert_eq!(positions(&client.diagnostics_of_version(&uri, 1)), expected);
    // An unsaved edit of the parameter file counts.
    let fixed = read(&params).replace("\"vaults\"", "\"vault\"");
    client.change(&uri, 2, &fixed);
    assert_eq!(client.diagnostics_of_version(&uri, 2), Vec::<Value>::new());
    client.stop();
}

// Bicep: `.bicep` and `.bicepparam` documents get what JSON ones do, at Bicep positions and as
// Bicep edits.

/// The LSP position (0-based line, UTF-16 column) of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> Value {
    position_in(text, needle, needle)
}

/// The LSP position of `needle` on the first line of `text` that holds `line_needle`.
fn position_in(text: &str, line_needle: &str, needle: &str) -> Value {
    let (line, line_text) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_needle))
        .unwrap_or_else(|| panic!("no {line_needle:?}"));
    let character = line_text[..line_text.find(needle).unwrap()]
        .encode_utf16()
        .count();
    json!({"line": line, "character": character})
}

fn hover_text(client: &mut Client, uri: &str, position: &Value) -> String {
    let answer = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    answer["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no hover: {answer}"))
        .to_string()
}

#[test]
fn bicep_diagnostics_equal_the_cli_at_bicep_lines_in_utf16() {
    let ws = workspace();
    let file = ws.path().join("link.bicep");
    let text = read(&file);
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let diagnostics = client.diagnostics_of_version(&uri, 1);
    let expected = cli_positions(ws.path(), &file);
    assert_eq!(positions(&diagnostics), expected);
    // Both on the link's one-line properties, after `ü` and `🔑` (two UTF-16 units).
    let at = |needle| {
        let p = position_of(&text, needle);
        (
            p["line"].as_u64().unwrap() + 1,
            p["character"].as_u64().unwrap() + 1,
        )
    };
    let (line, group) = at("'vaults'");
    let (_, target) = at("kv.id");
    assert_eq!(
        expected,
        [
            ("WPS103".to_string(), line, group),
            ("WPS201".to_string(), line, target)
        ]
    );
    let d = diagnostics.iter().find(|d| d["code"] == "WPS103").unwrap();
    assert_eq!(d["source"], "wps-lint");
    assert_eq!(
        d["range"]["end"]["character"],
        group - 1 + "'vaults'".len() as u64
    );
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(
        related["location"]["range"]["start"],
        position_in(&text, "name: keyVaultName", "keyVaultName")
    );
    assert_eq!(related["message"], "the vault is declared here");
    client.stop();
}

#[test]
fn bicep_quick_fix_next_line_directive_and_fix_all_are_bicep_edits() {
    let ws = workspace();
    let file = ws.path().join("link.bicep");
    let text = read(&file);
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    let found = client.diagnostics_of_version(&uri, 1);
    let group = found.iter().find(|d| d["code"] == "WPS103").unwrap();
    let offered = actions(&mut client, &uri, &group["range"], None);
    let titles: Vec<_> = offered
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // No "for this resource": a Bicep resource has no JSON `metadata` to list rules in.
    assert_eq!(
        titles,
        [
            "Replace with `vault`",
            "Disable WPS103 for the next line",
            "Fix all wps-lint problems in this file"
        ]
    );
    let fix = titled(&offered, "Replace with");
    assert_eq!(fix["isPreferred"], true);
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["range"], group["range"]);
    assert_eq!(edits[0]["newText"], "'vault'");
    let (fixed, diagnostics) = apply(&mut client, &uri, &text, fix, 2);
    assert_eq!(codes(&diagnostics), ["WPS201"]);
    assert_eq!(fixed, text.replace("groupId: 'vaults'", "groupId: 'vault'"));
    let (disabled, diagnostics) = apply(
        &mut client,
        &uri,
        &text,
        titled(&offered, "Disable WPS103 for the next line"),
        3,
    );
    assert_eq!(codes(&diagnostics), ["WPS201"]);
    assert!(
        disabled.contains("  resource link 'sharedPrivateLinkResources' = {\n    name: 'kv-link'\n    #disable-next-line WPS103\n    properties: {"),
        "{disabled}"
    );
    // The other finding of that line joins the directive.
    let target = diagnostics[0]["range"].clone();
    let offered = actions(&mut client, &uri, &target, Some("quickfix"));
    let (both, diagnostics) = apply(
        &mut client,
        &uri,
        &disabled,
        titled(&offered, "Disable WPS201 for the next line"),
        4,
    );
    assert_eq!(diagnostics, Vec::<Value>::new());
    assert!(
        both.contains("    #disable-next-line WPS103 WPS201\n    properties: {"),
        "{both}"
    );
    client.change(&uri, 5, &text);
    client.diagnostics_of_version(&uri, 5);
    let only_fix_all = actions(&mut client, &uri, &position_range(0), Some("source.fixAll"));
    assert_eq!(only_fix_all.len(), 1);
    assert_eq!(only_fix_all[0]["kind"], "source.fixAll.wps-lint");
    let (all, diagnostics) = apply(&mut client, &uri, &text, &only_fix_all[0], 6);
    assert_eq!(all, fixed);
    assert_eq!(codes(&diagnostics), ["WPS201"]);
    client.stop();
}

fn position_range(line: u64) -> Value {
    json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}})
}

#[test]
fn hover_on_bicep_expressions_shows_the_evaluated_values_and_where_parameters_come_from() {
    let ws = workspace();
    let file = ws.path().join("link.bicep");
    let text = read(&file);
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &text);
    client.diagnostics_of_version(&uri, 1);
    // `kv.id` is also where WPS201 is: the rule first, then the value.
    let on_id = hover_text(&mut client, &uri, &position_of(&text, "kv.id"));
    assert!(
        on_id.starts_with("**WPS201** `approval-missing`"),
        "{on_id}"
    );
    assert!(
        on_id.ends_with(
            "\n\n---\n\n**Evaluated**: `/subscriptions/[subscription().subscriptionId]/resourceGroups/[resourceGroup().name]/providers/Microsoft.KeyVault/vaults/kv-contoso-bicep`\n\
             - target type `Microsoft.KeyVault/vaults`, group ID `vault`"
        ),
        "{on_id}"
    );
    let parameter = position_in(&text, "name: keyVaultName", "keyVaultName");
    assert_eq!(
        hover_text(&mut client, &uri, &parameter),
        "**Evaluated**: `kv-contoso-bicep`\n- from its default value"
    );
    // A `.bicepparam` for this template gives the value; one for another template does not.
    std::fs::write(
        ws.path().join("link.bicepparam"),
        "using './link.bicep'\n\nparam keyVaultName = 'kv-contoso-prod-bicep'\n",
    )
    .unwrap();
    std::fs::write(
        ws.path().join("link.other.bicepparam"),
        "using './other.bicep'\n\nparam keyVaultName = 'kv-not-this-one'\n",
    )
    .unwrap();
    assert_eq!(
        hover_text(&mut client, &uri, &parameter),
        "**Evaluated** with `link.bicepparam`: `kv-contoso-prod-bicep`\n- from the parameter file"
    );
    // The editor's unsaved text of the parameter file counts.
    let params = ws.path().join("link.bicepparam");
    let uri_params = client.open(
        &params,
        "using './link.bicep'\nparam keyVaultName = 'kv-unsaved'\n",
    );
    client.diagnostics_of_version(&uri_params, 1);
    assert_eq!(
        hover_text(&mut client, &uri, &parameter),
        "**Evaluated** with `link.bicepparam`: `kv-unsaved`\n- from the parameter file"
    );
    client.stop();
}

#[test]
fn findings_in_an_open_bicepparam_file_appear_on_it_and_its_fix_edits_it() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("main.bicep");
    std::fs::write(&template, GROUP_FROM_PARAMETER).unwrap();
    let params = dir.path().join("main.bicepparam");
    let text =
        "using './main.bicep'\n\n// Für die Zertifikate 🔑\nparam groupId = 'vaults' // 🔑\n";
    std::fs::write(&params, text).unwrap();
    let expected = cli_positions(dir.path(), &params);
    assert_eq!(expected, [("WPS103".to_string(), 4, 17)]);
    let mut client = Client::start(dir.path(), Value::Null);
    let uri = client.open(&params, text);
    let found = client.diagnostics_of_version(&uri, 1);
    assert_eq!(positions(&found), expected);
    assert_eq!(
        found[0]["relatedInformation"][0]["location"]["uri"],
        lsp_support::uri(&template)
    );
    let offered = actions(&mut client, &uri, &found[0]["range"], Some("quickfix"));
    let (fixed, diagnostics) = apply(&mut client, &uri, text, titled(&offered, "Replace with"), 2);
    assert_eq!(fixed, text.replace("'vaults'", "'vault'"));
    assert_eq!(diagnostics, Vec::<Value>::new());
    let (disabled, diagnostics) = apply(
        &mut client,
        &uri,
        text,
        titled(&offered, "Disable WPS103 for the next line"),
        3,
    );
    assert!(
        disabled.contains("// Für die Zertifikate 🔑\n#disable-next-line WPS103\nparam groupId"),
        "{disabled}"
    );
    assert_eq!(diagnostics, Vec::<Value>::new());
    client.stop();
}

/// A link whose group ID is a parameter, and the approval of its connection.
const GROUP_FROM_PARAMETER: &str = "param groupId string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-contoso'
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: 'wps-contoso'
}

resource link 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {
  parent: wps
  name: 'kv-link'
  properties: {
    groupId: groupId
    privateLinkResourceId: kv.id
    requestMessage: 'please approve'
  }
}

resource approval 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {
  parent: kv
  name: 'approval'
  properties: {
    privateLinkServiceConnectionState: {
      status: 'Approved'
      description: 'Approved for Web PubSub'
    }
  }
  dependsOn: [
    link
  ]
}
";

/// A temporary folder holding `files` of the fixture case folder `case` (under
/// `tests/fixtures`), at the same paths: an editor may change them.
fn fixture_copy(case: &str, files: &[&str]) -> tempfile::TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let dir = tempfile::tempdir().unwrap();
    for name in files {
        let to = dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(name), to).unwrap();
    }
    dir
}

#[test]
fn editing_a_bicep_module_reanalyses_the_files_that_use_it() {
    let dir = fixture_copy(
        "WPS103/fires-bicep-module",
        &["main.bicep", "modules/vault.bicep"],
    );
    let main = dir.path().join("main.bicep");
    let module = dir.path().join("modules/vault.bicep");
    let module_text = read(&module);
    let mut client = Client::start(dir.path(), Value::Null);
    let uri = client.open(&main, &read(&main));
    let names_vault = |vault: &'static str| {
        move |p: &Value| {
            let found = p["diagnostics"].as_array().unwrap();
            codes(found) == ["WPS103", "WPS201"]
                && found.iter().any(|d| {
                    d["message"]
                        .as_str()
                        .unwrap()
                        .contains(&format!("on vault `{vault}`"))
                })
        }
    };
    client.diagnostics(&uri, names_vault("kv-contoso-mod"));
    let target = position_of(&read(&main), "vault.outputs.id");
    assert!(hover_text(&mut client, &uri, &target).ends_with(
        "/vaults/kv-contoso-mod`\n- target type `Microsoft.KeyVault/vaults`, group ID `vault`"
    ));
    // An unsaved edit of the module reaches the file that uses it, and its hover.
    let uri_module = client.open(&module, &module_text);
    let renamed = module_text.replace("name: vaultName", "name: '${vaultName}-2'");
    client.change(&uri_module, 2, &renamed);
    client.diagnostics(&uri, names_vault("kv-contoso-mod-2"));
    assert!(hover_text(&mut client, &uri, &target).contains("/vaults/kv-contoso-mod-2`"));
    // Closed, the module counts as it is on disk again; a change there outside the editor is
    // seen through the file watcher.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri_module}}),
    );
    client.diagnostics(&uri, names_vault("kv-contoso-mod"));
    std::fs::write(
        &module,
        module_text.replace("name: vaultName", "name: '${vaultName}-3'"),
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_module, "type": 2}]}),
    );
    client.diagnostics(&uri, names_vault("kv-contoso-mod-3"));
    client.stop();
}

#[test]
fn editing_a_file_a_bicep_file_imports_from_reanalyses_it() {
    let dir = fixture_copy(
        "WPS103/fires-bicep-imported-values",
        &["main.bicep", "shared/naming.bicep"],
    );
    let main = dir.path().join("main.bicep");
    let naming = dir.path().join("shared/naming.bicep");
    let naming_text = read(&naming);
    let mut client = Client::start(dir.path(), Value::Null);
    let uri = client.open(&main, &read(&main));
    client.diagnostics(&uri, |p| {
        codes(p["diagnostics"].as_array().unwrap()) == ["WPS103", "WPS201"]
    });
    // The group ID corrected where it is exported, unsaved: the link's finding goes.
    let uri_naming = client.open(&naming, &naming_text);
    client.change(
        &uri_naming,
        2,
        &naming_text.replace("keyVault: 'vaults'", "keyVault: 'vault'"),
    );
    client.diagnostics(&uri, |p| {
        codes(p["diagnostics"].as_array().unwrap()) == ["WPS201"]
    });
    client.stop();
}

#[test]
fn findings_in_an_open_bicep_module_appear_on_it_with_its_calls() {
    let dir = fixture_copy(
        "WPS103/fires-bicep-module-file-called-twice",
        &["main.bicep", "modules/link.bicep"],
    );
    let module = dir.path().join("modules/link.bicep");
    let expected = cli_positions(dir.path(), &module);
    assert!(
        expected.contains(&("WPS103".to_string(), 12, 14)),
        "{expected:?}"
    );
    let mut client = Client::start(dir.path(), Value::Null);
    let module_uri = client.open(&module, &read(&module));
    // Alone (before the index holds its caller) the module has no findings: wait for the
    // analysis with the whole workspace.
    let params = client.diagnostics(&module_uri, |p| p["diagnostics"] != json!([]));
    let diagnostics = params["diagnostics"].as_array().unwrap().clone();
    assert_eq!(positions(&diagnostics), expected);
    // Once, with both calls of the module as related places.
    let group = diagnostics.iter().find(|d| d["code"] == "WPS103").unwrap();
    let calls: Vec<(&str, u64)> = group["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["message"].as_str().unwrap(),
                r["location"]["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            ("the module is called here", 11),
            ("the module is called here", 19)
        ]
    );
    let main_uri = uri(&dir.path().join("main.bicep"));
    assert!(
        group["relatedInformation"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["location"]["uri"] == main_uri)
    );
    // An unsaved fix of the module counts for both calls.
    let fixed = read(&module).replace("'vaults'", "'vault'");
    client.change(&module_uri, 2, &fixed);
    assert_eq!(
        codes(&client.diagnostics_of_version(&module_uri, 2)),
        ["WPS201", "WPS201"]
    );
    client.stop();
}

#[test]
fn the_nearest_config_applies_is_reloaded_and_a_broken_one_is_shown() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let config = ws.path().join("wps-lint.toml");
    std::fs::write(&config, "[rules]\nWPS103 = \"warning\"\n").unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &read(&file));
    let found = client.diagnostics_of_version(&uri, 1);
    assert_eq!(found[0]["severity"], 2);
    let watched = json!({"changes": [{"uri": lsp_support::uri(&config), "type": 2}]});
    std::fs::write(&config, "[rules]\nWPS103 = \"loud\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", watched.clone());
    let shown = client.next(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("loud"),
        "{shown}"
    );
    assert_eq!(shown["params"]["type"], 1);
    let on_config = client.diagnostics(&lsp_support::uri(&config), |_| true);
    assert!(
        on_config["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("loud")
    );
    std::fs::write(&config, "[rules]\nWPS103 = \"off\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", watched);
    client.diagnostics(&lsp_support::uri(&config), |p| {
        p["diagnostics"] == json!([])
    });
    client.diagnostics(&uri, |p| p["diagnostics"] == json!([]));
    client.stop();
}

#[test]
fn a_saved_config_applies_and_a_closed_document_loses_its_diagnostics() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let config = ws.path().join("wps-lint.toml");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &read(&file));
    assert_eq!(client.diagnostics_of_version(&uri, 1)[0]["severity"], 1);
    // Saved in the editor: no file watcher needed.
    std::fs::write(&config, "[rules]\nsplr-group-id-mismatch = \"info\"\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": lsp_support::uri(&config)}}),
    );
    client.diagnostics(&uri, |p| p["diagnostics"][0]["severity"] == 3);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.diagnostics(&uri, |p| p["diagnostics"] == json!([]));
    client.stop();
}

#[test]
fn workspace_folders_can_be_added() {
    let ws = workspace();
    let vault_dir = tempfile::tempdir().unwrap();
    std::fs::rename(
        ws.path().join("vault.json"),
        vault_dir.path().join("vault.json"),
    )
    .unwrap();
    let app = ws.path().join("app.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri_app = client.open(&app, &read(&app));
    // Without the vault's folder nothing approves the link ...
    client.diagnostics(&uri_app, |p| {
        codes(p["diagnostics"].as_array().unwrap()) == ["WPS201"]
    });
    // ... until that folder joins the workspace.
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": lsp_support::uri(vault_dir.path()), "name": "vault"}], "removed": []}}),
    );
    client.diagnostics(&uri_app, |p| p["diagnostics"] == json!([]));
    client.stop();
}

#[test]
fn client_settings_select_ignore_and_errors() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let mut client = Client::start(ws.path(), json!({"ignore": ["WPS103"]}));
    let uri = client.open(&file, &read(&file));
    assert_eq!(client.diagnostics_of_version(&uri, 1), Vec::<Value>::new());
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"wps-lint": {"select": ["WPS1"]}}}),
    );
    client.diagnostics(&uri, |p| p["diagnostics"] != json!([]));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"wps-lint": {"select": ["WPS9999"]}}}),
    );
    let shown = client.next(|m| m["method"] == "window/showMessage");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("WPS9999"),
        "{shown}"
    );
    client.stop();
}

#[test]
fn survives_malformed_input_unknown_methods_and_odd_documents() {
    let ws = workspace();
    let mut client = Client::start(ws.path(), Value::Null);
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    client.notify("$/wps/unknownNotification", json!({}));
    let unknown = client.request("wps/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A request with parameters of the wrong shape gets an error, not a crash.
    let bad = client.request("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(bad["error"]["code"], -32602);
    // A huge template (about 4 MB, 20,000 resources) is analysed like any other.
    let huge = ws.path().join("huge.json");
    let resource = r#"{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[format('st{0}', 'x')]", "location": "westeurope", "properties": {"description": "ünïcödé 🔑 padding padding padding padding padding padding"}}"#;
    let text = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": [{}]}}",
        vec![resource; 20_000].join(",\n")
    );
    assert!(text.len() > 4_000_000);
    std::fs::write(&huge, &text).unwrap();
    let uri_huge = client.open(&huge, &text);
    client.diagnostics_of_version(&uri_huge, 1);
    // An open document whose file is gone is linted from the editor's text, and the run does
    // not fail.
    let gone = ws.path().join("gone.json");
    let uri_gone = client.open(&gone, &read(&ws.path().join("alone.json")));
    assert!(codes(&client.diagnostics_of_version(&uri_gone, 1)).contains(&"WPS103".to_string()));
    // A JSON file that is not a template: no findings, no error.
    let other = ws.path().join("package.json");
    std::fs::write(&other, "{\"name\": \"x\"}").unwrap();
    let uri_other = client.open(&other, "{\"name\": \"x\"}");
    assert_eq!(
        client.diagnostics_of_version(&uri_other, 1),
        Vec::<Value>::new()
    );
    // Deeply nested and broken: a finding, not a crash.
    let deep = ws.path().join("deep.json");
    let nested = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(&deep, &nested).unwrap();
    let uri_deep = client.open(&deep, &nested);
    assert!(codes(&client.diagnostics_of_version(&uri_deep, 1)).contains(&"WPS001".to_string()));
    // A document that is not a file is ignored.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "json", "version": 1, "text": "{"}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert!(
        client
            .notifications
            .iter()
            .all(|m| m["method"] != "window/showMessage"),
        "{:#?}",
        client.notifications
    );
    client.stop();
}

/// A template with one finding (WPS003, an undeclared parameter) and its clean form.
const UNDECLARED: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "name": { "type": "string", "defaultValue": "kv-contoso" } },
  "resources": [
    { "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('nmae')]" }
  ]
}
"#;

fn declared() -> String {
    UNDECLARED.replace("'nmae'", "'name'")
}

#[test]
fn every_bad_frame_is_dropped_and_later_requests_are_answered() {
    let ws = tempfile::tempdir().unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    let good = r#"{"jsonrpc":"2.0","method":"$/wps/nothing"}"#;
    let bad = [
        format!("Content-Type: application/json\r\n\r\n{good}"),
        format!("Content-Length: -5\r\n\r\n{good}"),
        format!("Content-Length: twelve\r\n\r\n{good}"),
        format!("Content-Length: 4\r\n\r\n{good}"),
        // Longer than its body, which has no line break after it: the next header follows.
        format!("Content-Length: {}\r\n\r\n{good}", good.len() + 500),
        format!("Content-Length: 18446744073709551615\r\n\r\n{good}"),
        format!("Content-Length: 9223372036854775807\r\n\r\n{good}"),
        format!("Content-Length: 268435457\r\n\r\n{good}"),
    ];
    for bad in bad {
        client.send_raw(bad.as_bytes());
        let answer = client.request("wps/unknown", json!({}));
        assert_eq!(answer["error"]["code"], -32601, "after {bad:.60}");
    }
    client.stop();
}

#[test]
fn lsp_rules_unknown_dollar_requests_and_exit_without_shutdown() {
    let ws = tempfile::tempdir().unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    // A `$/` request the server does not know is still a request: it gets an answer.
    let unknown = client.request("$/wps/unknownRequest", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
    // After `shutdown`, `exit` is a clean end.
    let mut client = Client::start(ws.path(), Value::Null);
    assert!(
        client
            .request("shutdown", Value::Null)
            .get("error")
            .is_none()
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}

#[test]
fn an_unsaved_document_is_linted_from_the_editors_text() {
    let ws = tempfile::tempdir().unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&ws.path().join("new.json"), UNDECLARED);
    assert_eq!(codes(&client.diagnostics_of_version(&uri, 1)), ["WPS003"]);
    client.change(&uri, 2, &declared());
    assert_eq!(
        codes(&client.diagnostics_of_version(&uri, 2)),
        Vec::<String>::new()
    );
    client.stop();
}

#[test]
fn a_change_whose_version_goes_back_is_applied() {
    let ws = tempfile::tempdir().unwrap();
    let file = ws.path().join("t.json");
    std::fs::write(&file, declared()).unwrap();
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &declared());
    assert_eq!(
        codes(&client.diagnostics_of_version(&uri, 1)),
        Vec::<String>::new()
    );
    client.change(&uri, 5, &declared());
    client.diagnostics_of_version(&uri, 5);
    // The client numbers afresh: the change is the document's text all the same.
    client.change(&uri, 3, UNDECLARED);
    assert_eq!(codes(&client.diagnostics_of_version(&uri, 3)), ["WPS003"]);
    client.stop();
}

#[test]
fn ends_when_the_client_disconnects() {
    let ws = workspace();
    let mut client = Client::start(ws.path(), Value::Null);
    client.close_input();
    assert!(client.exited());
}

#[test]
fn stops_on_exit_with_an_analysis_pending() {
    let ws = workspace();
    let file = ws.path().join("alone.json");
    let mut client = Client::start(ws.path(), Value::Null);
    let uri = client.open(&file, &read(&file));
    client.change(&uri, 2, &read(&file));
    client.stop();
}

#[test]
fn offsets_of_the_test_client_count_utf16() {
    assert_eq!(offset_of("a🔑b\nc", 0, 3), "a🔑".len());
    assert_eq!(offset_of("a🔑b\nc", 1, 0), "a🔑b\n".len());
}

#[cfg(unix)]
#[test]
fn a_second_start_over_a_workspace_analyses_nothing_again() {
    use std::os::unix::fs::MetadataExt;
    let ws = workspace();
    // A project: its cache is in .wps-lint-cache. Files written long ago, so that their
    // stamps vouch for them.
    std::fs::write(ws.path().join("wps-lint.toml"), "").unwrap();
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in std::fs::read_dir(ws.path()).unwrap() {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(long_ago).unwrap();
    }
    let app = ws.path().join("app.json");
    let session = || {
        let mut client = Client::start(ws.path(), Value::Null);
        let uri_app = client.open(&app, &read(&app));
        // Once the index holds vault.json, the approval there counts.
        client.diagnostics(&uri_app, |p| p["diagnostics"] == json!([]));
        client.stop();
    };
    session();
    let cache: Vec<_> = std::fs::read_dir(ws.path().join(".wps-lint-cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cache"))
        .collect();
    let written = std::fs::metadata(&cache[0]).unwrap().ino();
    session();
    // Every pass of the workspace came from the cache: nothing new to write.
    assert_eq!(std::fs::metadata(&cache[0]).unwrap().ino(), written);
}
