//! Shared helpers of the fuzz targets: lint in-memory files with every built-in rule on, and
//! fix generated templates on disk.

use std::path::Path;

use wps_lint::diagnostic::Diagnostic;
use wps_lint::fix::{Mode, fix};
use wps_lint::report::{Format, ReportInput, render};
use wps_lint::rules::builtin_rules;
use wps_lint::run::{Caches, Cancel, RuleSettings, RunOptions, analyse, lint as lint_run};
use wps_lint::source::{Inputs, LoadOptions, SourceFile};

pub mod bicep_set;
pub mod generate;

/// Lints a template, with a parameter file when one is given.
pub fn lint(template: String, parameters: Option<String>) -> Vec<Diagnostic> {
    let mut files = vec![SourceFile::new("t.json".into(), None, template)];
    let mut units = vec![(0, None)];
    if let Some(p) = parameters {
        files.push(SourceFile::new("t.parameters.json".into(), None, p));
        units = vec![(0, Some(1))];
    }
    let inputs = Inputs {
        files,
        units,
        ..Inputs::default()
    };
    let settings = RuleSettings {
        rules: builtin_rules(),
        select: Vec::new(),
        ignore: Vec::new(),
        configs: Vec::new(),
    };
    let analysis = analyse(
        &inputs,
        &settings,
        &LoadOptions::default(),
        Caches::default(),
        &Cancel::default(),
    )
    .expect("a run that is never cancelled");
    // Reports show source lines, columns and fixes of what the diagnostics point at.
    let source = |path: &str| analysis.excerpts.get(path);
    for format in Format::ALL {
        let input = ReportInput {
            diagnostics: &analysis.diagnostics,
            notices: &analysis.notices,
            files_linted: analysis.linted.len(),
            source: &source,
            rules: builtin_rules(),
            tool_version: "0",
            color: true,
            quiet: false,
        };
        render(format, &input, &mut Vec::new()).unwrap();
    }
    analysis.diagnostics
}

/// Lints every file in `dir` as one run, as `wps-lint DIR --no-context` does.
pub fn lint_folder(dir: &Path) -> Vec<Diagnostic> {
    lint_run(&alone(dir)).unwrap().diagnostics
}

/// A run over `path` alone, without context.
fn alone(path: &Path) -> RunOptions {
    RunOptions {
        paths: vec![path.to_path_buf()],
        no_context: true,
        ..RunOptions::default()
    }
}

/// `--fix` on `template` written to `dir`: the result parses, and nothing outside the spans
/// the first round's fixes edit changed (later rounds only redo fixes that overlapped).
pub fn fix_checked(dir: &Path, template: &str) {
    let file = dir.join("t.json");
    std::fs::write(&file, template).unwrap();
    let options = || alone(&file);
    let first = lint_run(&options()).unwrap();
    let spans: Vec<(usize, usize)> = first
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .map(|e| (e.span.range().start, e.span.range().end))
        .collect();
    let fixed = fix(options(), Mode::Write).unwrap();
    let after = std::fs::read_to_string(&file).unwrap();
    if fixed.changes.is_empty() {
        assert_eq!(after, template, "no change reported, yet the file changed");
        return;
    }
    assert!(
        wps_lint::json::parse(&after).root.is_ok(),
        "the fixed file does not parse:\n{after}"
    );
    let start = spans
        .iter()
        .map(|s| s.0)
        .min()
        .expect("a change without a fix");
    let end = spans.iter().map(|s| s.1).max().unwrap();
    let prefix = template.len().min(after.len()).min(start);
    assert_eq!(
        template[..prefix],
        after[..prefix],
        "changed before the first fix's span"
    );
    let tail = template.len() - end;
    assert!(after.len() >= tail);
    assert_eq!(
        template[end..],
        after[after.len() - tail..],
        "changed after the last fix's span"
    );
}

/// A template in which `expr` (the text between the brackets) is used as a variable, as a
/// Web PubSub link's name and privateLinkResourceId, as a vault's name and in dependsOn.
pub fn template_with_expression(expr: &str) -> String {
    let e = serde_json::Value::String(format!("[{expr}]")).to_string();
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "serviceName": {{ "type": "string", "defaultValue": "wps" }},
    "kv": {{ "type": "string" }},
    "n": {{ "type": "int", "defaultValue": 3 }},
    "arr": {{ "type": "array", "defaultValue": ["a", "b", 1] }},
    "obj": {{ "type": "object", "defaultValue": {{ "a": {{ "b": "c" }} }} }}
  }},
  "variables": {{
    "v": {e},
    "kvId": "[resourceId('Microsoft.KeyVault/vaults', parameters('kv'))]",
    "arr": ["x", "y"],
    "s": "Straße/ǅ𝔘"
  }},
  "functions": [{{ "namespace": "ns", "members": {{
    "f": {{ "parameters": [{{ "name": "x", "type": "string" }}], "output": {{ "type": "string", "value": "[concat(parameters('x'), '-f')]" }} }},
    "g": {{ "parameters": [{{ "name": "x", "type": "string" }}], "output": {{ "type": "string", "value": {e} }} }}
  }} }}],
  "resources": [
    {{
      "type": "Microsoft.KeyVault/vaults",
      "apiVersion": "2023-07-01",
      "name": {e},
      "location": "[resourceGroup().location]",
      "properties": {{ "tenantId": "[subscription().tenantId]", "sku": {{ "family": "A", "name": "standard" }} }}
    }},
    {{
      "type": "Microsoft.SignalRService/webPubSub",
      "apiVersion": "2024-03-01",
      "name": "[parameters('serviceName')]",
      "location": "[resourceGroup().location]",
      "sku": {{ "name": "Premium_P1", "tier": "Premium", "capacity": 1 }},
      "identity": {{ "type": "SystemAssigned" }},
      "properties": {{}}
    }},
    {{
      "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
      "apiVersion": "2024-03-01",
      "name": {e2},
      "dependsOn": [ {e}, "[resourceId('Microsoft.SignalRService/webPubSub', parameters('serviceName'))]" ],
      "properties": {{ "groupId": "vault", "privateLinkResourceId": {e} }}
    }},
    {{
      "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
      "apiVersion": "2024-03-01",
      "name": {e},
      "properties": {{ "groupId": "vault", "privateLinkResourceId": "[variables('v')]" }}
    }},
    {{
      "type": "Microsoft.KeyVault/vaults/privateEndpointConnections",
      "apiVersion": "2023-07-01",
      "name": "[format('{{0}}/{{1}}', parameters('kv'), variables('v'))]",
      "properties": {{ "privateLinkServiceConnectionState": {{ "status": {e} }} }}
    }},
    {{
      "type": "Microsoft.SignalRService/webPubSub/customCertificates",
      "apiVersion": "2024-03-01",
      "name": "[format('{{0}}/{{1}}', parameters('serviceName'), 'cert')]",
      "properties": {{ "keyVaultBaseUri": {e}, "keyVaultSecretName": "[ns.g('x')]" }}
    }}
  ]
}}"#,
        e2 = serde_json::Value::String(format!("[concat(parameters('serviceName'), '/', {expr})]")),
    )
}
