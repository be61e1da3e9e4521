//! The workspace index: which files under the workspace folders belong to the analysis set.
//! For now that is the set of templates (and parameter files) found by walking the folders,
//! honouring `.gitignore` and the folder's `exclude`; it is where a per-file index of
//! summaries will live.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::config::{Config, FILE_NAME};

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
    pub fn scan(folders: &[PathBuf]) -> Index {
        let mut files = BTreeSet::new();
        for folder in folders {
            let exclude = folder_exclude(folder);
            let walker = ignore::WalkBuilder::new(folder)
                .hidden(true)
                .git_ignore(true)
                .require_git(false)
                .build();
            for entry in walker.flatten() {
                let path = entry.path();
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let relative = path.strip_prefix(folder).unwrap_or(path);
                if !exclude.is_match(relative) && is_deployment_file(path) {
                    files.insert(path.to_path_buf());
                }
            }
        }
        Index { files }
    }
}

/// Whether a file created or changed on disk belongs in the index of these folders.
pub fn wanted(folders: &[PathBuf], path: &Path) -> bool {
    folders
        .iter()
        .find(|f| path.starts_with(f))
        .is_some_and(|folder| {
            let relative = path.strip_prefix(folder).unwrap_or(path);
            !folder_exclude(folder).is_match(relative) && is_deployment_file(path)
        })
}

fn folder_exclude(folder: &Path) -> GlobSet {
    // A broken config is reported by the analysis itself; here it only means no excludes.
    Config::load(&folder.join(FILE_NAME))
        .map(|c| c.exclude)
        .unwrap_or_default()
}

/// A JSON file that names a deployment template or parameters schema. Classifying by the text
/// (not a parse) keeps the scan cheap; the analysis decides for real.
pub fn is_deployment_file(path: &Path) -> bool {
    let json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"));
    json && std::fs::read(path).is_ok_and(|bytes| mentions_deployment_schema(&bytes))
}

pub fn mentions_deployment_schema(bytes: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 2] = [b"deploymenttemplate.json", b"deploymentparameters.json"];
    NEEDLES.iter().any(|needle| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    })
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
