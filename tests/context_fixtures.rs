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
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&folder, &mut files);
        files.sort();
        return files;
    }
    let stem = folder.file_name().unwrap().to_string_lossy().to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(expected.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            ["json", "jsonc", "bicep", "bicepparam"]
                .iter()
                .any(|ext| name == format!("{stem}.{ext}"))
                || name.starts_with(&format!("{stem}.parameters"))
                || (name.starts_with(&format!("{stem}.")) && name.ends_with(".bicepparam"))
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
        // Copied with their folders below the case, as a repository holds them.
        let base = case.with_extension("");
        let base = if base.is_dir() {
            base
        } else {
            case.parent().unwrap().to_path_buf()
        };
        let named: Vec<PathBuf> = case_files(case)
            .iter()
            .map(|file| {
                let copy = folder.join(file.strip_prefix(&base).unwrap());
                std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
                std::fs::copy(file, &copy).unwrap();
                copy
            })
            .collect();
        assert!(!named.is_empty(), "{}: no files to name", case.display());
        if findings(&named, false, &kept) != findings(&named, true, &kept) {
            differ.push(case.strip_prefix(FIXTURES).unwrap().display().to_string());
        }
        std::fs::remove_dir_all(&folder).unwrap();
    }
    assert!(differ.is_empty(), "different with context: {differ:#?}");
}
