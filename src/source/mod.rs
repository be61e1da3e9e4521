//! Layer 6, `source`: which files to lint and what they are. Directories are walked honouring
//! `.gitignore` and the configured excludes; a discovered `.json`/`.jsonc` file is linted when
//! its top-level `$schema` names a deployment template; a file named explicitly is always
//! looked at. Parameter files are paired with their template by name or `--parameters`.
//! Files written back go through `write`.

mod context;
mod discover;
mod encoding;
mod load;
mod pairing;
mod sniff;
mod stamp;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::Notice;
use crate::json::Node;

pub use context::{absolute, context, lexical, marked_project};
pub use discover::{
    Candidate, Language, Origin, Skipped, discover, discover_counting, display_path,
};
pub use load::{LoadOptions, Look, LookCache, Texts, digest, kind_of_file, load, text_digest};
pub use pairing::{ParameterFiles, is_parameter_name};
pub use stamp::{STEADY, Stamp, now};
pub use write::{Disk, Replace, WriteError, replace, replace_text, replace_unsynced};

pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    Template,
    Parameters,
    Other,
}

/// One file of a run: its display path (as given or as found, with `/`), where it is, and what
/// a cheap look at its `$schema` says it is. Its text is read again, parsed and let go by the
/// pass that analyses it, so a run never holds every file at once.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// Where it is on disk (`None` for standard input).
    pub disk_path: Option<PathBuf>,
    pub kind: FileKind,
    /// Only context for the files named (see `context`): not reported on.
    pub context: bool,
    /// The text of a file that is not read from disk (standard input, an editor's buffer).
    text: Option<Arc<str>>,
    /// A file on disk's stamp when it was looked at (by a run that keeps looks): what tells,
    /// without another look at the disk, that a pass of its text is still good.
    stamp: Option<Stamp>,
}

impl SourceFile {
    /// A file whose text is at hand, kept with it.
    pub fn new(path: String, disk_path: Option<PathBuf>, text: String) -> SourceFile {
        SourceFile {
            kind: kind(&path, &text),
            path,
            disk_path,
            context: false,
            text: Some(text.into()),
            stamp: None,
        }
    }

    /// A file on disk whose text was only looked at.
    pub fn looked_at(path: String, disk_path: PathBuf, text: &str) -> SourceFile {
        SourceFile {
            kind: kind(&path, text),
            path,
            context: false,
            disk_path: Some(disk_path),
            text: None,
            stamp: None,
        }
    }

    /// Whether its text is at hand (standard input, `--parameters`) rather than read by the
    /// pass.
    pub fn text_at_hand(&self) -> bool {
        self.text.is_some()
    }

    /// The file's text: the one at hand, else what `texts` gives for its path.
    pub fn text(&self, texts: &dyn Texts) -> Result<Arc<str>, String> {
        match (&self.text, &self.disk_path) {
            (Some(text), _) => Ok(text.clone()),
            (None, Some(path)) => texts.read(path).map(Arc::from),
            (None, None) => Err("the file's text is gone".into()),
        }
    }

    /// What tells this file's text from another without reading it: the text at hand or in
    /// `texts`, else the stamp the look took, else the file's stamp now.
    pub fn fingerprint(&self, texts: &dyn Texts) -> Option<u64> {
        match (&self.text, &self.disk_path) {
            (Some(text), _) => Some(text_digest(text)),
            (None, Some(path)) => texts
                .fingerprint(path)
                .or_else(|| self.stamp.or_else(|| Stamp::of(path)).map(|s| digest(&s))),
            (None, None) => None,
        }
    }

    /// The stamp the file had when looked at, if a run that keeps looks took one.
    pub fn looked_stamp(&self) -> Option<Stamp> {
        self.stamp
    }

    /// Whether the file on disk is no longer the one looked at (a text at hand never is).
    pub fn changed_on_disk(&self) -> bool {
        match (self.stamp, &self.disk_path) {
            (Some(stamp), Some(path)) => Stamp::of(path) != Some(stamp),
            _ => false,
        }
    }

    /// Whether `text`, standing for this file now, leaves it the kind it was looked at as.
    pub fn keeps_kind(&self, text: &str) -> bool {
        kind(&self.path, text) == self.kind
    }
}

/// What a file is: by its extension for Bicep, by the cheap look at its `$schema` for JSON.
fn kind(path: &str, text: &str) -> FileKind {
    match Language::of(std::path::Path::new(path)) {
        Some(Language::Bicep) => FileKind::Template,
        Some(Language::BicepParameters) => FileKind::Parameters,
        _ => sniff::kind(text),
    }
}

/// What a parsed file's own `$schema` says it is: the test the cheap look makes.
pub fn kind_of(root: &Node) -> FileKind {
    root.get("$schema")
        .and_then(Node::as_str)
        .map_or(FileKind::Other, sniff::kind_of_schema)
}

/// Reads a file as text (UTF-8, or UTF-16 with a byte order mark), or says in one line why it
/// cannot be linted.
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    encoding::decode(bytes)
}

/// Everything one run looks at.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<SourceFile>,
    /// The templates to lint, each with its parameter file (a template with several parameter
    /// files appears once per file).
    pub units: Vec<(FileId, Option<FileId>)>,
    pub notices: Vec<Notice>,
    /// What discovery passed over.
    pub skipped: Skipped,
    /// The files read from disk by their absolute, lexically normal path; made on first use,
    /// once the files are loaded.
    pub places: OnceLock<HashMap<PathBuf, FileId>>,
}

impl Inputs {
    /// The file read from `path` (however it is written), if the run holds it.
    pub fn file_at(&self, path: &Path) -> Option<FileId> {
        let places = self.places.get_or_init(|| {
            let mut places = HashMap::new();
            for (id, file) in self.files.iter().enumerate() {
                if let Some(disk) = &file.disk_path {
                    places.entry(lexical(&absolute(disk))).or_insert(id);
                }
            }
            places
        });
        places.get(&lexical(&absolute(path))).copied()
    }

    pub fn templates(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).filter(|&f| self.files[f].kind == FileKind::Template)
    }

    /// The units grouped by template, each with its parameter files in order: what one pass
    /// analyses together.
    pub fn tasks(&self) -> Vec<(FileId, Vec<FileId>)> {
        let mut tasks: Vec<(FileId, Vec<FileId>)> = Vec::new();
        for &(template, parameters) in &self.units {
            match tasks.last_mut() {
                Some((t, list)) if *t == template => list.extend(parameters),
                _ => tasks.push((template, parameters.into_iter().collect())),
            }
        }
        tasks
    }
}
