//! Machine-applicable fixes do what they say: applying every fix to an end-to-end template
//! with one mistake gives a template that lints clean, and still parses; `--fix` on every
//! fixture case with a fix removes those findings and leaves every file parsing; a file
//! changed since `--fix` read it is left alone.

use std::path::{Path, PathBuf};

use wps_lint::diagnostic::Diagnostic;
use wps_lint::fix::{Fixed, Mode, fix, fix_on};
use wps_lint::run::{RunOptions, lint};
use wps_lint::source::{Disk, Replace, WriteError};

mod fixture_cases;
use fixture_cases::{expected_files, target};

/// A fixture case alone: the repository's other fixtures are not its context.
fn lint_file(path: &Path) -> Vec<Diagnostic> {
    lint(&RunOptions {
        paths: vec![path.to_path_buf()],
        no_context: true,
        ..RunOptions::default()
    })
    .unwrap()
    .diagnostics
}

/// Applies every fix's edits, last first so earlier offsets stay valid.
fn apply(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut edits: Vec<_> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut text = text.to_string();
    for edit in edits {
        text.replace_range(edit.span.range(), &edit.new_text);
    }
    text
}

#[test]
fn fixes_repair_the_end_to_end_mistakes() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e");
    let cases = [
        ("break-group-id-vaults", "WPS103"),
        ("break-approval-no-depends-on", "WPS203"),
        ("break-status-pending", "WPS202"),
        ("break-privatelink-host", "WPS301"),
        ("break-resource-id-leading-underscore", "WPS101"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (case, code) in cases {
        let original = e2e.join(format!("{case}.json"));
        let before = lint_file(&original);
        assert_eq!(
            before.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            [code],
            "{case}"
        );
        assert!(before[0].fix.is_some(), "{case}: {code} has no fix");
        let fixed = dir.path().join(format!("{case}.json"));
        std::fs::write(
            &fixed,
            apply(&std::fs::read_to_string(&original).unwrap(), &before),
        )
        .unwrap();
        let after = lint_file(&fixed);
        assert!(after.is_empty(), "{case} after the fix: {after:#?}");
    }
}

#[test]
fn missing_dependency_fix_creates_or_extends_depends_on() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/WPS203");
    let dir = tempfile::tempdir().unwrap();
    for case in [
        "fires-classic",
        "fires-symbolic",
        "fires-depends-on-other",
        "fires-nested-child",
        "fires-deployment-script",
        "fires-nested-deployment-inner",
        "fires-nested-deployment-outer",
    ] {
        let original = fixtures.join(format!("{case}.json"));
        let before = lint_file(&original);
        let fixable: Vec<_> = before
            .iter()
            .filter(|d| d.code == "WPS203" && d.fix.is_some())
            .cloned()
            .collect();
        assert_eq!(fixable.len(), 1, "{case}: {before:#?}");
        let fixed = dir.path().join(format!("{case}.json"));
        std::fs::write(
            &fixed,
            apply(&std::fs::read_to_string(&original).unwrap(), &fixable),
        )
        .unwrap();
        let after = lint_file(&fixed);
        assert!(
            after
                .iter()
                .all(|d| d.code != "WPS203" && d.code != "WPS001"),
            "{case} after the fix: {after:#?}"
        );
    }
}

/// Copies a case (its template and parameter files, or its folder) and the folder's
/// wps-lint.toml into `to`; returns the copy of the path to lint.
fn copy_case(case: &Path, to: &Path) -> PathBuf {
    let dir = case.parent().unwrap();
    let stem = case.file_stem().unwrap().to_string_lossy().to_string();
    let copy = |from: &Path| {
        let target = to.join(from.strip_prefix(dir).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from, target).unwrap();
    };
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let same_case = name == format!("{stem}.json")
            || name == format!("{stem}.jsonc")
            || name == format!("{stem}.bicep")
            || name.starts_with(&format!("{stem}.parameters"));
        if path.is_file() && (same_case || name == "wps-lint.toml") {
            copy(&path);
        }
    }
    if case.is_dir() {
        let mut files = Vec::new();
        files_under(case, &mut files);
        files.iter().for_each(|f| copy(f));
    }
    to.join(case.file_name().unwrap())
}

/// Every file in a folder and the folders below it.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn fix_removes_every_fixable_finding_of_the_fixtures() {
    let mut fixed_cases = 0;
    for case in expected_files().iter().map(|e| target(e)) {
        let before = lint_file(&case);
        // A file with a syntax error is never fixed (a Bicep file has other findings too).
        if before.iter().any(|d| d.code == "WPS001") {
            continue;
        }
        let fixable: Vec<(String, String, String)> = before
            .into_iter()
            .filter(|d| d.fix.is_some())
            .map(|d| {
                let file = Path::new(&d.location.file);
                let name = file.strip_prefix(case.parent().unwrap()).unwrap_or(file);
                (
                    name.to_string_lossy().replace('\\', "/"),
                    d.code,
                    d.location.pointer,
                )
            })
            .collect();
        if fixable.is_empty() {
            continue;
        }
        fixed_cases += 1;
        let dir = tempfile::tempdir().unwrap();
        let target = copy_case(&case, dir.path());
        let fixed = fix(
            RunOptions {
                paths: vec![target.clone()],
                ..RunOptions::default()
            },
            Mode::Write,
        )
        .unwrap();
        // Every fix lies in its diagnostic's file, so none is refused.
        assert!(fixed.refused.is_empty(), "{case:?}: {:?}", fixed.refused);
        assert!(!fixed.changes.is_empty(), "{case:?}: nothing changed");
        for d in &fixed.outcome.diagnostics {
            let file = Path::new(&d.location.file);
            let name = file.strip_prefix(dir.path()).unwrap_or(file);
            let place = (
                name.to_string_lossy().replace('\\', "/"),
                d.code.clone(),
                d.location.pointer.clone(),
            );
            assert!(
                !fixable.contains(&place),
                "{case:?}: {place:?} is still there after --fix"
            );
        }
        let mut files = Vec::new();
        files_under(dir.path(), &mut files);
        files.retain(|f| {
            f.extension()
                .is_some_and(|e| e == "json" || e == "jsonc" || e == "bicep")
        });
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let parses = if file.extension().is_some_and(|e| e == "bicep") {
                wps_lint::bicep::parse(&text).errors.is_empty()
            } else {
                wps_lint::json::parse(&text).root.is_ok()
            };
            assert!(parses, "{case:?}: {file:?} no longer parses");
        }
    }
    // The catalog has fixes for six rules, each with several fixture cases.
    assert!(
        fixed_cases >= 10,
        "only {fixed_cases} fixture cases have a fix"
    );
}

/// Writes through the disk, after another program saved its own edit to the file: the
/// moment between `--fix`'s read and its write, made certain.
struct SecondWriter;

impl Replace for SecondWriter {
    fn replace(&self, path: &Path, read: Option<&[u8]>, new: &[u8]) -> Result<(), WriteError> {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replace("\"vaults\"", "\"vaults\" /* theirs */")).unwrap();
        Disk.replace(path, read, new)
    }
}

#[test]
fn fix_leaves_a_file_that_changed_since_it_was_read() {
    let original =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/e2e/break-group-id-vaults.json");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.json");
    std::fs::copy(&original, &file).unwrap();
    let options = RunOptions {
        paths: vec![file.clone()],
        no_context: true,
        ..RunOptions::default()
    };
    let fixed = fix_on(options, Mode::Write, &SecondWriter).unwrap();
    assert_eq!(fixed.changes, []);
    assert_eq!(
        fixed.refused,
        [format!(
            "{}: not fixed: it changed since it was read; left as it is",
            file.display()
        )]
    );
    // The other program's edit is there; the fix is not.
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert!(on_disk.contains("\"vaults\" /* theirs */"), "{on_disk}");
}

/// `--fix` on a copy of a fixture case in `dir`, with the line ends of its file `file` (the case
/// itself when empty, else a file of its folder) made `line_end`: that file's text before and
/// after, and what was refused.
fn fix_copy(case: &str, file: &str, line_end: &str, dir: &Path) -> (String, String, Fixed) {
    let original = Path::new(fixture_cases::FIXTURES).join(case);
    let case_copy = copy_case(&original, dir);
    let copy = match file {
        "" => case_copy.clone(),
        file => case_copy.join(file),
    };
    let before = std::fs::read_to_string(&copy)
        .unwrap()
        .replace('\n', line_end);
    std::fs::write(&copy, &before).unwrap();
    let fixed = fix(
        RunOptions {
            paths: vec![case_copy],
            ..RunOptions::default()
        },
        Mode::Write,
    )
    .unwrap();
    (before, std::fs::read_to_string(&copy).unwrap(), fixed)
}

/// In a Bicep file (and a `.bicepparam` file) each machine-applicable fix is a Bicep edit: of the
/// value its finding is on, or for WPS203 the link's symbol added to the approval's `dependsOn`
/// (a new property when it has none). The rest of the file (comments, blank lines, line ends) is
/// kept byte for byte.
#[test]
fn fixes_in_bicep_edit_bicep_text_and_keep_the_formatting() {
    let cases = [
        (
            "WPS103/fires-bicep.bicep",
            "",
            "WPS103",
            "groupId: 'vaults'",
            "groupId: 'vault'",
        ),
        (
            "WPS103/fires-bicep-parameter-file",
            "main.bicepparam",
            "WPS103",
            "param groupId = 'vaults'",
            "param groupId = 'vault'",
        ),
        (
            "WPS103/fires-bicep-data-factory-vaults.bicep",
            "",
            "WPS103",
            "groupId: 'vaults'",
            "groupId: 'vault'",
        ),
        (
            "WPS101/fires-bicep-leading-underscore.bicep",
            "",
            "WPS101",
            "privateLinkResourceId: '_/subscriptions/",
            "privateLinkResourceId: '/subscriptions/",
        ),
        (
            "WPS202/fires-bicep-pending.bicep",
            "",
            "WPS202",
            "status: 'Pending'",
            "status: 'Approved'",
        ),
        (
            "WPS203/fires-bicep-no-reference.bicep",
            "",
            "WPS203",
            "      description: 'Approved for Web PubSub'\n    }\n  }\n}\n",
            "      description: 'Approved for Web PubSub'\n    }\n  }\n  dependsOn: [\n    wps::link\n  ]\n}\n",
        ),
        (
            "WPS203/fires-bicep-depends-on-service.bicep",
            "",
            "WPS203",
            "  dependsOn: [\n    wps\n  ]",
            "  dependsOn: [\n    wps\n    wps::link\n  ]",
        ),
        (
            "WPS301/fires-bicep-privatelink-host.bicep",
            "",
            "WPS301",
            "'https://kv-contoso-prod.privatelink.vaultcore.azure.net/'",
            "'https://kv-contoso-prod.vault.azure.net/'",
        ),
    ];
    for line_end in ["\n", "\r\n"] {
        for (case, file, code, wrong, right) in cases {
            let (wrong, right) = (wrong.replace('\n', line_end), right.replace('\n', line_end));
            let dir = tempfile::tempdir().unwrap();
            let (before, after, fixed) = fix_copy(case, file, line_end, dir.path());
            assert_eq!(before.matches(&wrong).count(), 1, "{case}");
            assert_eq!(after, before.replacen(&wrong, &right, 1), "{case}");
            assert!(fixed.refused.is_empty(), "{case}: {:?}", fixed.refused);
            assert!(
                fixed.outcome.diagnostics.iter().all(|d| d.code != code),
                "{case}: {code} is still there after --fix"
            );
        }
    }
}

/// A fix that Bicep cannot say is dropped, never written into a Bicep file as JSON: a group ID
/// that a loop reads from a list of objects rather than from the string the finding is on.
#[test]
fn fixes_that_bicep_cannot_say_are_dropped() {
    let case = "WPS103/fires-bicep-ml-outbound-rule.bicep";
    let found = lint_file(&Path::new(fixture_cases::FIXTURES).join(case));
    let finding = found.iter().find(|d| d.code == "WPS103").unwrap();
    assert!(finding.fix.is_none(), "{:?}", finding.fix);
    let dir = tempfile::tempdir().unwrap();
    let (before, after, fixed) = fix_copy(case, "", "\n", dir.path());
    assert_eq!(fixed.changes, []);
    assert_eq!(after, before);
}
