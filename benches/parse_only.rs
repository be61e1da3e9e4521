//! The floor a lint run is measured against: find the same files as `wps-lint check` (the
//! templates and their parameter files), read each, parse it into the spanned tree and let it
//! go, on all cores: JSON with the JSON parser, `.bicep` and `.bicepparam` with the Bicep
//! parser (not lowered). Nothing is modelled, evaluated or checked. `scripts/bench-corpus.sh`
//! runs it beside the linter.
//!
//! Usage: `cargo bench --bench parse_only -- DIR [--jobs N]`

use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--jobs" {
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
        .map(|(path, text)| {
            let parsed = match wps_lint::source::Language::of(path) {
                Some(language) if language.is_bicep() => {
                    wps_lint::bicep::parse(&text).errors.is_empty()
                }
                _ => wps_lint::json::parse(&text).root.is_ok(),
            };
            (usize::from(parsed), text.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{files} files parsed, {bytes} bytes");
}
