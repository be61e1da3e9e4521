//! Stage 1: which files to lint and what they are. Directories are walked honouring
//! `.gitignore` and the configured excludes; a discovered `.json`/`.jsonc` file is linted when
//! its top-level `$schema` names a deployment template; a file named explicitly is always
//! looked at. Parameter files are paired with their template by name or `--parameters`.

mod discover;
mod load;
mod pairing;

use std::path::PathBuf;

use crate::diagnostic::Notice;
use crate::json::{Document, Node, parse};

pub use discover::{Candidate, Origin, discover};
pub use load::{LoadOptions, load};
pub use pairing::ParameterFiles;

pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Template,
    Parameters,
    Other,
}

/// One file's text, parse and kind. `path` is the display path (as given or as found, with `/`).
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    /// Where it is on disk (`None` for standard input).
    pub disk_path: Option<PathBuf>,
    pub doc: Document,
    pub kind: FileKind,
}

impl SourceFile {
    pub fn new(path: String, disk_path: Option<PathBuf>, text: String) -> SourceFile {
        let doc = parse(text);
        let kind = match &doc.root {
            Ok(root) => classify(root),
            // A broken file that mentions the template schema is a broken template (WPS001).
            Err(_) if contains_ignore_case(&doc.text, "deploymenttemplate.json") => {
                FileKind::Template
            }
            Err(_) => FileKind::Other,
        };
        SourceFile {
            path,
            disk_path,
            doc,
            kind,
        }
    }

    pub fn root(&self) -> Option<&Node> {
        self.doc.root.as_ref().ok()
    }
}

fn classify(root: &Node) -> FileKind {
    let Some(schema) = root.get("$schema").and_then(Node::as_str) else {
        return FileKind::Other;
    };
    if contains_ignore_case(schema, "deploymenttemplate.json") {
        FileKind::Template
    } else if contains_ignore_case(schema, "deploymentparameters.json") {
        FileKind::Parameters
    } else {
        FileKind::Other
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Reads a file as UTF-8 text, or says in one line why it cannot be linted.
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.contains(&0) {
        return Err("not a text file (it contains NUL bytes)".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Everything one run looks at.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<SourceFile>,
    /// The templates to lint, each with its parameter file (a template with several parameter
    /// files appears once per file).
    pub units: Vec<(FileId, Option<FileId>)>,
    pub notices: Vec<Notice>,
}

impl Inputs {
    pub fn templates(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len()).filter(|&f| self.files[f].kind == FileKind::Template)
    }
}
