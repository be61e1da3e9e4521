//! The fixture cases under `tests/fixtures/`, for the tests that walk them: each
//! `<case>.expected` beside what it lints (`<case>.json`, `.jsonc`, `.bicep`, or a folder
//! `<case>/` linted as one run).

// Each test crate that includes this uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Every case's `.expected` file, in path order.
pub fn expected_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() && !path.with_extension("expected").exists() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "expected") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(FIXTURES), &mut out);
    out
}

/// What a case lints: its folder, else its template beside the `.expected` file.
pub fn target(expected: &Path) -> PathBuf {
    let dir = expected.with_extension("");
    if dir.is_dir() {
        return dir;
    }
    ["json", "jsonc", "bicep"]
        .iter()
        .map(|ext| expected.with_extension(ext))
        .find(|file| file.exists())
        .unwrap_or_else(|| panic!("{}: no template or folder beside it", expected.display()))
}
