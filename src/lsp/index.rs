//! The workspace index: which files under the workspace folders belong to the analysis set,
//! the templates and parameter files found by walking the folders (honouring `.gitignore` and
//! the folder's `exclude`). Each template's analysis is kept between edits by the run's pass
//! cache (see `session`), so an edit re-analyses only the file it touches.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use rayon::prelude::*;

use crate::config::{Config, FILE_NAME};
use crate::source::{FileKind, discover, kind_of_file};

#[derive(Debug, Default, Clone)]
pub struct Index {
    pub files: BTreeSet<PathBuf>,
}

/// Files whose change means the whole index must be rebuilt.
pub fn changes_index_rules(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == FILE_NAME || n == ".gitignore")
}

impl Index {
    /// The templates and parameter files under the folders, found as `wps-lint check FOLDER`
    /// finds them: the same walk and the same cheap look at each file's `$schema`.
    pub fn scan(folders: &[PathBuf]) -> Index {
        let candidates: Vec<PathBuf> = folders
            .iter()
            .flat_map(|folder| discover(std::slice::from_ref(folder), &folder_exclude(folder)))
            .flatten()
            .map(|c| c.path)
            .collect();
        Index {
            files: candidates
                .into_par_iter()
                .filter(|p| kind_of_file(p) != FileKind::Other)
                .collect(),
        }
    }
}

/// Whether a changed file belongs in the index of these folders.
pub fn wanted(folders: &[PathBuf], path: &Path) -> bool {
    folders
        .iter()
        .find(|f| path.starts_with(f))
        .is_some_and(|folder| {
            let relative = path.strip_prefix(folder).unwrap_or(path);
            !folder_exclude(folder).is_match(relative) && kind_of_file(path) != FileKind::Other
        })
}

fn folder_exclude(folder: &Path) -> GlobSet {
    Config::load(&folder.join(FILE_NAME))
        .map(|c| c.exclude)
        .unwrap_or_default()
}

/// The templates a parameter file may belong to by the naming convention, that exist
/// (`x.parameters.json`, `x.parameters.prod.json` → `x.json`; `x.bicepparam` → `x.bicep`,
/// `x.prod.bicepparam` → `x.prod.bicep` or `x.bicep`: its `using` decides, in the pass), so
/// that an open parameter file is linted with its template.
pub fn templates_of_parameter_file(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let lower = name.to_ascii_lowercase();
    let candidates: Vec<String> = if let Some(stem) = lower.strip_suffix(".bicepparam") {
        // Every stem the name can have: up to each dot, and the whole.
        stem.match_indices('.')
            .map(|(at, _)| at)
            .chain([stem.len()])
            .map(|at| format!("{}.bicep", &name[..at]))
            .collect()
    } else {
        lower
            .find(".parameters.")
            .map(|at| format!("{}.json", &name[..at]))
            .into_iter()
            .collect()
    };
    candidates
        .into_iter()
        .map(|candidate| path.with_file_name(candidate))
        .filter(|candidate| candidate.is_file())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_honouring_gitignore_and_exclude_with_bicep_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}"#;
        for name in ["a.json", "ignored/b.json", "gen/c.json", "sub/d.jsonc"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, template).unwrap();
        }
        for name in ["sub/e.bicep", "sub/f.bicepparam", "gen/g.bicep"] {
            std::fs::write(root.join(name), "").unwrap();
        }
        std::fs::write(root.join("package.json"), "{}").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        std::fs::write(root.join(FILE_NAME), "exclude = [\"gen/**\"]\n").unwrap();
        let index = Index::scan(&[root.to_path_buf()]);
        let names: Vec<_> = index
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        // Bicep files are what their extension says.
        assert_eq!(
            names,
            ["a.json", "sub/d.jsonc", "sub/e.bicep", "sub/f.bicepparam"]
        );
    }

    #[test]
    fn parameter_files_lead_to_their_template() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["main.json", "main.bicep", "main.prod.bicep"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let templates = |name: &str| templates_of_parameter_file(&dir.path().join(name));
        let at = |name: &str| dir.path().join(name);
        assert_eq!(templates("main.parameters.prod.json"), [at("main.json")]);
        assert_eq!(templates("x.json"), Vec::<PathBuf>::new());
        assert_eq!(templates("main.bicepparam"), [at("main.bicep")]);
        assert_eq!(
            templates("main.prod.bicepparam"),
            [at("main.bicep"), at("main.prod.bicep")]
        );
        assert_eq!(templates("other.bicepparam"), Vec::<PathBuf>::new());
    }
}
