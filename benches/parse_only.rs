//! The floor a lint run is measured against: find the same files as `wps-lint check` (the
//! templates and their parameter files), read each, parse it into the spanned tree and let it
//! go, on all cores: JSON with the JSON parser, `.bicep` and `.bicepparam` with the Bicep
//! parser (not lowered). Nothing is modelled, evaluated or checked. `scripts/bench-corpus.sh`
//! runs it beside the linter.
//!
//! With `--with-modules`, each Bicep file's local modules are read and parsed with it, the
//! modules they call too, once per call: the Bicep that a lint evaluates, since it lowers each
//! module into every file that calls it, with that caller's parameters. Bytes then count
//! every module text as often as it is parsed.
//!
//! Usage: `cargo bench --bench parse_only -- DIR [--jobs N] [--with-modules]`

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use wps_lint::bicep::{MAX_MODULE_DEPTH, StatementKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    let mut with_modules = false;
    while let Some(arg) = args.next() {
        if arg == "--with-modules" {
            with_modules = true;
        } else if arg == "--jobs" {
            let jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build_global();
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    let candidates = match wps_lint::source::discover(&paths, &globset::GlobSet::empty()) {
        Ok(candidates) => candidates,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let inputs = match wps_lint::source::load(candidates, &Default::default()) {
        Ok(inputs) => inputs,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let (files, bytes) = inputs
        .files
        .par_iter()
        .filter_map(|f| {
            let path = f.disk_path.as_deref()?;
            Some((path, wps_lint::source::read_text(path).ok()?))
        })
        .map(|(path, text)| match wps_lint::source::Language::of(path) {
            Some(language) if language.is_bicep() => {
                let depth = if with_modules { MAX_MODULE_DEPTH } else { 0 };
                let (parsed, bytes) = parse_bicep(path, &text, depth);
                (usize::from(parsed), bytes)
            }
            _ => (
                usize::from(wps_lint::json::parse(&text).root.is_ok()),
                text.len(),
            ),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{files} files parsed, {bytes} bytes");
}

/// Whether the Bicep `text` at `path` parsed without an error, and the bytes parsed: its own,
/// and those of the local modules it calls down to `depth` levels, as the lowering reads them (a
/// registry module is no file, so it is not read).
fn parse_bicep(path: &Path, text: &str, depth: usize) -> (bool, usize) {
    let parsed = wps_lint::bicep::parse(text);
    let mut bytes = text.len();
    if depth > 0 {
        let folder = path.parent().unwrap_or(Path::new(""));
        for statement in &parsed.program.statements {
            let StatementKind::Module { path: module, .. } = &statement.kind else {
                continue;
            };
            let module = folder.join(module.plain().unwrap_or_default());
            if let Ok(text) = wps_lint::source::read_text(&module) {
                bytes += parse_bicep(&module, &text, depth - 1).1;
            }
        }
    }
    (parsed.errors.is_empty(), bytes)
}
