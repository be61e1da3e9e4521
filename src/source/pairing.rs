//! Pairing parameter files with templates: `x.parameters.json` and `x.parameters.*.json`
//! beside `x.json`, `x.bicepparam` and `x.*.bicepparam` beside `x.bicep` (the pass keeps
//! those whose `using` names the template), or the file given with `--parameters`.

use std::path::Path;

use foldhash::{HashMap, HashMapExt};

use super::{FileId, FileKind, SourceFile};

/// The parameter files among a run's files, by the folder they are in, so that pairing a
/// whole repository stays linear.
pub struct ParameterFiles<'f> {
    files: &'f [SourceFile],
    by_dir: HashMap<&'f Path, Vec<FileId>>,
}

impl<'f> ParameterFiles<'f> {
    pub fn new(files: &'f [SourceFile]) -> ParameterFiles<'f> {
        let mut by_dir: HashMap<&Path, Vec<FileId>> = HashMap::new();
        for (id, file) in files.iter().enumerate() {
            if file.kind == FileKind::Parameters
                && let Some(dir) = file.disk_path.as_deref().and_then(Path::parent)
            {
                by_dir.entry(dir).or_default().push(id);
            }
        }
        ParameterFiles { files, by_dir }
    }

    /// The parameter files that belong to `template` (beside it on disk), sorted by path.
    pub fn of(&self, template: &SourceFile) -> Vec<FileId> {
        let Some(path) = &template.disk_path else {
            return Vec::new();
        };
        let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str()))
        else {
            return Vec::new();
        };
        let mut paired: Vec<FileId> = self
            .by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                let file = &self.files[i];
                file.disk_path
                    .as_deref()
                    .is_some_and(|p| is_parameter_name(p, stem))
            })
            .collect();
        paired.sort_by(|&a, &b| self.files[a].path.cmp(&self.files[b].path));
        paired
    }
}

/// The convention's candidate names for a template stem, to look for on disk.
pub fn is_parameter_name(path: &Path, stem: &str) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix(&stem.to_ascii_lowercase())
        && let Some(middle) = rest.strip_suffix(".bicepparam")
    {
        return middle.is_empty() || (middle.starts_with('.') && middle.len() > 1);
    }
    let prefix = format!("{}.parameters", stem.to_ascii_lowercase());
    let Some(rest) = lower.strip_prefix(&prefix) else {
        return false;
    };
    rest == ".json"
        || (rest.starts_with('.') && rest.ends_with(".json") && rest.len() > ".json".len() + 1)
}
