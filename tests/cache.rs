//! The on-disk cache of passes, through the real binary: a second run answers from it, and
//! never with a stale or damaged answer: edits (also one that keeps the file's size and
//! modification time), parameter files, Bicep modules and rules all count; a damaged, cut or
//! foreign cache file is ignored and written anew; two runs at once both answer right;
//! `--no-cache`, `--cache-dir` and `WPS_LINT_CACHE_DIR` say where it goes, and a folder that
//! cannot be written only costs a warning.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// A template with one vault named by a parameter it may not declare (WPS003 names it).
fn template(parameter: &str) -> String {
    format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{ "name": {{ "type": "string", "defaultValue": "kv-contoso" }} }},
  "resources": [
    {{ "type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('{parameter}')]" }}
  ]
}}
"#
    )
}

fn wps_lint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir)
        .args(args)
        .env_remove(CACHE_VARIABLE)
        .output()
        .unwrap()
}

const CACHE_VARIABLE: &str = "WPS_LINT_CACHE_DIR";

/// `--format concise` on `args`: the report.
fn concise(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "concise", "--fail-on", "never"];
    all.extend(args);
    let out = wps_lint(dir, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A project (a `wps-lint.toml` marks it) holding `files`, every file written long ago, so
/// that their stamps vouch for them from the first run on.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("wps-lint.toml"), "");
    for (name, text) in files {
        write(&dir.path().join(name), text);
    }
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    set_modified(path, SystemTime::now() - Duration::from_secs(3600));
}

fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

/// The cache file in a cache folder.
fn cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cache"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// What tells one version of the cache file from the next: each write renames a new file
/// over it.
#[cfg(unix)]
fn identity(file: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(file).unwrap().ino()
}

#[test]
fn a_second_run_answers_from_the_cache_and_an_edit_is_seen() {
    let dir = project(&[("a.json", &template("one")), ("b.json", &template("two"))]);
    let first = concise(dir.path(), &["."]);
    assert!(first.contains("a.json:6:80: error[WPS003] the parameter `one`"));
    assert!(first.contains("b.json:6:80: error[WPS003] the parameter `two`"));
    let cache = dir.path().join(".wps-lint-cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    let file = cache_file(&cache);
    #[cfg(unix)]
    let written = identity(&file);
    assert_eq!(concise(dir.path(), &["."]), first);
    // Every pass came from the cache: nothing new was written.
    #[cfg(unix)]
    assert_eq!(identity(&file), written);
    // Named alone, with the rest as context, a file has another place in the run's list; named
    // by its absolute path, another display path. Its kept pass is moved to both.
    let alone = concise(dir.path(), &["b.json"]);
    assert!(alone.starts_with("b.json:6:80: error[WPS003] the parameter `two`"));
    assert!(!alone.contains("a.json"));
    let absolute = dir.path().join("b.json");
    let named = concise(dir.path(), &[absolute.to_str().unwrap()]);
    assert_eq!(named, alone.replace("b.json", absolute.to_str().unwrap()));
    #[cfg(unix)]
    assert_eq!(identity(&file), written);

    // A new text of another size.
    std::fs::write(dir.path().join("a.json"), template("three")).unwrap();
    let edited = concise(dir.path(), &["."]);
    assert!(edited.contains("the parameter `three`"), "{edited}");
    assert!(!edited.contains("the parameter `one`"));
    assert!(edited.contains("the parameter `two`"));
    #[cfg(unix)]
    assert_ne!(identity(&file), written);

    // A new text of the same size, its modification time set back: the stamp alone would
    // take it for the old one; the hash of its text tells.
    let path = dir.path().join("b.json");
    std::fs::write(&path, template("six")).unwrap();
    assert!(concise(dir.path(), &["."]).contains("the parameter `six`"));
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, template("ten")).unwrap();
    set_modified(&path, modified);
    let same_stamp = concise(dir.path(), &["."]);
    assert!(same_stamp.contains("the parameter `ten`"), "{same_stamp}");
    assert!(!same_stamp.contains("the parameter `six`"));
}

/// A template with a shared private link to the vault a parameter names.
const LINK: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "kv": { "type": "string" } },
  "resources": [
    { "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources", "apiVersion": "2024-03-01",
      "name": "wps/link", "properties": { "groupId": "vault", "requestMessage": "please",
      "privateLinkResourceId": "[resourceId('Microsoft.KeyVault/vaults', parameters('kv'))]" } }
  ]
}
"#;

#[test]
fn parameter_files_bicep_modules_and_rules_are_part_of_the_key() {
    let parameters = |vault: &str| {
        format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\", \"parameters\": {{\"kv\": {{\"value\": \"{vault}\"}}}}}}\n"
        )
    };
    let main = "module vault 'modules/vault.bicep' = {\n  name: 'vault'\n  params: {\n    vaultName: 'kv-contoso-mod'\n  }\n}\n\nresource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {\n  name: 'wps-contoso'\n}\n\nresource link 'Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01' = {\n  parent: wps\n  name: 'kv-link'\n  properties: {\n    groupId: 'vault'\n    privateLinkResourceId: vault.outputs.id\n    requestMessage: 'please approve'\n  }\n}\n";
    let module = |name: &str| {
        format!(
            "param vaultName string\n\nresource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {{\n  name: {name}\n  properties: {{\n    tenantId: subscription().tenantId\n    sku: {{\n      family: 'A'\n      name: 'standard'\n    }}\n  }}\n}}\n\noutput id string = kv.id\n"
        )
    };
    let dir = project(&[
        ("p.json", LINK),
        ("p.parameters.json", &parameters("kv-one")),
        ("main.bicep", main),
        ("modules/vault.bicep", &module("vaultName")),
        ("v.json", &template("name")),
    ]);
    let first = concise(dir.path(), &["."]);
    cache_file(&dir.path().join(".wps-lint-cache"));
    assert!(first.contains("p.json:7:32: warning[WPS201]"), "{first}");
    assert!(first.contains("vault `kv-one`"), "{first}");
    assert!(first.contains("vault `kv-contoso-mod`"), "{first}");

    write(&dir.path().join("p.parameters.json"), &parameters("kv-two"));
    write(
        &dir.path().join("modules/vault.bicep"),
        &module("'${vaultName}-2'"),
    );
    let second = concise(dir.path(), &["."]);
    assert!(!second.contains("`kv-one`"), "{second}");
    assert!(second.contains("vault `kv-two`"), "{second}");
    assert!(second.contains("vault `kv-contoso-mod-2`"), "{second}");

    // A module that cannot be read, then can again.
    std::fs::rename(
        dir.path().join("modules/vault.bicep"),
        dir.path().join("modules/moved.bicep"),
    )
    .unwrap();
    let missing = concise(dir.path(), &["main.bicep", "--no-context"]);
    assert!(!missing.contains("kv-contoso-mod"), "{missing}");
    std::fs::rename(
        dir.path().join("modules/moved.bicep"),
        dir.path().join("modules/vault.bicep"),
    )
    .unwrap();
    let back = concise(dir.path(), &["main.bicep", "--no-context"]);
    assert!(back.contains("vault `kv-contoso-mod-2`"), "{back}");

    // Users' rules: a rule file's text is part of every pass's key.
    let rule = |message: &str| {
        format!(
            "+++\ncode = \"ORG001\"\nname = \"require-owner-tag\"\nlevel = \"warning\"\nsummary = \"Key Vaults carry an owner tag\"\n\n[[check]]\ntypes = [\"Microsoft.KeyVault/vaults\"]\npath = \"$.tags.owner\"\nwhen = {{ exists = false }}\nmessage = \"{message}\"\n+++\n"
        )
    };
    write(&dir.path().join("org/ORG001.md"), &rule("no owner"));
    write(
        &dir.path().join("wps-lint.toml"),
        "rules-dirs = [\"org\"]\n",
    );
    assert!(concise(dir.path(), &["v.json"]).contains("warning[ORG001] no owner"));
    write(&dir.path().join("org/ORG001.md"), &rule("who owns it?"));
    let renamed = concise(dir.path(), &["v.json"]);
    assert!(
        renamed.contains("warning[ORG001] who owns it?"),
        "{renamed}"
    );
    // A level set in the configuration applies to passes from the cache.
    write(
        &dir.path().join("wps-lint.toml"),
        "rules-dirs = [\"org\"]\n[rules]\nORG001 = \"off\"\n",
    );
    assert!(!concise(dir.path(), &["v.json"]).contains("ORG001"));
}

#[test]
fn a_bicep_pass_through_modules_is_kept_with_where_their_findings_go() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/WPS103/fires-bicep-module-file-called-twice");
    let text = |name: &str| std::fs::read_to_string(case.join(name)).unwrap();
    let dir = project(&[
        ("main.bicep", &text("main.bicep")),
        ("modules/link.bicep", &text("modules/link.bicep")),
    ]);
    let wps103 = |args: &[&str]| -> Vec<String> {
        concise(dir.path(), args)
            .lines()
            .filter(|l| l.contains("[WPS103]"))
            .map(|l| l.split(": ").next().unwrap().to_string())
            .collect()
    };
    // Alone, the module's finding is on its two calls; in the project, in the module file.
    let alone = wps103(&["main.bicep", "--no-context"]);
    assert_eq!(alone, ["main.bicep:11:1", "main.bicep:19:1"]);
    let cache = cache_file(&dir.path().join(".wps-lint-cache"));
    #[cfg(unix)]
    let written = identity(&cache);
    assert_eq!(wps103(&["main.bicep", "--no-context"]), alone);
    #[cfg(unix)]
    assert_eq!(identity(&cache), written, "the pass came from the cache");
    let in_project = wps103(&["main.bicep"]);
    assert_eq!(in_project, ["modules/link.bicep:12:14"]);
    assert_eq!(wps103(&["main.bicep"]), in_project);
    assert_eq!(wps103(&["main.bicep", "--no-context"]), alone);
}

#[test]
fn a_damaged_cut_or_foreign_cache_file_is_ignored_and_written_anew() {
    let dir = project(&[("a.json", &template("one")), ("b.json", &template("two"))]);
    let expected = concise(dir.path(), &["."]);
    let file = cache_file(&dir.path().join(".wps-lint-cache"));
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    let mut foreign = good.clone();
    // The build of wps-lint that wrote it follows the 16 bytes that say what the file is.
    foreign[16] ^= 1;
    let damaged: [(&str, Vec<u8>); 5] = [
        ("cut", good[..good.len() / 2].to_vec()),
        ("a flipped bit", flipped),
        ("another build", foreign),
        ("empty", Vec::new()),
        ("not a cache", b"{\"not\": \"a cache\"}".to_vec()),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(concise(dir.path(), &["."]), expected, "{what}");
        let rewritten = std::fs::read(&file).unwrap();
        assert_ne!(rewritten, bytes, "{what}: written anew");
        // And it is whole again: the next run finds everything in it.
        #[cfg(unix)]
        {
            let written = identity(&file);
            assert_eq!(concise(dir.path(), &["."]), expected, "{what}");
            assert_eq!(identity(&file), written, "{what}");
        }
    }
}

#[test]
fn two_runs_at_once_on_one_cache_both_answer_right() {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| (format!("t{i:02}.json"), template(&format!("p{i}"))))
        .collect();
    let named: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = project(&named);
    let expected = concise(dir.path(), &["--no-cache", "."]);
    assert_eq!(expected.matches("error[WPS003]").count(), 12);
    for round in 0..4 {
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(dir.path().join(".wps-lint-cache"));
        }
        let runs: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_wps-lint"))
                    .current_dir(dir.path())
                    .args(["check", "--format", "concise", "--fail-on", "never", "."])
                    .env_remove(CACHE_VARIABLE)
                    .spawn_and_wait_later()
            })
            .collect();
        for run in runs {
            let out = run.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "round {round}");
            assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
        }
    }
    assert_eq!(concise(dir.path(), &["."]), expected);
}

/// Starts a command with its output piped, to be waited for later.
trait SpawnLater {
    fn spawn_and_wait_later(&mut self) -> std::process::Child;
}

impl SpawnLater for Command {
    fn spawn_and_wait_later(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[test]
fn no_cache_cache_dir_and_the_variable_say_where_it_goes() {
    let dir = project(&[("a.json", &template("one"))]);
    let expected = concise(dir.path(), &["--no-cache", "."]);
    assert!(!dir.path().join(".wps-lint-cache").exists());
    assert_eq!(
        concise(dir.path(), &["--cache-dir", "elsewhere", "."]),
        expected
    );
    cache_file(&dir.path().join("elsewhere"));
    assert!(!dir.path().join(".wps-lint-cache").exists());
    let out = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--fail-on", "never", "."])
        .env(CACHE_VARIABLE, dir.path().join("from-variable"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    cache_file(&dir.path().join("from-variable"));
    assert!(!dir.path().join(".wps-lint-cache").exists());
    assert_eq!(
        wps_lint(dir.path(), &["--no-cache", "--cache-dir", "x", "."])
            .status
            .code(),
        Some(2)
    );

    // Outside any project there is no cache unless one is named.
    let loose = tempfile::tempdir().unwrap();
    write(&loose.path().join("a.json"), &template("one"));
    assert_eq!(concise(loose.path(), &["."]), expected);
    assert_eq!(std::fs::read_dir(loose.path()).unwrap().count(), 1);
}

#[test]
fn a_cache_folder_that_cannot_be_written_costs_a_warning_not_the_run() {
    let dir = project(&[("a.json", &template("one")), ("blocker", "a file")]);
    let expected = concise(dir.path(), &["--no-cache", "."]);
    // A folder inside a file cannot be made, whoever runs the test.
    let out = wps_lint(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--cache-dir",
            "blocker/cache",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("warning: cannot write the cache in blocker/cache: "),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with("this run was not cached"),
        "{stderr}"
    );
}

#[test]
fn fix_and_standard_input_see_the_texts_they_lint() {
    let link = format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "resources": [
    {{ "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources", "apiVersion": "2024-03-01",
      "name": "wps/link", "properties": {{ "groupId": "vaults", "requestMessage": "please",
      "privateLinkResourceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv-contoso')]" }} }}
  ]
}}
"#
    );
    let dir = project(&[("link.json", &link), ("clean.json", &template("name"))]);
    let before = concise(dir.path(), &["--select", "WPS103", "."]);
    cache_file(&dir.path().join(".wps-lint-cache"));
    assert!(before.contains("link.json:5:54: error[WPS103]"), "{before}");
    let fixed = wps_lint(dir.path(), &["check", "--fix", "--select", "WPS103", "."]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(dir.path().join("link.json"))
            .unwrap()
            .contains("\"groupId\": \"vault\"")
    );
    assert!(!concise(dir.path(), &["--select", "WPS103", "."]).contains("WPS103"));

    // Standard input named after a file stands for it, never its cached pass.
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--fail-on", "never"])
        .args(["--stdin-filename", "clean.json"])
        .env_remove(CACHE_VARIABLE)
        .stdin(std::process::Stdio::piped())
        .spawn_and_wait_later();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(template("from-stdin").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("clean.json:6:80: error[WPS003] the parameter `from-stdin`"),
        "{report}"
    );
}
