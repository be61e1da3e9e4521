//! Findings and places resolved: what is left of a finding once its file's text and tree are
//! let go (display path, pointer, line and column), as summaries and cross-file checks hold them.

use serde::{Deserialize, Serialize};

use super::summary::Unless;
use crate::diagnostic::{Fix, Level, Location, Related, stored};
use crate::expr::Text;
use crate::source::FileId;

/// A resolved place, with the file it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Located {
    pub file: FileId,
    #[serde(with = "stored::location")]
    pub location: Location,
}

/// A related place, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocatedRelated {
    pub file: FileId,
    #[serde(with = "stored::related")]
    pub related: Related,
}

/// A rule's finding with every place resolved: what is left of it once its file is let go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    pub code: String,
    pub level: Option<Level>,
    pub message: String,
    pub at: Located,
    pub related: Vec<LocatedRelated>,
    pub help: Option<String>,
    #[serde(with = "stored::fix")]
    pub fix: Option<Fix>,
    /// Reported only when the whole analysis set does not have this (see `Unless`).
    pub unless: Option<Unless>,
    /// Gets "the vault is declared here" where the analysis set declares this vault.
    pub vault: Option<Text>,
    /// The parameter file whose values alone give this finding.
    pub parameters: Option<FileId>,
}

/// A resolved anchor: a place and the related places that explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Where the files a pass names are in this run, for a pass read back from the on-disk cache:
/// each by its place in the run that stored the pass, with its place and display path now.
pub struct FilePlaces<'a> {
    moves: Vec<(FileId, FileId, &'a str)>,
}

impl<'a> FilePlaces<'a> {
    /// `moves`: (place when stored, place now, display path now).
    pub fn new(moves: Vec<(FileId, FileId, &'a str)>) -> FilePlaces<'a> {
        FilePlaces { moves }
    }

    /// Moves a stored place to this run's; `None` for a file the pass did not read.
    pub fn renumber(&self, file: &mut FileId) -> Option<&'a str> {
        let &(_, now, path) = self.moves.iter().find(|(stored, _, _)| stored == file)?;
        *file = now;
        Some(path)
    }
}

/// What holds places of files: read back from the on-disk cache, its files have other places
/// in the run's file list, and other display paths, than when it was stored.
pub trait Renumber {
    /// `None` when it names a file its pass did not read: such a stored pass is not trusted.
    fn renumber(&mut self, places: &FilePlaces) -> Option<()>;
}

impl<T: Renumber> Renumber for Vec<T> {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.iter_mut().try_for_each(|item| item.renumber(places))
    }
}

impl<T: Renumber> Renumber for Option<T> {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.as_mut().map_or(Some(()), |item| item.renumber(places))
    }
}

impl Renumber for FileId {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        places.renumber(self).map(|_| ())
    }
}

impl Renumber for Located {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.location.file = places.renumber(&mut self.file)?.to_string();
        Some(())
    }
}

impl Renumber for LocatedRelated {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.related.location.file = places.renumber(&mut self.file)?.to_string();
        Some(())
    }
}

impl Renumber for LocatedAnchor {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.at.renumber(places)?;
        self.related.renumber(places)?;
        self.parameters.renumber(places)
    }
}

impl Renumber for Resolved {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        self.at.renumber(places)?;
        self.related.renumber(places)?;
        self.parameters.renumber(places)
    }
}
