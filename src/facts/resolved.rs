//! Findings and places resolved: what is left of a finding once its file's text and tree are
//! let go (display path, pointer, line and column), as summaries and cross-file checks hold them.

use super::summary::Unless;
use crate::diagnostic::{Fix, Level, Location, Related};
use crate::expr::Text;
use crate::source::FileId;

/// A resolved place, with the file it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub file: FileId,
    pub location: Location,
}

/// A related place, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedRelated {
    pub file: FileId,
    pub related: Related,
}

/// A rule's finding with every place resolved: what is left of it once its file is let go.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub code: String,
    pub level: Option<Level>,
    pub message: String,
    pub at: Located,
    pub related: Vec<LocatedRelated>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Reported only when the whole analysis set does not have this (see `Unless`).
    pub unless: Option<Unless>,
    /// Gets "the vault is declared here" where the analysis set declares this vault.
    pub vault: Option<Text>,
    /// The parameter file whose values alone give this finding.
    pub parameters: Option<FileId>,
}

/// A resolved anchor: a place and the related places that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedAnchor {
    pub at: Located,
    pub related: Vec<LocatedRelated>,
    pub parameters: Option<FileId>,
}

impl Located {
    /// This place as a related place of a finding, saying what it is.
    pub fn related(&self, message: impl Into<String>) -> LocatedRelated {
        LocatedRelated {
            file: self.file,
            related: Related {
                location: self.location.clone(),
                message: message.into(),
            },
        }
    }
}

impl Resolved {
    /// A finding made after resolution (a cross-file check's, an unused suppression's).
    pub fn new(code: &str, at: Located, message: impl Into<String>) -> Resolved {
        Resolved {
            code: code.to_string(),
            level: None,
            message: message.into(),
            at,
            related: Vec::new(),
            help: None,
            fix: None,
            unless: None,
            vault: None,
            parameters: None,
        }
    }

    /// A cross-file check's finding at a resolved anchor, with the anchor's related places.
    pub fn at(code: &str, anchor: &LocatedAnchor, message: impl Into<String>) -> Resolved {
        Resolved {
            related: anchor.related.clone(),
            parameters: anchor.parameters,
            ..Resolved::new(code, anchor.at.clone(), message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Resolved {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, related: LocatedRelated) -> Resolved {
        self.related.push(related);
        self
    }
}
