//! Walking the command line's paths into candidate files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use globset::GlobSet;
use ignore::WalkState;

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

/// What walking folders passed over, so that a run that lints nothing can say why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    pub hidden: usize,
    pub excluded: usize,
    /// Files that are not `.json`, `.jsonc`, `.bicep` or `.bicepparam`.
    pub not_json: usize,
    /// JSON files whose `$schema` names no deployment template or parameter file.
    pub no_schema: usize,
}

impl Skipped {
    pub fn add(&mut self, other: &Skipped) {
        self.hidden += other.hidden;
        self.excluded += other.excluded;
        self.not_json += other.not_json;
        self.no_schema += other.no_schema;
    }
}

/// Expands paths into candidate files; a path that does not exist is an error of the run.
pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Result<Vec<Candidate>, String> {
    discover_counting(paths, exclude, &mut Skipped::default())
}

/// `discover`, counting what it passes over.
pub fn discover_counting(
    paths: &[PathBuf],
    exclude: &GlobSet,
    skipped: &mut Skipped,
) -> Result<Vec<Candidate>, String> {
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
        // Hidden files and folders are passed over as the walker's own filter would, but counted.
        let hidden = Arc::new(AtomicUsize::new(0));
        let counted = hidden.clone();
        // Walked on as many threads as the run has: a large tree's folders are many syscalls.
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .git_ignore(true)
            .require_git(false)
            .threads(rayon::current_num_threads())
            .filter_entry(move |e| {
                let is_hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                if is_hidden && e.file_name() != ".git" {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
                !is_hidden
            })
            .build_parallel();
        let found = Mutex::new((Vec::new(), Skipped::default()));
        walker.run(|| {
            Box::new(|entry| {
                let Ok(entry) = entry else {
                    return WalkState::Continue;
                };
                let p = entry.path();
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                let (candidates, skipped) = &mut *found;
                let relative = p.strip_prefix(path).unwrap_or(p);
                if Language::of(p).is_none() {
                    skipped.not_json += 1;
                } else if exclude.is_match(relative) || exclude.is_match(p) {
                    skipped.excluded += 1;
                } else {
                    candidates.push(Candidate {
                        display: display_path(p),
                        path: p.to_path_buf(),
                        origin: Origin::Discovered,
                    });
                }
                WalkState::Continue
            })
        });
        let (candidates, walked) = found.into_inner().unwrap_or_else(|e| e.into_inner());
        out.extend(candidates);
        skipped.add(&walked);
        skipped.hidden += hidden.load(Ordering::Relaxed);
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// The language a file is written in, by its extension: what reads it, and for Bicep what it
/// is (JSON files say what they are in their `$schema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Json,
    /// `.bicep`: a template.
    Bicep,
    /// `.bicepparam`: a parameter file.
    BicepParameters,
}

impl Language {
    /// `None` for a file no front end reads.
    pub fn of(path: &Path) -> Option<Language> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" | "jsonc" => Some(Language::Json),
            "bicep" => Some(Language::Bicep),
            "bicepparam" => Some(Language::BicepParameters),
            _ => None,
        }
    }

    pub fn is_bicep(self) -> bool {
        self != Language::Json
    }
}

/// The path as given, with `/` separators and no leading `./`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
