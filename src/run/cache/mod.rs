//! Passes kept between runs over the same files, for a process that lints again and again (the
//! language server, on every edit): a template file whose text, parameter files and rules are
//! unchanged keeps its pass, so an edit re-analyses only the file it touches and the join.
//! Between processes, passes are kept on disk (`disk`); a `PassCache` holds its process's
//! handle on that cache too, so the disk is read once.
//!
//! A pass refers to files by their place in the run's file list, so an entry is only valid
//! while the same places hold the same paths: the key says which paths and texts it was made
//! from, and any other list simply misses. A pass that read other files too (a linked
//! template, a Bicep module) is kept with each one's mark when read and its place among the
//! run's files, and stands only while every one still has both: where findings inside a Bicep
//! module go depends on whether the run holds the module file.

mod disk;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use foldhash::HashMap;

use super::pass::{FileReport, Read};
use crate::rules::RuleMeta;
use crate::source::{FileId, Inputs, Stamp, absolute, digest, marked_project};
pub use disk::{DiskCache, Reads, pass_key};

#[derive(Debug, Default)]
pub struct PassCache {
    entries: Mutex<HashMap<FileId, Entry>>,
    disk: Mutex<Option<Arc<DiskCache>>>,
}

/// A pass kept in memory: what it was made from, the other files it read, and the report.
#[derive(Debug)]
struct Entry {
    key: Key,
    others: Vec<OtherRead>,
    report: Arc<FileReport>,
}

/// A file a pass read besides its template and parameter files (a linked template, a Bicep
/// module): its mark then (`mark`), and which of the run's files it was, if any, since that
/// decides where findings inside a Bicep module go (its own file, or the caller's).
#[derive(Debug, Clone, PartialEq)]
pub struct OtherRead {
    path: PathBuf,
    mark: Option<u64>,
    place: Option<FileId>,
}

impl OtherRead {
    pub fn new(inputs: &Inputs, read: Read, path: &Path) -> OtherRead {
        OtherRead {
            path: path.to_path_buf(),
            mark: mark(read, path),
            place: inputs.file_at(path),
        }
    }

    /// Whether the file is still as it was read, at the same place in the run.
    fn holds(&self, inputs: &Inputs, read: Read) -> bool {
        *self == OtherRead::new(inputs, read, &self.path)
    }
}

/// What tells a file's text from another without reading it: an editor's buffer by its text, a
/// file on disk by its stamp (`None`: neither can be had).
pub fn mark(read: Read, path: &Path) -> Option<u64> {
    read.fingerprint(path)
        .or_else(|| Stamp::of(path).map(|stamp| digest(&stamp)))
}

/// Where a run keeps and finds passes: in this process, on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caches<'c> {
    pub memory: Option<&'c PassCache>,
    pub disk: Option<&'c DiskCache>,
}

/// The folder of the on-disk cache in a project.
pub const CACHE_FOLDER: &str = ".wps-lint-cache";
/// The variable that names the on-disk cache's folder, as `--cache-dir` does.
pub const CACHE_DIR_VARIABLE: &str = "WPS_LINT_CACHE_DIR";

/// Where a run keeps passes on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheDir {
    /// `.wps-lint-cache` in the project of the first path named: the folder of the nearest
    /// `wps-lint.toml`, else the git work tree. Outside a project, nowhere.
    Project,
    /// This folder.
    At(PathBuf),
}

impl CacheDir {
    /// `WPS_LINT_CACHE_DIR` when it is set, else the project's.
    pub fn from_env() -> CacheDir {
        match std::env::var_os(CACHE_DIR_VARIABLE) {
            Some(dir) if !dir.is_empty() => CacheDir::At(PathBuf::from(dir)),
            _ => CacheDir::Project,
        }
    }

    /// The folder for a run whose first named path is `first` (the current folder when it
    /// names none); `None` when there is none.
    pub fn folder(&self, first: Option<&Path>) -> Option<PathBuf> {
        match self {
            CacheDir::At(dir) => Some(dir.clone()),
            CacheDir::Project => {
                let first = absolute(first.unwrap_or(Path::new(".")));
                let folder = if first.is_dir() {
                    first.as_path()
                } else {
                    first.parent()?
                };
                Some(marked_project(folder)?.join(CACHE_FOLDER))
            }
        }
    }
}

/// What a pass was made from: each file's place, path and text (its fingerprint), and the
/// rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    files: Vec<(FileId, String, u64)>,
    rules: u64,
}

impl Key {
    /// `fingerprints` of the template and its parameter files, in order; `rules` is
    /// `rules_digest` of the run's rules.
    pub fn new(inputs: &Inputs, fingerprints: &[(FileId, u64)], rules: u64) -> Key {
        Key {
            files: fingerprints
                .iter()
                .map(|&(id, fingerprint)| (id, inputs.files[id].path.clone(), fingerprint))
                .collect(),
            rules,
        }
    }
}

/// Users' rule files can change between runs; their text decides. Once per run: it is large.
pub fn rules_digest(rules: &[RuleMeta]) -> u64 {
    digest(&format!("{rules:?}"))
}

impl PassCache {
    /// The kept pass of `template` made from `key`, while every other file it read is as it was
    /// (`read` tells).
    pub fn get(
        &self,
        inputs: &Inputs,
        template: FileId,
        key: &Key,
        read: Read,
    ) -> Option<Arc<FileReport>> {
        let kept = {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            let entry = entries.get(&template).filter(|e| e.key == *key)?;
            (entry.others.clone(), entry.report.clone())
        };
        let (others, report) = kept;
        others
            .iter()
            .all(|other| other.holds(inputs, read))
            .then_some(report)
    }

    pub fn put(&self, template: FileId, key: Key, others: Vec<OtherRead>, report: Arc<FileReport>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(
            template,
            Entry {
                key,
                others,
                report,
            },
        );
    }

    /// The on-disk cache in `dir`, read once for this cache's life (again when `dir` changes).
    pub fn disk(&self, dir: PathBuf) -> Arc<DiskCache> {
        let mut disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        match &*disk {
            Some(open) if open.dir() == dir => open.clone(),
            _ => disk.insert(Arc::new(DiskCache::open(dir))).clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_rules;
    use crate::run::Cancel;
    use crate::run::RuleSettings;
    use crate::run::analyse;
    use crate::source::{LoadOptions, SourceFile};

    fn inputs(second: &str) -> Inputs {
        let template = |name: &str| {
            format!(
                "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",
  \"resources\": [{{\"type\": \"Microsoft.KeyVault/vaults\", \"name\": \"[parameters('{name}')]\"}}]}}"
            )
        };
        Inputs {
            files: vec![
                SourceFile::new("a.json".into(), None, template("a")),
                SourceFile::new("b.json".into(), None, template(second)),
            ],
            units: vec![(0, None), (1, None)],
            notices: Vec::new(),
            skipped: Default::default(),
            places: Default::default(),
        }
    }

    #[test]
    fn a_bicep_pass_that_read_modules_is_kept_while_its_modules_keep_their_place() {
        let case = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/WPS103/fires-bicep-module-file-called-twice");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("modules")).unwrap();
        for name in ["main.bicep", "modules/link.bicep"] {
            std::fs::copy(case.join(name), dir.path().join(name)).unwrap();
        }
        let cache = Arc::new(PassCache::default());
        let run = |names: &[&str]| {
            let options = crate::run::RunOptions {
                paths: names.iter().map(|n| dir.path().join(n)).collect(),
                no_context: true,
                cache: Some(cache.clone()),
                ..crate::run::RunOptions::default()
            };
            let outcome = crate::run::lint(&options).unwrap();
            let kept = cache.entries.lock().unwrap()[&0].report.clone();
            let files: Vec<String> = outcome
                .diagnostics
                .iter()
                .filter(|d| d.code == "WPS103")
                .map(|d| d.location.file.rsplit('/').next().unwrap().to_string())
                .collect();
            (kept, files)
        };
        let (first, alone) = run(&["main.bicep"]);
        assert_eq!(
            alone, ["main.bicep"; 2],
            "at each call: the module is not in the run"
        );
        let (again, _) = run(&["main.bicep"]);
        assert!(Arc::ptr_eq(&first, &again), "kept while nothing changed");
        // With the module file in the run its findings go there: the kept pass does not stand.
        let (with_module, both) = run(&["main.bicep", "modules/link.bicep"]);
        assert_eq!(both, ["link.bicep"]);
        assert!(!Arc::ptr_eq(&first, &with_module));
        // An edit of the module is an edit of the pass.
        let module = dir.path().join("modules/link.bicep");
        let text = std::fs::read_to_string(&module).unwrap();
        std::fs::write(&module, text.replace("'vaults'", "'vault'")).unwrap();
        let (edited, fixed) = run(&["main.bicep", "modules/link.bicep"]);
        assert!(fixed.is_empty(), "{fixed:?}");
        assert!(!Arc::ptr_eq(&with_module, &edited));
    }

    #[test]
    fn an_edit_reanalyses_only_the_file_it_touches() {
        let settings = RuleSettings {
            rules: builtin_rules(),
            select: Vec::new(),
            ignore: Vec::new(),
            configs: Vec::new(),
        };
        let cache = PassCache::default();
        let kept = |file: FileId| cache.entries.lock().unwrap()[&file].report.clone();
        let messages = |inputs: &Inputs| -> Vec<String> {
            analyse(
                inputs,
                &settings,
                &LoadOptions::default(),
                Caches {
                    memory: Some(&cache),
                    disk: None,
                },
                &Cancel::default(),
            )
            .unwrap()
            .diagnostics
            .into_iter()
            .map(|d| format!("{} {}", d.location.file, d.message))
            .collect()
        };
        let first = inputs("b");
        assert_eq!(messages(&first).len(), 2);
        let (a, b) = (kept(0), kept(1));
        let edited = inputs("c");
        assert_eq!(
            messages(&edited),
            [
                "a.json the parameter `a` is not declared in this template",
                "b.json the parameter `c` is not declared in this template",
            ]
        );
        assert!(
            Arc::ptr_eq(&a, &kept(0)),
            "the untouched file keeps its pass"
        );
        assert!(
            !Arc::ptr_eq(&b, &kept(1)),
            "the edited file is analysed again"
        );
        // Another file in the same place is another file.
        let mut moved = inputs("c");
        moved.files[0].path = "z.json".into();
        messages(&moved);
        assert!(!Arc::ptr_eq(&a, &kept(0)));
    }
}
