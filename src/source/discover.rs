//! Walking the command line's paths into candidate files.

use std::path::{Path, PathBuf};

use globset::GlobSet;

/// How a file came to be looked at: named explicitly files are always reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Explicit,
    Discovered,
    /// Another file of a named file's project: its facts count, its findings are not reported.
    Context,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub display: String,
    pub path: PathBuf,
    pub origin: Origin,
}

/// Expands paths into candidate files; a path that does not exist is an error of the run.
pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Result<Vec<Candidate>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_dir() {
            out.push(Candidate {
                display: display_path(path),
                path: path.clone(),
                origin: Origin::Explicit,
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(true)
            .git_ignore(true)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker.flatten() {
            let p = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) || !is_json(p) {
                continue;
            }
            let relative = p.strip_prefix(path).unwrap_or(p);
            if exclude.is_match(relative) || exclude.is_match(p) {
                continue;
            }
            out.push(Candidate {
                display: display_path(p),
                path: p.to_path_buf(),
                origin: Origin::Discovered,
            });
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"))
}

/// The path as given, with `/` separators and no leading `./`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
