//! Which template files are deployed together (see `facts::Deployments`): each template with
//! its parameter files, joined with the templates it links by `templateLink.relativePath`, as
//! far as they are in the run.

use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt};

use super::pass::FileReport;
use crate::facts::Deployments;
use crate::source::{FileId, Inputs, absolute, lexical};

pub fn deployments(inputs: &Inputs, reports: &[std::sync::Arc<FileReport>]) -> Deployments {
    let mut parent: Vec<FileId> = (0..inputs.files.len()).collect();
    // A parameter file belongs to its template's deployment; one given with `--parameters` to
    // several templates does not make them one deployment.
    let mut templates_of: HashMap<FileId, Vec<FileId>> = HashMap::new();
    for &(template, parameters) in &inputs.units {
        if let Some(p) = parameters {
            templates_of.entry(p).or_default().push(template);
        }
    }
    for (p, templates) in templates_of {
        if let [template] = templates[..] {
            union(&mut parent, template, p);
        }
    }
    // Most runs link nothing: the paths of every file are only worth making then.
    if reports.iter().all(|r| r.summary.linked.is_empty()) {
        return Deployments::new(groups(&mut parent));
    }
    let on_disk: HashMap<PathBuf, FileId> = reports
        .iter()
        .filter_map(|r| {
            Some((
                absolute(inputs.files[r.template].disk_path.as_deref()?),
                r.template,
            ))
        })
        .collect();
    for report in reports {
        let Some(folder) = inputs.files[report.template]
            .disk_path
            .as_deref()
            .map(absolute)
            .and_then(|p| p.parent().map(Path::to_path_buf))
        else {
            continue;
        };
        for linked in &report.summary.linked {
            if let Some(&other) = on_disk.get(&lexical(&folder.join(linked))) {
                union(&mut parent, report.template, other);
            }
        }
    }
    Deployments::new(groups(&mut parent))
}

/// The files of each deployment.
fn groups(parent: &mut [FileId]) -> Vec<Vec<FileId>> {
    let mut groups: HashMap<FileId, Vec<FileId>> = HashMap::new();
    for file in 0..parent.len() {
        let root = find(parent, file);
        groups.entry(root).or_default().push(file);
    }
    groups.into_values().collect()
}

fn find(parent: &mut [FileId], mut f: FileId) -> FileId {
    while parent[f] != f {
        parent[f] = parent[parent[f]];
        f = parent[f];
    }
    f
}

fn union(parent: &mut [FileId], a: FileId, b: FileId) {
    let (a, b) = (find(parent, a), find(parent, b));
    parent[a.max(b)] = a.min(b);
}
