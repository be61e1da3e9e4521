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

/// The template a parameter file belongs to (`x.parameters.json`, `x.parameters.prod.json` →
/// `x.json`), so that an open parameter file is linted with it.
pub fn template_of_parameter_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let at = lower.find(".parameters.")?;
    let candidate = path.with_file_name(format!("{}.json", &name[..at]));
    candidate.is_file().then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_honouring_gitignore_and_exclude() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}"#;
        for name in ["a.json", "ignored/b.json", "gen/c.json", "sub/d.jsonc"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, template).unwrap();
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
        assert_eq!(names, ["a.json", "sub/d.jsonc"]);
    }

    #[test]
    fn parameter_files_lead_to_their_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.json"), "{}").unwrap();
        let params = dir.path().join("main.parameters.prod.json");
        assert_eq!(
            template_of_parameter_file(&params),
            Some(dir.path().join("main.json"))
        );
        assert_eq!(template_of_parameter_file(&dir.path().join("x.json")), None);
    }
}
