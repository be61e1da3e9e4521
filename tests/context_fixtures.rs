//! Every fixture named, as pre-commit names files, from inside a git repository that also
//! holds the shared corpus (when `WPS_LINT_CORPUS` names it) gets the findings it gets with
//! `--no-context`: the corpus approves none of the fixtures' resources by name, so nothing in it
//! may answer or add a finding (see `docs/context.md`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wps_lint::run::{PassCache, RunOptions, lint};
use wps_lint::source::{LoadOptions, LookCache};

mod fixture_cases;
use fixture_cases::{FIXTURES, expected_files};

/// Hard links where the file system allows, else copies: the corpus is large.
fn link_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            link_tree(&entry.path(), &target);
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The files of a case: its folder's files, or its template with the parameter files beside it.
fn case_files(expected: &Path) -> Vec<PathBuf> {
    let folder = expected.with_extension("");
    if folder.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        return files;
    }
    let stem = folder.file_name().unwrap().to_string_lossy().to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(expected.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == format!("{stem}.json")
                || name == format!("{stem}.jsonc")
                || name.starts_with(&format!("{stem}.parameters"))
        })
        .collect();
    files.sort();
    files
}

/// What every case's runs share, as the language server's runs do: the corpus's passes and
/// what each of its files is are the same for every case.
#[derive(Default)]
struct Kept {
    passes: Arc<PassCache>,
    looks: Arc<LookCache>,
}

fn findings(named: &[PathBuf], no_context: bool, kept: &Kept) -> Vec<String> {
    let outcome = lint(&RunOptions {
        paths: named.to_vec(),
        no_context,
        load: LoadOptions {
            looks: Some(kept.looks.clone()),
            ..LoadOptions::default()
        },
        cache: Some(kept.passes.clone()),
        ..RunOptions::default()
    })
    .unwrap();
    outcome
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect()
}

#[test]
fn every_fixture_named_in_a_repository_answers_as_it_does_alone() {
    let repository = tempfile::tempdir().unwrap();
    std::fs::create_dir(repository.path().join(".git")).unwrap();
    match std::env::var_os("WPS_LINT_CORPUS").filter(|c| !c.is_empty()) {
        Some(corpus) => link_tree(Path::new(&corpus), &repository.path().join("corpus")),
        None => eprintln!("corpus not set (WPS_LINT_CORPUS): the fixtures are compared alone"),
    }
    let expected = expected_files();
    let mut differ = Vec::new();
    let kept = Kept::default();
    for case in &expected {
        let folder = repository.path().join("case");
        std::fs::create_dir(&folder).unwrap();
        let named: Vec<PathBuf> = case_files(case)
            .iter()
            .map(|file| {
                let copy = folder.join(file.file_name().unwrap());
                std::fs::copy(file, &copy).unwrap();
                copy
            })
            .collect();
        if findings(&named, false, &kept) != findings(&named, true, &kept) {
            differ.push(case.strip_prefix(FIXTURES).unwrap().display().to_string());
        }
        std::fs::remove_dir_all(&folder).unwrap();
    }
    assert!(differ.is_empty(), "different with context: {differ:#?}");
}
