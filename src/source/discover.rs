//! Walking the command line's paths into candidate files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use foldhash::{HashMap, HashMapExt};
use globset::GlobSet;
use ignore::WalkState;

use crate::diagnostic::Notice;

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
    /// The inode number a walk read from the file's folder (not for a named file or a link).
    pub inode: Option<u64>,
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
    /// Folders the walk could not read, and why: nothing in them was linted.
    pub unreadable: Vec<Notice>,
}

impl Skipped {
    pub fn add(&mut self, other: &Skipped) {
        self.hidden += other.hidden;
        self.excluded += other.excluded;
        self.not_json += other.not_json;
        self.no_schema += other.no_schema;
        self.unreadable.extend(other.unreadable.iter().cloned());
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
                inode: None,
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
                let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                let (candidates, skipped) = &mut *found;
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(error) => {
                        skipped.unreadable.push(unreadable(path, &error));
                        return WalkState::Continue;
                    }
                };
                let p = entry.path();
                // A link to a file is walked as the file (a link to a folder is not followed,
                // which could loop); the same file found twice is one candidate (below).
                let link = entry.path_is_symlink();
                let is_file = entry.file_type().is_some_and(|t| t.is_file()) || link && p.is_file();
                if !is_file {
                    return WalkState::Continue;
                }
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
                        inode: entry.ino().filter(|_| !link),
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
    Ok(once_each(out))
}

/// One candidate per file, however it was reached (named and walked, `./t.json` and
/// `t.json`, an absolute path, a symbolic link): the first in display order, reported on if
/// any of its names was given explicitly.
fn once_each(candidates: Vec<Candidate>) -> Vec<Candidate> {
    // A file's identity costs a stat per file. When every candidate was walked, not a link, the
    // inode numbers the walks read from the folders tell them apart for free: only those whose
    // number another has too may be one file. Numbers from folders are compared with numbers
    // from folders only (on some file systems, overlayfs, they may differ from a stat's).
    let all_walked = candidates.iter().all(|c| c.inode.is_some());
    let mut numbers: HashMap<u64, usize> = HashMap::new();
    for number in candidates.iter().filter_map(|c| c.inode) {
        *numbers.entry(number).or_default() += 1;
    }
    let mut seen: HashMap<FileIdentity, usize> = HashMap::new();
    let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if all_walked && candidate.inode.is_some_and(|n| numbers[&n] == 1) {
            out.push(candidate);
            continue;
        }
        let identity = FileIdentity::of(&candidate.path);
        match seen.get(&identity) {
            Some(&kept) => {
                if candidate.origin == Origin::Explicit {
                    out[kept].origin = Origin::Explicit;
                }
            }
            None => {
                seen.insert(identity, out.len());
                out.push(candidate);
            }
        }
    }
    out
}

/// What tells one file from another whatever path names it.
#[derive(PartialEq, Eq, Hash)]
enum FileIdentity {
    /// Device and inode: one `stat`, where a canonical path costs one per path component (a
    /// language server names every file of its workspace on each edit).
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl FileIdentity {
    fn of(path: &Path) -> FileIdentity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(meta) = std::fs::metadata(path) {
                return FileIdentity::Inode(meta.dev(), meta.ino());
            }
        }
        FileIdentity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// A walk error as a notice on the folder (or file) it is about.
fn unreadable(root: &Path, error: &ignore::Error) -> Notice {
    let mut error = error;
    let mut place = root;
    loop {
        match error {
            ignore::Error::WithPath { path, err } => {
                place = path;
                error = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                error = err;
            }
            _ => break,
        }
    }
    Notice {
        file: display_path(place),
        message: format!("cannot be read ({error}); nothing in it was linted"),
    }
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
