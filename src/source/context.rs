//! Context: when files are named (as pre-commit and editors do, with the changed files only),
//! the other templates of their project join the analysis set, so that an approval or a vault
//! in an unchanged file still counts. A project is the folder of the nearest `wps-lint.toml`,
//! else the git work tree, else the named file's folder.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use foldhash::HashSet;

use super::discover::{Candidate, Origin, discover, display_path};
use crate::config::{Configs, FILE_NAME};

/// The project folder of a named file, as an absolute path.
pub fn project_root(file: &Path) -> Option<PathBuf> {
    let folder = std::path::absolute(file).ok()?.parent()?.to_path_buf();
    Some(marked_project(&folder).unwrap_or(folder))
}

/// The project `folder` (absolute) is in when something marks one: the nearest folder with a
/// `wps-lint.toml`, else the git work tree. `None` outside both.
pub fn marked_project(folder: &Path) -> Option<PathBuf> {
    let with = |marker: &str| {
        folder
            .ancestors()
            .find(|dir| dir.join(marker).exists())
            .map(Path::to_path_buf)
    };
    with(FILE_NAME).or_else(|| with(".git"))
}

/// The candidates of the named files' projects that are not candidates already, marked as
/// context. Each project is walked with its own configuration's `exclude`.
pub fn context(
    named: &[PathBuf],
    candidates: &[Candidate],
    configs: &mut Configs,
) -> Result<Vec<Candidate>, String> {
    let mut roots: Vec<PathBuf> = named.iter().filter_map(|f| project_root(f)).collect();
    roots.sort();
    roots.dedup();
    let mut seen: HashSet<PathBuf> = candidates.iter().map(|c| absolute(&c.path)).collect();
    let here = std::env::current_dir().unwrap_or_default();
    let mut out = Vec::new();
    for root in roots {
        // Paths under the current folder stay relative, as the named ones usually are.
        let walked = match root.strip_prefix(&here) {
            Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
            Ok(relative) => relative.to_path_buf(),
            Err(_) => root.clone(),
        };
        let config = configs.for_file(Some(&walked.join(FILE_NAME)))?;
        for mut candidate in discover(std::slice::from_ref(&walked), &config.exclude)? {
            if seen.insert(absolute(&candidate.path)) {
                candidate.origin = Origin::Context;
                // `x.json`, not `./x.json`: pairing compares the folders of paths as written.
                candidate.display = display_path(&candidate.path);
                candidate.path = PathBuf::from(&candidate.display);
                out.push(candidate);
            }
        }
    }
    Ok(out)
}

/// `path` made absolute as `std::path::absolute` makes it, with the current folder read once
/// per process rather than once per path (a run names thousands; wps-lint never changes its
/// current folder).
pub fn absolute(path: &Path) -> PathBuf {
    static HERE: OnceLock<Option<PathBuf>> = OnceLock::new();
    let joined = match HERE.get_or_init(|| std::env::current_dir().ok()) {
        Some(here) if path.is_relative() => here.join(path),
        _ => path.to_path_buf(),
    };
    std::path::absolute(&joined).unwrap_or(joined)
}

/// `a/b/../c` as `a/c`, without asking the disk: how ARM resolves a relative path, and how a
/// path is compared with another that names the same file.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
