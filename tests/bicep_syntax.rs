//! The Bicep syntax front end (`wps_lint::bicep`): the tree of each construct with its spans,
//! errors with their exact spans and recovery, pathological input, and the corpus of real
//! files (folder named by `WPS_LINT_BICEP_CORPUS`), which must parse without an error.

use std::path::{Path, PathBuf};

use wps_lint::bicep::*;

fn clean(text: &str) -> Program<'_> {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.program
}

fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = &text[..offset as usize];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, col)
}

fn bicep_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            bicep_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "bicep" || ext == "bicepparam")
        {
            out.push(path);
        }
    }
}

/// The corpus folder, or `None` (after saying so) when the test is to be skipped.
fn corpus_dir() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("WPS_LINT_BICEP_CORPUS").filter(|v| !v.is_empty()) else {
        assert!(
            std::env::var_os("WPS_LINT_REQUIRE_CORPUS").is_none_or(|v| v.is_empty() || v == "0"),
            "WPS_LINT_REQUIRE_CORPUS is set, but WPS_LINT_BICEP_CORPUS does not name the Bicep corpus folder"
        );
        println!(
            "skipped: Bicep corpus test (set WPS_LINT_BICEP_CORPUS to the folder of .bicep files)"
        );
        return None;
    };
    Some(PathBuf::from(dir))
}

fn corpus() -> Option<Vec<(PathBuf, String)>> {
    let dir = corpus_dir()?;
    let mut files = Vec::new();
    bicep_files(&dir, &mut files);
    assert!(!files.is_empty(), "no .bicep files under {}", dir.display());
    Some(
        files
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (path, text)
            })
            .collect(),
    )
}

#[test]
fn corpus_parses_without_errors() {
    let Some(files) = corpus() else { return };
    let mut failures = Vec::new();
    for (path, text) in &files {
        for error in parse(text).errors {
            let (line, col) = line_col(text, error.span.start);
            failures.push(format!(
                "{}:{line}:{col}: {}",
                path.display(),
                error.message
            ));
        }
    }
    println!("{} Bicep files parsed", files.len());
    assert!(
        failures.is_empty(),
        "{} errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Times the corpus: `cargo test --release --test bicep_syntax -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_parse_speed() {
    let Some(files) = corpus() else { return };
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let rounds = 5;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for (_, text) in &files {
            std::hint::black_box(parse(text));
        }
    }
    let seconds = started.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "{} files, {bytes} bytes: {:.1} ms per pass, {:.1} MB/s",
        files.len(),
        seconds * 1e3,
        bytes as f64 / seconds / 1e6
    );
}
