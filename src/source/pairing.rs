//! Pairing parameter files with templates: `x.parameters.json` and `x.parameters.*.json`
//! beside `x.json`, or the file given with `--parameters`.

use std::path::Path;

use super::{FileId, FileKind, SourceFile};

/// The parameter files that belong to `template`, among `files` (by disk path).
pub fn pair_parameter_files(template: &SourceFile, files: &[SourceFile]) -> Vec<FileId> {
    let Some(path) = &template.disk_path else {
        return Vec::new();
    };
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str())) else {
        return Vec::new();
    };
    let mut paired: Vec<FileId> = (0..files.len())
        .filter(|&i| files[i].kind == FileKind::Parameters)
        .filter(|&i| {
            files[i]
                .disk_path
                .as_deref()
                .is_some_and(|p| p.parent() == Some(dir) && is_parameter_name(p, stem))
        })
        .collect();
    paired.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
    paired
}

/// The convention's candidate names for a template stem, to look for on disk.
pub fn is_parameter_name(path: &Path, stem: &str) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let prefix = format!("{}.parameters", stem.to_ascii_lowercase());
    let Some(rest) = lower.strip_prefix(&prefix) else {
        return false;
    };
    rest == ".json"
        || (rest.starts_with('.') && rest.ends_with(".json") && rest.len() > ".json".len() + 1)
}
