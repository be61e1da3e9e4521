//! The GitHub Action: `action.yml` follows the rules of action metadata, and the scripts its
//! steps run (`scripts/action/`) do what the action promises when run with the environment
//! GitHub gives them: SARIF written, annotations printed, exit status by `fail-on`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_norway::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> (String, Value) {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let value = serde_norway::from_str(&text).unwrap();
    (text, value)
}

/// Every `NAME` of `${{ ... PREFIX.NAME ... }}` in the text.
fn references(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for expression in text.split("${{").skip(1) {
        let expression = expression.split("}}").next().unwrap();
        for (at, _) in expression.match_indices(prefix) {
            let name: String = expression[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

#[test]
fn action_metadata_is_valid() {
    let (text, action) = action();
    for key in ["name", "description"] {
        assert!(action[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_mapping().unwrap();
    for (name, input) in inputs {
        assert!(input["description"].is_string(), "input {name:?}");
    }
    let declared: BTreeSet<String> = inputs
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let used = references(&text, "inputs.");
    assert!(
        used.is_subset(&declared),
        "undeclared inputs: {used:?} vs {declared:?}"
    );
    assert_eq!(used, declared, "every input is used");

    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let ids: BTreeSet<String> = steps
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    for step in steps {
        assert!(step["name"].is_string(), "{step:?}");
        match (step.get("run"), step.get("uses")) {
            (Some(run), None) => {
                assert!(
                    step["shell"].is_string(),
                    "a run step needs a shell: {step:?}"
                );
                // Inputs reach scripts through env, never pasted into the script text.
                let run = run.as_str().unwrap();
                assert!(!run.contains("${{"), "expression in a script: {run}");
                let script = run
                    .trim_matches(['\'', '"'])
                    .replace("$GITHUB_ACTION_PATH/", "");
                let script = script.split_whitespace().next().unwrap().trim_matches('"');
                assert!(root().join(script).is_file(), "{script} is missing");
            }
            (None, Some(uses)) => {
                let uses = uses.as_str().unwrap();
                assert!(uses.contains('@'), "{uses} is not pinned to a version");
            }
            _ => panic!("a step has either run or uses: {step:?}"),
        }
    }
    for (name, output) in action["outputs"].as_mapping().unwrap() {
        assert!(output["description"].is_string(), "output {name:?}");
        let value = output["value"].as_str().unwrap();
        let steps_used = references(value, "steps.");
        assert!(!steps_used.is_empty(), "output {name:?} names no step");
        assert!(
            steps_used.is_subset(&ids),
            "output {name:?}: {steps_used:?} vs {ids:?}"
        );
    }
    // Steps referring to steps refer to earlier ones.
    let mut earlier = BTreeSet::new();
    for step in steps {
        let text = serde_norway::to_string(step).unwrap();
        let used = references(&text, "steps.");
        assert!(used.is_subset(&earlier), "{used:?} before they run");
        if let Some(id) = step["id"].as_str() {
            earlier.insert(id.to_string());
        }
    }
}

/// A workspace, and files GitHub gives the step.
struct Runner {
    workspace: tempfile::TempDir,
    files: tempfile::TempDir,
}

impl Runner {
    fn new(templates: &[(&str, &str)]) -> Runner {
        let workspace = tempfile::tempdir().unwrap();
        for (name, fixture) in templates {
            let path = workspace.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::copy(root().join("tests/fixtures").join(fixture), path).unwrap();
        }
        Runner {
            workspace,
            files: tempfile::tempdir().unwrap(),
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }

    /// Runs a script of the action with the environment GitHub sets and these inputs.
    fn run(&self, script: &str, args: &[&str], inputs: &[(&str, &str)]) -> Output {
        let bin = Path::new(env!("CARGO_BIN_EXE_wps-lint"));
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("bash");
        command
            .arg(root().join("scripts/action").join(script))
            .args(args)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.files.path())
            .env("GITHUB_WORKSPACE", self.workspace.path())
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary"))
            .env("GITHUB_PATH", self.file("path"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_TEMP", self.files.path());
        for (name, value) in inputs {
            command.env(name, value);
        }
        command.output().unwrap()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn lint_step_writes_sarif_prints_annotations_and_fails_by_fail_on() {
    let runner = Runner::new(&[
        ("infra/wps.json", "e2e/break-group-id-vaults.json"),
        ("infra/other/vault.json", "e2e/complete-setup.json"),
    ]);
    let out = runner.run(
        "run.sh",
        &[],
        &[
            ("INPUT_PATHS", "infra/wps.json\ninfra/other"),
            ("INPUT_FAIL_ON", "error"),
            ("INPUT_SARIF_FILE", "reports/wps-lint.sarif"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let annotations = stdout(&out);
    assert!(
        annotations.contains("::error file=infra/wps.json,line=61,col=20,endLine=61,endColumn=28,title=WPS103 splr-group-id-mismatch::"),
        "{annotations}"
    );
    let sarif_path = runner.workspace.path().join("reports/wps-lint.sarif");
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sarif_path).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "WPS103"),
        "{results:?}"
    );
    assert_eq!(
        runner.read("output"),
        "sarif-file=reports/wps-lint.sarif\nexit-code=1\n"
    );
    let summary = runner.read("summary");
    assert!(summary.starts_with("### wps-lint\n\n"), "{summary}");
    assert!(summary.contains("errors, "), "{summary}");
    assert!(
        summary.contains("SARIF: `reports/wps-lint.sarif`"),
        "{summary}"
    );

    // fail-on never: the same findings, exit 0.
    let runner = Runner::new(&[("infra/wps.json", "e2e/break-group-id-vaults.json")]);
    let out = runner.run(
        "run.sh",
        &[],
        &[
            ("INPUT_PATHS", "infra"),
            ("INPUT_FAIL_ON", "never"),
            ("INPUT_SARIF_FILE", ""),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).contains("::error file=infra/wps.json"));
    assert_eq!(runner.read("output"), "exit-code=0\n");
}

#[test]
fn lint_step_lints_a_bicep_repository_at_its_bicep_lines() {
    // Bicep sources only: no `bicep build` step, no compiled JSON.
    let runner = Runner::new(&[("infra/main.bicep", "WPS103/fires-bicep.bicep")]);
    let out = runner.run(
        "run.sh",
        &[],
        &[
            ("INPUT_PATHS", "infra"),
            ("INPUT_FAIL_ON", "error"),
            ("INPUT_SARIF_FILE", "wps-lint.sarif"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let annotations = stdout(&out);
    assert!(
        annotations.starts_with("::error file=infra/main.bicep,line=41,col=16,endLine=41,endColumn=24,title=WPS103 splr-group-id-mismatch::"),
        "{annotations}"
    );
    let sarif: serde_json::Value = serde_json::from_slice(
        &std::fs::read(runner.workspace.path().join("wps-lint.sarif")).unwrap(),
    )
    .unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "infra/main.bicep");
    let region = &location["region"];
    assert_eq!(
        [
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ],
        [41, 16, 41, 24]
    );
    assert_eq!(region["snippet"]["text"], "'vaults'");
}

#[test]
fn lint_step_passes_config_and_extra_args_and_reports_run_failures() {
    // WPS201 (no approval) is a warning: fail-on warning fails, error does not.
    let runner = Runner::new(&[("wps.json", "e2e/break-approval-removed.json")]);
    let lint = |inputs: &[(&str, &str)]| runner.run("run.sh", &[], inputs).status.code();
    assert_eq!(
        lint(&[("INPUT_FAIL_ON", "warning"), ("INPUT_SARIF_FILE", "")]),
        Some(1)
    );
    assert_eq!(
        lint(&[("INPUT_FAIL_ON", "error"), ("INPUT_SARIF_FILE", "")]),
        Some(0)
    );
    assert_eq!(
        lint(&[
            ("INPUT_FAIL_ON", "warning"),
            ("INPUT_ARGS", "--ignore WPS201 --quiet")
        ]),
        Some(0)
    );
    std::fs::write(
        runner.workspace.path().join("strict.toml"),
        "[rules]\nWPS201 = \"error\"\n",
    )
    .unwrap();
    assert_eq!(lint(&[("INPUT_CONFIG", "strict.toml")]), Some(1));
    // A run that fails (a missing config) exits 2, writes no SARIF output and says so.
    let out = runner.run("run.sh", &[], &[("INPUT_CONFIG", "missing.toml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--config missing.toml"));
    assert!(!runner.read("output").contains("sarif-file="));
    assert!(
        runner
            .read("summary")
            .contains("The run failed (exit status 2)")
    );
}

#[test]
fn install_step_keys_the_cache_and_reuses_a_cached_build() {
    let runner = Runner::new(&[]);
    let out = runner.run("install.sh", &["key"], &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let key = runner.read("output");
    assert!(key.starts_with("key=wps-lint-Linux-"), "{key}");
    assert_eq!(key.trim_end().len(), "key=wps-lint-Linux-".len() + 16);
    // Same sources, same key.
    runner.run("install.sh", &["key"], &[]);
    let keys = runner.read("output");
    assert_eq!(keys.lines().collect::<Vec<_>>(), [key.trim_end(); 2]);

    // A restored build made for this key is used as it is, and put on the PATH.
    let key = key.trim_end().strip_prefix("key=").unwrap();
    let cached = runner.file("wps-lint/bin");
    std::fs::create_dir_all(&cached).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_wps-lint"), cached.join("wps-lint")).unwrap();
    std::fs::write(runner.file("wps-lint/key"), format!("{key}\n")).unwrap();
    let out = runner.run("install.sh", &["install"], &[("WPS_LINT_KEY", key)]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout(&out).starts_with("wps-lint: using the cached build (wps-lint "));
    assert_eq!(runner.read("path"), format!("{}\n", cached.display()));

    // One restored for another key is rebuilt, with cargo install --locked at the action's
    // path (a stand-in cargo records its arguments), and the new key is kept.
    let tools = runner.file("tools");
    std::fs::create_dir_all(&tools).unwrap();
    std::fs::write(
        tools.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > {}\n",
            runner.file("cargo-args").display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(tools.join("cargo"))
        .status()
        .unwrap();
    let new_key = "wps-lint-Linux-0123456789abcdef";
    let path = format!("{}:/usr/bin:/bin", tools.display());
    let out = runner.run(
        "install.sh",
        &["install"],
        &[("WPS_LINT_KEY", new_key), ("PATH", path.as_str())],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(
        runner.read("cargo-args"),
        format!(
            "install --locked --force --path {} --root {}\n",
            root().display(),
            runner.file("wps-lint").display()
        )
    );
    assert_eq!(runner.read("wps-lint/key"), format!("{new_key}\n"));
    assert_eq!(
        runner.run("install.sh", &["other"], &[]).status.code(),
        Some(2)
    );
}
