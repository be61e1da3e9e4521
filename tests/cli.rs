//! The command line as scripts use it: exit statuses, formats, notices, standard input,
//! directory walking.

use std::io::Write;
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

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

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

/// Whether an environment variable asks for a tool the tests otherwise skip without.
fn required(variable: &str) -> bool {
    std::env::var_os(variable).is_some_and(|v| !v.is_empty() && v != "0")
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
    std::fs::write(dir.path().join("typo.toml"), "[rules]\nWPS03 = \"off\"\n").unwrap();
    let typo = wps_lint(dir.path(), &["--config", "typo.toml", "."]);
    assert_eq!(typo.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&typo.stderr),
        "error: typo.toml: [rules] WPS03: no rule has this code or name; `wps-lint rules` lists them\n"
    );
    let unknown = wps_lint(dir.path(), &["bad", "--select", "WPS9"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: --select WPS9: no rule has this code, name or code prefix; `wps-lint rules` lists them\n"
    );
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
        "::error file=broken.json,line=6,col=80,endLine=6,endColumn=102,title=WPS003 undefined-reference::the parameter `nmae` is not declared in this template (https://github.com/wps-lint/wps-lint/blob/main/rules/WPS003.md)\n"
    );
    let out = wps_lint(dir.path(), &["--format", "azure", "broken.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "##vso[task.logissue type=error;sourcepath=broken.json;linenumber=6;columnnumber=80;code=WPS003;]WPS003 undefined-reference: the parameter `nmae` is not declared in this template (https://github.com/wps-lint/wps-lint/blob/main/rules/WPS003.md)\n"
    );
    let out = wps_lint(dir.path(), &["--format", "gitlab", "broken.json"]);
    assert_eq!(out.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), 1);
    assert_eq!(issues[0]["check_name"], "WPS003");
    assert_eq!(issues[0]["severity"], "major");
    assert_eq!(
        issues[0]["location"],
        serde_json::json!({"path": "broken.json", "lines": {"begin": 6}})
    );
    assert_eq!(issues[0]["fingerprint"].as_str().unwrap().len(), 16);
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
            "code", "name", "level", "message", "file", "pointer", "range", "help", "url"
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
fn a_bicep_module_that_calls_its_caller_is_a_notice() {
    // Each call would lower the file again, each copy calling it twice more: before, the run
    // grew by the power of the depth limit and took gigabytes.
    let calls = "module again './main.bicep' = {\n  name: 'again'\n}\n".repeat(2);
    let dir = fixture(&[("main.bicep", &calls.replacen("again", "first", 2))]);
    let out = wps_lint(dir.path(), &["--format", "json", "main.bicep"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    let notices = report["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2);
    for (notice, name) in notices.iter().zip(["first", "again"]) {
        assert_eq!(notice["file"], "main.bicep");
        assert_eq!(
            notice["message"],
            format!(
                "module `{name}` is not read: `./main.bicep` is this file or one that calls it, a cycle Bicep does not allow"
            )
        );
    }
}

#[test]
fn a_bicep_files_arm_template_module_gets_the_json_rules() {
    // WPS002 is not for Bicep's own expressions, which the compiler writes; a module that is an
    // ARM template is taken as it is, and its own bad expression is reported when only the
    // Bicep file that calls it is named.
    let module = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": {
    "name": {"type": "string", "value": "[concat('kv', 'x']"}
  }
}
"#;
    let main = "module m './modules/t.json' = {\n  name: 'm'\n}\n";
    let dir = fixture(&[("main.bicep", main), ("modules/t.json", module)]);
    let out = wps_lint(dir.path(), &["--format", "json", "main.bicep"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let line = d["range"]["start"]["line"].as_u64().unwrap();
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                line,
            )
        })
        .collect();
    assert_eq!(found, [("WPS002", "modules/t.json", 6)]);
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
fn long_chains_are_cut_not_followed_off_the_stack() {
    let mut variables = serde_json::Map::new();
    for i in 0..20_000 {
        variables.insert(format!("v{i}"), format!("[variables('v{}')]", i + 1).into());
    }
    variables.insert("v20000".into(), "kv-chained".into());
    let chained = serde_json::json!({"$schema": SCHEMA, "variables": variables,
        "resources": [vault("[variables('v0')]")]});
    let accesses = serde_json::json!({"$schema": SCHEMA,
        "resources": [vault(format!("[resourceGroup(){}]", ".x".repeat(100_000)))]});
    let dir = fixture(&[
        ("chained.json", &chained.to_string()),
        ("accesses.json", &accesses.to_string()),
    ]);
    let out = wps_lint(dir.path(), &["--format", "concise", "--jobs", "2", "."]);
    assert_eq!(
        stdout(&out),
        "accesses.json:1:176: error[WPS002] invalid template expression: the expression is \
         nested too deeply (at character 271 of `[resourceGroup().x.x.x.x.x.x.x.x.x.x.x.x.x.x.\
         x.x.x.x.x.x.x...]`)\nFound 1 problem (1 error) in 2 files.\n"
    );
}

#[test]
fn deep_expressions_down_a_chain_of_variables_fit_on_the_stack() {
    // Every limit at once: 64 chained variables, each a 127-deep expression using the next.
    let mut variables = serde_json::Map::new();
    for i in 0..64 {
        let mut expression = match i {
            63 => "'kv-deep'".to_string(),
            _ => format!("variables('v{}')", i + 1),
        };
        for _ in 0..126 {
            expression = format!("concat({expression})");
        }
        variables.insert(format!("v{i}"), format!("[{expression}]").into());
    }
    let template = serde_json::json!({"$schema": SCHEMA, "variables": variables,
        "resources": [vault("[variables('v0')]")]});
    lints_cleanly_on_any_thread(template);
}

#[test]
fn values_wrapped_down_a_chain_of_variables_are_cut_before_they_overflow_the_stack() {
    // Each variable wraps the next one's value 500 arrays deep: 32,000 levels at the top.
    let mut variables = serde_json::Map::new();
    for i in 0..64 {
        let next = match i {
            63 => serde_json::Value::from("kv-deep"),
            _ => format!("[variables('v{}')]", i + 1).into(),
        };
        let wrapped = (0..500).fold(next, |v, _| serde_json::json!([v]));
        variables.insert(format!("v{i}"), wrapped);
    }
    let template = serde_json::json!({"$schema": SCHEMA, "variables": variables,
        "resources": [vault("[string(length(variables('v0')))]")]});
    lints_cleanly_on_any_thread(template);
}

#[test]
fn sizes_that_multiply_are_refused_before_anything_is_built() {
    // Each name takes gigabytes to build; the run gets 4 GiB of address space.
    let big = "padLeft('', 1000000, 'x')";
    let names = [
        "[replace(padLeft('', 1000000, 'a'), 'a', padLeft('', 1000000, 'b'))]".to_string(),
        format!("[format('{}', {big})]", "{0}".repeat(5000)),
        format!("[join(split(padLeft('', 5000, 'x'), 'x'), {big})]"),
    ];
    let resources: Vec<_> = names.iter().map(|name| vault(name.as_str())).collect();
    lints_in_4_gib(serde_json::json!({"$schema": SCHEMA, "resources": resources}));
}

#[test]
fn many_big_values_in_one_evaluation_are_cut_short() {
    // 5,000 copies of a 1 MB value, as an array and as the arguments of one call.
    let big = "[padLeft('', 1000000, 'x')]";
    let copies = vec!["[variables('big')]"; 5000];
    let arguments = vec!["variables('big')"; 5000].join(", ");
    lints_in_4_gib(serde_json::json!({"$schema": SCHEMA,
    "variables": {"big": big, "bigs": vec![big; 5000], "copies": copies},
    "resources": [
        vault("[length(variables('bigs'))]"),
        vault("[length(variables('copies'))]"),
        vault(format!("[concat({arguments})]")),
    ]}));
}

#[test]
fn many_variables_with_big_values_fit_in_memory() {
    // Every variable keeps its value: 400 of 12 MB each.
    let variables: serde_json::Map<_, _> = (0..400)
        .map(|i| (format!("v{i}"), "[padLeft('', 12000000, 'x')]".into()))
        .collect();
    let resources: Vec<_> = (0..400)
        .map(|i| vault(format!("[string(length(variables('v{i}')))]")))
        .collect();
    lints_in_4_gib(
        serde_json::json!({"$schema": SCHEMA, "variables": variables, "resources": resources}),
    );
}

#[test]
fn many_variables_copying_one_big_value_fit_in_memory() {
    // 5,000 variables, each keeping a copy of a 1 MB value.
    let mut variables = serde_json::Map::new();
    variables.insert("big".into(), "[padLeft('', 1000000, 'x')]".into());
    variables.extend((0..5000).map(|i| (format!("v{i}"), "[variables('big')]".into())));
    let resources: Vec<_> = (0..5000)
        .map(|i| {
            serde_json::json!({"type": "Microsoft.Web/sites",
                "name": format!("[string(length(variables('v{i}')))]")})
        })
        .collect();
    lints_in_4_gib(
        serde_json::json!({"$schema": SCHEMA, "variables": variables, "resources": resources}),
    );
}

/// Lints a template with 4 GiB of address space: more than any honest template needs.
/// A vault resource with this name: the resource whose name the evaluation tests evaluate.
fn vault(name: impl Into<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01",
        "name": name.into(), "properties": {}})
}

/// Lints the template on one thread and on two (rayon's threads have smaller stacks than the
/// main thread) and expects a clean exit.
fn lints_cleanly_on_any_thread(template: serde_json::Value) {
    let dir = fixture(&[("deep.json", &template.to_string())]);
    for jobs in ["1", "2"] {
        let out = wps_lint(dir.path(), &["--format", "concise", "--jobs", jobs, "."]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn lints_in_4_gib(template: serde_json::Value) {
    let dir = fixture(&[("big.json", &template.to_string())]);
    let out = Command::new("sh")
        .current_dir(dir.path())
        .args([
            "-c",
            "ulimit -v 4194304 && exec \"$0\" --fail-on never big.json",
        ])
        .arg(env!("CARGO_BIN_EXE_wps-lint"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
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

/// Runs wps-lint in `dir` with `input` on standard input.
fn wps_lint_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_with_a_name() {
    let dir = fixture(&[("sub/wps-lint.toml", "[rules]\nWPS003 = \"off\"\n")]);
    for args in [
        &["--format", "concise", "--stdin-filename", "main.json", "-"][..],
        // As ruff does: naming standard input is enough to read it.
        &["--format", "concise", "--stdin-filename", "main.json"][..],
    ] {
        let out = wps_lint_with_input(dir.path(), args, &broken());
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).starts_with("main.json:6:80: error[WPS003]"));
    }
    // The configuration nearest to the name applies.
    let out = wps_lint_with_input(
        dir.path(),
        &["--format", "concise", "--stdin-filename", "sub/main.json"],
        &broken(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // Not a template: the notice a named file gets.
    let out = wps_lint_with_input(dir.path(), &["--format", "json", "-"], "{\"a\": 1}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["notices"][0]["file"], "<stdin>");
    assert!(
        report["notices"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a deployment template")
    );
}

#[test]
fn a_run_that_lints_nothing_says_why() {
    let dir = fixture(&[
        ("infra/package.json", "{\"name\": \"x\"}"),
        ("infra/notes.txt", "not a template\n"),
        ("infra/.hidden/t.json", &broken()),
        ("infra/generated/t.json", &broken()),
        ("wps-lint.toml", "exclude = [\"**/generated/**\"]\n"),
    ]);
    let out = wps_lint(dir.path(), &["infra"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no template was linted in infra"), "{err}");
    for part in [
        "1 JSON files whose $schema names no deployment template",
        "1 hidden files or folders",
        "1 files matched by `exclude`",
        "1 files that are not .json, .jsonc, .bicep or .bicepparam",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    // A run that lints something says nothing of the kind.
    let dir = fixture(&[("main.json", CLEAN)]);
    let out = wps_lint(dir.path(), &["."]);
    assert!(
        !String::from_utf8(out.stderr)
            .unwrap()
            .contains("no template")
    );
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
        36
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate-sarif.sh");
    let validated = Command::new("bash")
        .arg(script)
        .arg(dir.path().join("report.sarif"))
        .output()
        .unwrap();
    match validated.status.code() {
        Some(0) => {}
        Some(2) if !required("WPS_LINT_REQUIRE_SARIF_VALIDATOR") => {
            // Past the harness's capture of `eprintln!`, so that the skip shows.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: SARIF validation (the multitool is not installed; .ci/run installs it)"
            );
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
    assert_eq!(out.lines().count(), 36);
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
    let org = rules.iter().find(|r| r["id"] == "ORG001").unwrap();
    assert_eq!(org["name"], "require-owner-tag");
    // No `url` in its front matter: no page, rather than a made-up one.
    assert_eq!(org.get("helpUri"), None);
    // With one, every format that links pages gives it.
    std::fs::write(
        dir.path().join("org-rules/ORG001.md"),
        REQUIRE_TAGS.replacen(
            "+++\n",
            "+++\nurl = \"https://wiki.example.com/ORG001\"\n",
            1,
        ),
    )
    .unwrap();
    let out = wps_lint(dir.path(), &["--format", "json", "configured"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["diagnostics"][0]["url"],
        "https://wiki.example.com/ORG001"
    );
    let out = wps_lint(dir.path(), &["--format", "sarif", "configured"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = report["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let org = rules.iter().find(|r| r["id"] == "ORG001").unwrap();
    assert_eq!(org["helpUri"], "https://wiki.example.com/ORG001");
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

#[test]
fn rules_and_explain_load_custom_rules_as_check_does() {
    let dir = fixture(&[
        ("org-rules/ORG001.md", REQUIRE_TAGS),
        (
            "configured/wps-lint.toml",
            "rules-dirs = [\"../org-rules\"]\n",
        ),
        ("configured/untagged.json", CLEAN),
    ]);
    let out = wps_lint(dir.path(), &["rules", "--rules", "org-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let listed = stdout(&out);
    assert!(
        listed.contains("WPS103  splr-group-id-mismatch"),
        "{listed}"
    );
    assert!(
        listed.ends_with(
            "ORG001  require-owner-tag                  warning  Key Vaults carry an owner tag\n"
        ),
        "{listed}"
    );
    let page = "# ORG001 require-owner-tag\n\nDefault level: warning. Key Vaults carry an owner tag.\n\n## What it does\n\nOur platform team asks for an owner on every vault.\n";
    let out = wps_lint(
        dir.path(),
        &["explain", "require-owner-tag", "--rules", "org-rules"],
    );
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), page));
    // The rules-dirs of the config for the current folder count, as they do for `check`.
    let out = wps_lint(&dir.path().join("configured"), &["explain", "ORG001"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), page));
    let out = wps_lint(dir.path(), &["explain", "ORG001"]);
    assert_eq!(out.status.code(), Some(2));
    // One folder named by `--rules` and by a config loads once.
    let out = wps_lint(
        dir.path(),
        &["--rules", "org-rules", "--format", "concise", "configured"],
    );
    assert_eq!(
        stdout(&out),
        "configured/untagged.json:6:80: warning[ORG001] vault kv-contoso has no `owner` tag\n\
         Found 1 problem (1 warning) in 1 file.\n"
    );
    // A broken rule file fails every command the same way.
    std::fs::write(
        dir.path().join("org-rules/ORG001.md"),
        REQUIRE_TAGS.replace("exists = false", "exists = 'maybe'"),
    )
    .unwrap();
    let error =
        "org-rules/ORG001.md:10: [[check]] #1: invalid type: string \"maybe\", expected a boolean";
    for args in [
        &["rules", "--rules", "org-rules"][..],
        &["explain", "ORG001", "--rules", "org-rules"],
        &["--rules", "org-rules", "configured"],
    ] {
        let out = wps_lint(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: {error}\n"),
            "{args:?}"
        );
    }
}

/// The codes, lines and pointers of a JSON report's diagnostics.
fn findings(out: &Output) -> Vec<(String, u64, String)> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn finding(code: &str, line: u64, pointer: &str) -> (String, u64, String) {
    (code.to_string(), line, pointer.to_string())
}

#[test]
fn a_comment_suppresses_the_next_line() {
    // The comment goes on line 6, so the undefined reference moves to line 7.
    let commented = |comment: &str| {
        broken().replace("    { \"type\"", &format!("    {comment}\n    {{ \"type\""))
    };
    let dir = fixture(&[
        (
            "used.jsonc",
            &commented("// wps-lint-disable-next-line WPS003 -- the pipeline adds it"),
        ),
        (
            "by-name.jsonc",
            &commented("/* wps-lint-disable-next-line undefined-reference */"),
        ),
        (
            "wrong.jsonc",
            &commented("// wps-lint-disable-next-line WPS002"),
        ),
    ]);
    for file in ["used.jsonc", "by-name.jsonc"] {
        let out = wps_lint(dir.path(), &["--format", "json", file]);
        assert_eq!(out.status.code(), Some(0), "{file}");
        assert_eq!(findings(&out), [], "{file}");
    }
    let out = wps_lint(dir.path(), &["--format", "json", "wrong.jsonc"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&out),
        [
            finding("WPS005", 6, ""),
            finding("WPS003", 7, "/resources/0/name")
        ]
    );
}

#[test]
fn resource_metadata_suppresses_inside_the_resource() {
    let with_metadata = |disable: &str| {
        broken().replace(
            "\"name\": \"[parameters('nmae')]\"",
            &format!("\"name\": \"[parameters('nmae')]\", \"metadata\": {{ \"wps-lint\": {{ \"disable\": {disable}, \"reason\": \"approved\" }} }}"),
        )
    };
    let dir = fixture(&[
        ("used.json", &with_metadata("[\"WPS003\"]")),
        ("unused.json", &with_metadata("[\"WPS002\"]")),
    ]);
    let out = wps_lint(dir.path(), &["--format", "json", "used.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&out), []);
    let out = wps_lint(dir.path(), &["--format", "json", "unused.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&out),
        [
            finding("WPS003", 6, "/resources/0/name"),
            finding("WPS005", 6, "/resources/0/metadata/wps-lint/disable/0")
        ]
    );
    // A suppression of a rule that is off hides nothing either.
    let out = wps_lint(
        dir.path(),
        &["--format", "json", "--ignore", "WPS003", "used.json"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        findings(&out),
        [finding(
            "WPS005",
            6,
            "/resources/0/metadata/wps-lint/disable/0"
        )]
    );
}

#[test]
fn a_baseline_hides_recorded_findings_even_when_lines_move() {
    let dir = fixture(&[("main.json", &broken())]);
    let out = wps_lint(
        dir.path(),
        &["--write-baseline", "baseline.json", "main.json"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("wrote 1 finding to baseline baseline.json"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("baseline.json")).unwrap(),
        r#"{
  "version": 1,
  "tool": "wps-lint",
  "findings": [
    {
      "file": "main.json",
      "code": "WPS003",
      "pointer": "/resources/0/name"
    }
  ]
}
"#
    );
    let with_baseline = [
        "--format",
        "json",
        "--baseline",
        "baseline.json",
        "main.json",
    ];
    let out = wps_lint(dir.path(), &with_baseline);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings(&out), []);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0);

    // Two new lines above the old finding, and a new mistake below it.
    let edited = broken()
        .replace(
            "  \"parameters\"",
            "  \"variables\": {\n    \"owner\": \"platform\"\n  },\n  \"parameters\"",
        )
        .replace(
            "\"name\": \"[parameters('nmae')]\"",
            "\"name\": \"[parameters('nmae')]\",\n      \"tags\": { \"owner\": \"[variables('ownr')]\" }",
        );
    std::fs::write(dir.path().join("main.json"), edited).unwrap();
    let out = wps_lint(dir.path(), &with_baseline);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        findings(&out),
        [finding("WPS003", 10, "/resources/0/tags/owner")]
    );
}

#[test]
fn a_missing_or_invalid_baseline_fails_the_run() {
    let dir = fixture(&[
        ("main.json", CLEAN),
        ("not-json.json", "findings: none"),
        (
            "wrong-shape.json",
            r#"{"version": 1, "tool": "wps-lint", "findings": [{"file": "main.json"}]}"#,
        ),
        (
            "future.json",
            r#"{"version": 2, "tool": "wps-lint", "findings": []}"#,
        ),
    ]);
    for (baseline, says) in [
        ("missing.json", "--write-baseline missing.json"),
        ("not-json.json", "not a wps-lint baseline"),
        ("wrong-shape.json", "missing field `code`"),
        ("future.json", "version 2"),
    ] {
        let out = wps_lint(dir.path(), &["--baseline", baseline, "main.json"]);
        assert_eq!(out.status.code(), Some(2), "{baseline}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: --baseline {baseline}: ")) && stderr.contains(says),
            "{stderr}"
        );
    }
    let both = [
        "--baseline",
        "future.json",
        "--write-baseline",
        "b.json",
        "main.json",
    ];
    assert_eq!(wps_lint(dir.path(), &both).status.code(), Some(2));
}

#[test]
fn the_samples_show_what_the_tool_is_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = wps_lint(root, &["--format", "json", "examples"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "examples/broken-expression.json WPS003",
            "examples/broken-expression.json WPS002",
            "examples/web-pubsub-broken-link.bicep WPS103",
            "examples/web-pubsub-broken-link.json WPS103",
            "examples/web-pubsub-broken-link.json WPS105",
            "examples/web-pubsub-broken-link.json WPS203",
            "examples/web-pubsub-broken-link.json WPS301",
        ]
    );
}

#[test]
fn missing_approval_help_gives_the_command_for_that_vault() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/WPS201");
    let out = wps_lint(
        &fixtures,
        &[
            "--format",
            "json",
            "--select",
            "WPS201",
            // The other fixtures of the repository are not this case's context.
            "--no-context",
            "fires-classic.json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["diagnostics"][0]["help"],
        "declare a Microsoft.KeyVault/vaults/privateEndpointConnections resource with status \
         Approved that depends on the link, or approve it on the vault after deployment: az \
         network private-endpoint-connection list --name kv-contoso-prod --resource-group \
         <resource group> --type Microsoft.KeyVault/vaults --query \
         \"[?properties.privateLinkServiceConnectionState.status=='Pending'].id\" -o tsv | \
         xargs -n1 az network private-endpoint-connection approve --description \"Approved \
         for Microsoft.SignalRService/webPubSub\" --id"
    );
}

/// Codes and files of a JSON report's diagnostics.
fn found(out: &Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect()
}

const CROSS_FILE_LINK: &str = include_str!("fixtures/WPS201/silent-cross-file/app.json");
const CROSS_FILE_VAULT: &str = include_str!("fixtures/WPS201/silent-cross-file/vault.json");

#[test]
fn named_files_see_the_rest_of_their_project_as_context() {
    let vault_with_a_mistake = CROSS_FILE_VAULT.replacen(
        "\"[resourceGroup().location]\"",
        "\"[parameters('place')]\"",
        1,
    );
    let dir = fixture(&[
        ("wps-lint.toml", ""),
        ("infra/link.json", CROSS_FILE_LINK),
        ("infra/vault.json", &vault_with_a_mistake),
    ]);
    // The approval in the unchanged vault.json counts; its own WPS003 is not reported.
    let out = wps_lint(dir.path(), &["--format", "json", "infra/link.json"]);
    assert_eq!(found(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1);
    // From a subfolder, the project is still the folder of wps-lint.toml.
    let out = wps_lint(
        &dir.path().join("infra"),
        &["--format", "json", "link.json"],
    );
    assert_eq!(found(&out), Vec::<String>::new());
    let alone = wps_lint(
        dir.path(),
        &["--format", "json", "--no-context", "infra/link.json"],
    );
    assert_eq!(found(&alone), ["infra/link.json WPS201"]);
    // Without wps-lint.toml, the git work tree is the project.
    std::fs::remove_file(dir.path().join("wps-lint.toml")).unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::rename(
        dir.path().join("infra/link.json"),
        dir.path().join("app/link.json"),
    )
    .unwrap();
    let out = wps_lint(dir.path(), &["--format", "json", "app/link.json"]);
    assert_eq!(found(&out), Vec::<String>::new());
    // Without either, only the named file's folder.
    std::fs::remove_dir(dir.path().join(".git")).unwrap();
    let out = wps_lint(dir.path(), &["--format", "json", "app/link.json"]);
    assert_eq!(found(&out), ["app/link.json WPS201"]);
}

/// Parameters for `CROSS_FILE_LINK` naming a vault that cannot exist (WPS104).
const BAD_VAULT_PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "keyVaultName": { "value": "kv--contoso" } }
}
"#;

/// A project of `CROSS_FILE_LINK`, its vault, and `BAD_VAULT_PARAMETERS` as `parameters`,
/// configured by `config`.
fn bad_vault_project(config: &str, parameters: &str) -> tempfile::TempDir {
    fixture(&[
        ("wps-lint.toml", config),
        ("main.json", CROSS_FILE_LINK),
        (parameters, BAD_VAULT_PARAMETERS),
        ("vault.json", CROSS_FILE_VAULT),
    ])
}

#[test]
fn a_named_parameter_file_is_linted_with_its_template() {
    let dir = bad_vault_project("", "main.parameters.json");
    let out = wps_lint(dir.path(), &["--format", "json", "main.parameters.json"]);
    assert!(
        found(&out).contains(&"main.json WPS104".to_string()),
        "{:?}",
        found(&out)
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_named_template_takes_its_ignored_parameter_file_and_a_walk_does_not() {
    let dir = bad_vault_project(
        "exclude = [\"*.parameters.local.json\"]\n",
        "main.parameters.local.json",
    );
    // Named, a template takes every parameter file beside it, as a deployment command is given
    // one; in a folder a walk lists, what the walk passes over stays out.
    let named = wps_lint(dir.path(), &["--format", "json", "main.json"]);
    assert!(
        found(&named).contains(&"main.json WPS104".to_string()),
        "{:?}",
        found(&named)
    );
    let walked = wps_lint(dir.path(), &["--format", "json", "."]);
    assert!(
        !found(&walked).contains(&"main.json WPS104".to_string()),
        "{:?}",
        found(&walked)
    );
}

#[test]
fn findings_name_the_parameter_file_that_gives_them() {
    let parameters = |vault: &str| {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "parameters": {{ "keyVaultName": {{ "value": "{vault}" }} }} }}"#
        )
    };
    let template = CROSS_FILE_LINK.replace(
        "\"[resourceGroup().location]\"",
        "\"[parameters('place')]\"",
    );
    let dir = fixture(&[
        ("main.json", &template),
        ("main.parameters.dev.json", &parameters("kv-contoso-dev")),
        ("main.parameters.prod.json", &parameters("kv--contoso")),
    ]);
    let out = wps_lint(
        dir.path(),
        &["--format", "json", "--select", "WPS003,WPS104", "."],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, serde_json::Value)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["parameters"].clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // The template's own mistake, whichever parameter file: said once, of no file.
            (
                "WPS003".to_string(),
                "the parameter `place` is not declared in this template".to_string(),
                serde_json::Value::Null
            ),
            (
                "WPS104".to_string(),
                "`kv--contoso` is not a valid Key Vault name: it contains `--` (with parameter file main.parameters.prod.json)".to_string(),
                "main.parameters.prod.json".into()
            ),
        ]
    );
    let concise = wps_lint(
        dir.path(),
        &["--format", "concise", "--select", "WPS104", "."],
    );
    assert!(stdout(&concise).contains("(with parameter file main.parameters.prod.json)"));
}

/// The end-to-end template with groupId `vaults`, with a byte order mark and CRLF line ends.
fn group_id_vaults_crlf() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e/break-group-id-vaults.json");
    let text = std::fs::read_to_string(path).unwrap();
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

#[test]
fn diff_shows_the_fixes_and_changes_nothing() {
    let original = group_id_vaults_crlf();
    let dir = fixture(&[("infra/wps.json", &original)]);
    let out = wps_lint(dir.path(), &["check", "--diff", "infra"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "--- a/infra/wps.json\n+++ b/infra/wps.json\n@@ -58,7 +58,7 @@\n         \"[resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName'))]\"\r\n       ],\r\n       \"properties\": {\r\n-        \"groupId\": \"vaults\",\r\n+        \"groupId\": \"vault\",\r\n         \"privateLinkResourceId\": \"[resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName'))]\",\r\n         \"requestMessage\": \"Web PubSub custom certificate access\"\r\n       }\r\n"
    );
    let on_disk = std::fs::read_to_string(dir.path().join("infra/wps.json")).unwrap();
    assert_eq!(on_disk, original);
    let patch = stdout(&out);
    let out = wps_lint(dir.path(), &["--diff", "--output", "fixes.patch", "infra"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(1), ""));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("fixes.patch")).unwrap(),
        patch
    );
    // Nothing to fix: no diff, exit 0.
    let clean = fixture(&[("clean.json", CLEAN)]);
    let out = wps_lint(clean.path(), &["--diff", "clean.json"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(0), ""));
}

#[test]
fn fix_writes_only_the_edits_and_reports_what_remains() {
    let original = group_id_vaults_crlf();
    let dir = fixture(&[
        ("infra/wps.json", &original),
        ("bad/broken.json", &CLEAN[..120]),
    ]);
    let out = wps_lint(dir.path(), &["--fix", "--format", "concise", "infra"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No problems found in 1 file.\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fixed 1 finding in 1 file\n"
    );
    // Byte order mark, CRLF and indentation stay: only the value changed.
    let on_disk = std::fs::read_to_string(dir.path().join("infra/wps.json")).unwrap();
    assert_eq!(
        on_disk,
        original.replace("\"groupId\": \"vaults\"", "\"groupId\": \"vault\"")
    );
    assert_eq!(
        wps_lint(dir.path(), &["--diff", "infra"]).status.code(),
        Some(0)
    );
    // A file with a syntax error is reported and left as it is.
    let out = wps_lint(dir.path(), &["--fix", "--format", "concise", "bad"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[WPS001]"), "{}", stdout(&out));
    let broken = std::fs::read_to_string(dir.path().join("bad/broken.json")).unwrap();
    assert_eq!(broken, &CLEAN[..120]);
    // Standard input cannot be written back.
    let out = wps_lint(dir.path(), &["--fix", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --fix and --diff work on files; standard input cannot be fixed\n"
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = fixture(&[
        ("a.json", &broken()),
        ("b.json", &broken()),
        ("wps.json", &group_id_vaults_crlf()),
    ]);
    let out = wps_lint(dir.path(), &["--statistics", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "2  WPS003  undefined-reference\n\
         1  WPS103  splr-group-id-mismatch (1 fixable)\n\
         3  total\n"
    );
}

#[test]
fn show_settings_names_the_config_and_every_level() {
    let dir = fixture(&[
        ("infra/wps.json", CLEAN),
        (
            "infra/wps-lint.toml",
            "[rules]\nWPS115 = \"warning\"\nsplr-missing-request-message = \"off\"\n",
        ),
    ]);
    let out = wps_lint(dir.path(), &["--show-settings", "infra/wps.json"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "RuleSettings for infra/wps.json",
            "Configuration file: infra/wps-lint.toml",
            ""
        ]
    );
    assert_eq!(lines.len(), 3 + wps_lint::rules::builtin_rules().len());
    let line = |code: &str| *lines.iter().find(|l| l.starts_with(code)).unwrap();
    assert!(
        line("WPS115").ends_with("warning  (configuration)"),
        "{text}"
    );
    assert!(line("WPS001").ends_with("error    (default)"), "{text}");
    let off = lines
        .iter()
        .find(|l| l.contains("splr-missing-request-message"))
        .unwrap();
    assert!(off.ends_with("off      (configuration)"), "{text}");
    let out = wps_lint(dir.path(), &["--show-settings", "nope.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: --show-settings nope.json: "));
}

#[test]
fn rules_as_json() {
    let dir = fixture(&[]);
    let out = wps_lint(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), wps_lint::rules::builtin_rules().len());
    assert_eq!(
        rules[2],
        serde_json::json!({
            "code": "WPS003",
            "name": "undefined-reference",
            "level": "error",
            "summary": rules[2]["summary"],
            "url": "https://github.com/wps-lint/wps-lint/blob/main/rules/WPS003.md"
        })
    );
    assert!(!rules[2]["summary"].as_str().unwrap().is_empty());
}

#[test]
fn a_mistyped_subcommand_gets_a_hint() {
    let dir = fixture(&[("check.json", CLEAN)]);
    let out = wps_lint(dir.path(), &["chek"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: `chek` is neither a file nor a subcommand; did you mean `check`?\n"
    );
    let out = wps_lint(dir.path(), &["explian", "WPS103"]);
    assert_eq!(out.status.code(), Some(2));
    // A word far from every subcommand is just a missing path; an existing path is linted.
    let out = wps_lint(dir.path(), &["infrastructure"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: infrastructure: "),
        "{}",
        stderr(&out)
    );
    std::fs::create_dir(dir.path().join("rulse")).unwrap();
    assert_eq!(wps_lint(dir.path(), &["rulse"]).status.code(), Some(0));
}

#[test]
fn file_errors_name_their_option_and_config_errors_their_place() {
    let dir = fixture(&[
        ("clean.json", CLEAN),
        ("bad.toml", "exclude = []\n[rules]\nWPS003 = [\n"),
    ]);
    let out = wps_lint(dir.path(), &["--config", "bad.toml", "clean.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --config bad.toml:3:11: unclosed array, expected `]`\n"
    );
    for (args, prefix) in [
        (["--config", "none.toml"], "error: --config none.toml: "),
        (["--baseline", "none.json"], "error: --baseline none.json: "),
        (
            ["--parameters", "none.json"],
            "error: --parameters none.json: ",
        ),
        (
            ["--output", "no/such/dir.txt"],
            "error: --output no/such/dir.txt: ",
        ),
    ] {
        let out = wps_lint(dir.path(), &[args[0], args[1], "clean.json"]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with(prefix), "{}", stderr(&out));
    }
    // The nearest config's errors have their place too.
    let nested = fixture(&[("a/t.json", CLEAN), ("a/wps-lint.toml", "exclude = 3\n")]);
    let out = wps_lint(nested.path(), &["a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: a/wps-lint.toml:1:11: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_and_man_page() {
    let dir = fixture(&[]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = wps_lint(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("fail-on"), "{shell}");
    }
    assert_eq!(
        wps_lint(dir.path(), &["completions", "tcsh"]).status.code(),
        Some(2)
    );
    let out = wps_lint(dir.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.contains(".TH wps-lint 1"), "{page}");
    assert!(page.contains("\\-\\-fail\\-on"), "{page}");
}

#[test]
fn a_fix_for_a_value_from_a_parameter_file_lands_there() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/WPS103");
    let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).unwrap();
    let template = read("fires-parameter-file.json");
    let parameters = read("fires-parameter-file.parameters.json");
    let dir = fixture(&[
        ("main.json", &template),
        ("main.parameters.json", &parameters),
    ]);
    let out = wps_lint(dir.path(), &["--diff", "main.json"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(
        diff.starts_with("--- a/main.parameters.json\n+++ b/main.parameters.json\n"),
        "{diff}"
    );
    assert_eq!(
        diff.matches("\n--- a/").count(),
        0,
        "only the parameter file: {diff}"
    );
    let out = wps_lint(dir.path(), &["--fix", "main.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let read_back = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read_back("main.json"), template);
    assert_ne!(read_back("main.parameters.json"), parameters);
}

#[test]
fn baseline_paths_are_relative_to_the_baseline_file() {
    let dir = fixture(&[("infra/main.json", &broken()), ("ci/.keep", "")]);
    let out = wps_lint(
        dir.path(),
        &[
            "--write-baseline",
            "ci/baseline.json",
            "--no-context",
            "infra/main.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("ci/baseline.json")).unwrap();
    assert!(
        written.contains("\"file\": \"../infra/main.json\""),
        "{written}"
    );
    // From another folder, naming the file another way: still hidden.
    let out = wps_lint(
        &dir.path().join("infra"),
        &[
            "--baseline",
            "../ci/baseline.json",
            "--no-context",
            "./main.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = wps_lint(&dir.path().join("infra"), &["--no-context", "main.json"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn add_suppressions_writes_metadata_for_every_finding_in_a_resource() {
    // Two rules in one resource, and one finding outside any resource.
    let template = broken()
        .replace(
            "\"apiVersion\": \"2023-07-01\",",
            "\"apiVersion\": \"2023-07-01\", \"location\": \"[parameters('place')]\",",
        )
        .replace(
            "\"resources\": [",
            "\"outputs\": { \"o\": { \"type\": \"string\", \"value\": \"[parameters('gone')]\" } },\n  \"resources\": [",
        );
    let dir = fixture(&[("main.json", &template)]);
    let before = wps_lint(dir.path(), &["--format", "json", "main.json"]);
    assert_eq!(found(&before).len(), 3, "{:?}", found(&before));
    let out = wps_lint(dir.path(), &["--add-suppressions", "main.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("added 1 suppression to 1 file; 1 finding outside any resource"),
        "{}",
        stderr(&out)
    );
    let written = std::fs::read_to_string(dir.path().join("main.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        json["resources"][0]["metadata"],
        serde_json::json!({"wps-lint": {"disable": ["WPS003"]}})
    );
    // What remains is what no resource holds.
    let after = wps_lint(dir.path(), &["--format", "json", "main.json"]);
    assert_eq!(found(&after), ["main.json WPS003"]);
}

/// A template with one finding (WPS103) and one fix for it.
const ALONE: &str = include_str!("editors/workspace/alone.json");

fn codes(out: &Output) -> Vec<String> {
    found(out)
        .into_iter()
        .map(|f| f.rsplit(' ').next().unwrap().to_string())
        .collect()
}

/// A template of about 40 KiB, so that a write limited to less fails part-way.
fn padded() -> String {
    ALONE.replacen(
        "\"contentVersion\"",
        &format!(
            "\"metadata\": {{\"padding\": \"{}\"}},\n  \"contentVersion\"",
            "x".repeat(40_000)
        ),
        1,
    )
}

#[test]
fn fix_that_cannot_write_leaves_the_original_whole() {
    let original = padded();
    let dir = fixture(&[("t.json", &original)]);
    // The write limited to 16 KiB, as a full disk would: the file size limit (its signal
    // ignored, so that the write fails with an error instead of killing the process).
    let out = Command::new("bash")
        .current_dir(dir.path())
        .args(["-c", "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_wps-lint"))
        .args(["--fix", "t.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("error: --fix: cannot write t.json: File too large"));
    assert!(
        stderr(&out).contains("the file is left as it was"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t.json")).unwrap(),
        original
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file is left"
    );

    // A real full disk where the test may mount one: a 256 KiB tmpfs, filled up.
    let disk = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(disk.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "no tmpfs could be mounted here: the full-disk case ran with the file size limit only"
        );
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(disk.path());
    let file = disk.path().join("t.json");
    std::fs::write(&file, &original).unwrap();
    let mut filler = std::fs::File::create(disk.path().join("filler")).unwrap();
    while filler.write_all(&[b'.'; 1024]).is_ok() {}
    drop(filler);
    let out = wps_lint(disk.path(), &["--fix", "t.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn output_never_replaces_an_input() {
    let dir = fixture(&[
        ("t.json", ALONE),
        ("infra/u.json", ALONE),
        ("report.json", "{}"),
    ]);
    for args in [
        &["--format", "json", "--output", "t.json", "t.json"][..],
        &["--format", "json", "--output", "./t.json", "t.json"],
        &["--output", "infra/u.json", "infra"],
        &["--output", "t.json", "--parameters", "t.json", "infra"],
    ] {
        let out = wps_lint(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("which the report would replace"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t.json")).unwrap(),
        ALONE
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("infra/u.json")).unwrap(),
        ALONE
    );
    // A report in the folder the run walks is no template: it is written.
    let out = wps_lint(
        dir.path(),
        &["--format", "json", "--output", "report.json", "."],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(dir.path().join("report.json"))
            .unwrap()
            .contains("WPS103")
    );
}

#[test]
fn a_file_named_twice_is_linted_once() {
    let dir = fixture(&[("t.json", ALONE)]);
    let absolute = dir.path().join("t.json");
    std::os::unix::fs::symlink("t.json", dir.path().join("link.json")).unwrap();
    for args in [
        &[".", "t.json"][..],
        &["t.json", "./t.json"],
        &["t.json", absolute.to_str().unwrap()],
        &["t.json", "link.json"],
        &["."],
    ] {
        let out = wps_lint(dir.path(), &[&["--format", "json"][..], args].concat());
        assert_eq!(codes(&out), ["WPS103"], "{args:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["summary"]["files"], 1, "{args:?}: {report}");
    }
}

/// `wps-lint ARGS` in `dir` as a user without privileges (root reads any folder).
fn wps_lint_unprivileged(dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    let mut command = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_wps-lint"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_wps-lint"))
    };
    command.current_dir(dir).args(args).output().unwrap()
}

#[test]
fn walks_report_unreadable_folders_and_lint_linked_templates() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture(&[
        ("elsewhere/real.json", ALONE),
        ("walked/secret/s.json", ALONE),
    ]);
    std::os::unix::fs::symlink(
        "../elsewhere/real.json",
        dir.path().join("walked/link.json"),
    )
    .unwrap();
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(dir.path().join(p), std::fs::Permissions::from_mode(m)).unwrap()
    };
    mode("", 0o755);
    mode("walked/secret", 0o000);
    let out = wps_lint_unprivileged(dir.path(), &["--format", "concise", "walked"]);
    let text = stdout(&out);
    assert!(
        text.contains("walked/link.json:62:79: error[WPS103]"),
        "{text}"
    );
    assert!(
        text.contains("walked/secret: notice: cannot be read (Permission denied (os error 13)); nothing in it was linted"),
        "{text}"
    );
    // Named directly: the notice, not a word about `.gitignore`.
    let out = wps_lint_unprivileged(dir.path(), &["--format", "concise", "walked/secret"]);
    assert!(
        stdout(&out).contains("walked/secret: notice: cannot be read"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("gitignore"), "{}", stderr(&out));
    mode("walked/secret", 0o755);
}

#[test]
fn utf16_with_a_byte_order_mark_is_linted_and_fixed_as_utf16() {
    let utf16 = |big: bool, bom: bool| -> Vec<u8> {
        let mut bytes = Vec::new();
        if bom {
            bytes.extend(if big { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for unit in ALONE.encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, big, bom) in [
        ("le.json", false, true),
        ("be.json", true, true),
        ("bare.json", false, false),
    ] {
        std::fs::write(dir.path().join(name), utf16(big, bom)).unwrap();
    }
    let out = wps_lint(
        dir.path(),
        &[
            "--format",
            "concise",
            "--select",
            "WPS103",
            "le.json",
            "be.json",
            "bare.json",
        ],
    );
    let text = stdout(&out);
    assert!(text.contains("le.json:62:79: error[WPS103]"), "{text}");
    assert!(text.contains("be.json:62:79: error[WPS103]"), "{text}");
    assert!(
        text.contains(
            "bare.json: notice: UTF-16 text without a byte order mark, which is not supported"
        ),
        "{text}"
    );
    let out = wps_lint(dir.path(), &["--fix", "--select", "WPS103", "le.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = std::fs::read(dir.path().join("le.json")).unwrap();
    assert_eq!(fixed[..2], [0xFF, 0xFE]);
    let units: Vec<u16> = fixed[2..]
        .chunks(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&units).unwrap(),
        ALONE.replace("\"groupId\": \"vaults\"", "\"groupId\": \"vault\"")
    );
}

#[test]
fn a_report_standard_output_does_not_take_fails_the_run() {
    let dir = fixture(&[("t.json", ALONE)]);
    let full = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .arg("t.json")
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(2));
    assert_eq!(
        stderr(&full),
        "error: cannot write the report to standard output: No space left on device (os error 28)\n"
    );
    // A pipe closed before the report arrives.
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .arg("t.json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let closed = child.wait_with_output().unwrap();
    assert_eq!(closed.status.code(), Some(2));
    assert!(
        stderr(&closed).contains("Broken pipe"),
        "{}",
        stderr(&closed)
    );
    // And the `--parameters` error names its option, as the others do.
    let out = wps_lint(dir.path(), &["--parameters", "t.json", "t.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: --parameters t.json: not a parameter file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bicep_files_are_linted_and_fixed_in_bicep() {
    let link = "resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {\n  name: 'wps'\n}\n\nresource link 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {\n  parent: wps\n  name: 'kv-link'\n  properties: {\n    groupId: 'vaults'\n    privateLinkResourceId: resourceId('Microsoft.KeyVault/vaults', 'kv-contoso')\n    requestMessage: 'please'\n  }\n}\n";
    let dir = fixture(&[("infra/main.bicep", link)]);
    let out = wps_lint(dir.path(), &["--format", "json", "--no-context", "infra"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["range"]["start"]["line"],
                d["range"]["start"]["column"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "WPS103 infra/main.bicep:9:14",
            "WPS201 infra/main.bicep:10:28"
        ]
    );
    let out = wps_lint(dir.path(), &["--fix", "--no-context", "infra"]);
    assert_eq!(out.status.code(), Some(0), "WPS201 is a warning");
    let fixed = std::fs::read_to_string(dir.path().join("infra/main.bicep")).unwrap();
    assert_eq!(fixed, link.replace("'vaults'", "'vault'"));
}

#[test]
fn pipeline_formats_point_at_bicep_lines() {
    // What the Azure Pipelines and GitLab CI steps run on a repository of Bicep sources.
    let dir = fixture(&[(
        "infra/main.bicep",
        include_str!("fixtures/WPS103/fires-bicep.bicep"),
    )]);
    let out = wps_lint(dir.path(), &["--format", "azure", "infra"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("##vso[task.logissue type=error;sourcepath=infra/main.bicep;linenumber=41;columnnumber=16;code=WPS103;]"),
        "{}",
        stdout(&out)
    );
    let out = wps_lint(dir.path(), &["--format", "gitlab", "infra"]);
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(issues[0]["check_name"], "WPS103");
    assert_eq!(
        issues[0]["location"],
        serde_json::json!({"path": "infra/main.bicep", "lines": {"begin": 41}})
    );
}

#[test]
fn a_finding_in_a_bicep_module_is_reported_in_the_module_file_and_fixed_there() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/WPS103/fires-bicep-module-file-called-twice");
    let text = |name: &str| std::fs::read_to_string(case.join(name)).unwrap();
    let module = text("modules/link.bicep");
    // The config marks the project, whose files are the context of the named `main.bicep`.
    let dir = fixture(&[
        ("wps-lint.toml", ""),
        ("main.bicep", &text("main.bicep")),
        ("modules/link.bicep", &module),
    ]);
    let group_id = |args: &[&str]| -> Vec<String> {
        let out = wps_lint(dir.path(), args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let place = |d: &serde_json::Value| {
            format!(
                "{}:{} {}",
                d["file"].as_str().unwrap(),
                d["range"]["start"]["line"],
                d["pointer"].as_str().unwrap()
            )
        };
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "WPS103")
            .map(|d| {
                // A finding without related places has no `related` member.
                let related: Vec<String> = d["related"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(place)
                    .collect();
                format!("{} <- {}", place(d), related.join(", "))
            })
            .collect()
    };
    // The module file is context, and reported because its caller is named.
    assert_eq!(
        group_id(&["--format", "json", "main.bicep"]),
        [
            "modules/link.bicep:12 /resources/link/properties/groupId <- main.bicep:11 /resources/linkA, main.bicep:19 /resources/linkB"
        ]
    );
    // Outside the analysis set, the module's findings stay on each call.
    assert_eq!(
        group_id(&["--format", "json", "--no-context", "main.bicep"]),
        [
            "main.bicep:11 /resources/linkA <- ",
            "main.bicep:19 /resources/linkB <- "
        ]
    );
    let out = wps_lint(dir.path(), &["--fix", "main.bicep"]);
    assert_eq!(out.status.code(), Some(0), "WPS201 is a warning");
    let fixed = std::fs::read_to_string(dir.path().join("modules/link.bicep")).unwrap();
    assert_eq!(fixed, module.replace("'vaults'", "'vault'"));
}

#[test]
fn json_compiled_from_a_bicep_file_beside_it_is_skipped() {
    let compiled = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"languageVersion\": \"2.0\", \"contentVersion\": \"1.0.0.0\", \"metadata\": {\"_generator\": {\"name\": \"bicep\"}}, \"resources\": {}}";
    let dir = fixture(&[
        ("main.bicep", "param name string = 'x'\n"),
        ("main.json", compiled),
        ("other.json", CLEAN),
    ]);
    let out = wps_lint(dir.path(), &["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["notices"],
        serde_json::json!([{"file": "main.json", "message": "compiled from main.bicep, which is linted instead; skipped"}])
    );
}
