//! A rule's finding as a check makes it: the rule's code, the file and byte span of its anchor,
//! related places, help and a fix, before configuration, resolution and rendering.

use super::links::SharedLink;
use super::summary::Unless;
use super::template_facts::Anchor;
use crate::diagnostic::{Level, Span};
use crate::expr::Text;
use crate::source::FileId;

/// A rule's finding before configuration and rendering: the file and byte span of its anchor.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: String,
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub related: Vec<RelatedSpan>,
    pub help: Option<String>,
    pub fix: Option<FixSpec>,
    /// A level other than the rule's default that this particular finding has.
    pub level: Option<Level>,
    /// Reported only when no file of the analysis set has this.
    pub unless: Option<Unless>,
    /// Gets "the vault is declared here" where any file of the analysis set declares it.
    pub vault: Option<Text>,
    /// The parameter file of the unit that found it, when only that one's values give it.
    pub parameters: Option<FileId>,
    /// The instance of a copy loop it was found on (see `rules::merge_repeated`).
    pub instance: Option<String>,
}

impl Finding {
    pub fn new(code: &str, file: FileId, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            code: code.to_string(),
            file,
            span,
            message: message.into(),
            related: Vec::new(),
            help: None,
            fix: None,
            level: None,
            unless: None,
            vault: None,
            parameters: None,
            instance: None,
        }
    }

    /// Found on this link, which may be one instance of a copy loop.
    pub fn on(mut self, link: &SharedLink) -> Finding {
        self.instance = link.instance.clone();
        self
    }

    /// A finding at an anchor, with the anchor's related locations.
    pub fn at(code: &str, anchor: Anchor, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(code, anchor.file, anchor.span, message);
        finding.related = anchor.related;
        finding.parameters = anchor.parameters;
        finding
    }

    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(RelatedSpan {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(mut self, description: impl Into<String>, edits: Vec<(Span, String)>) -> Finding {
        self.fix = Some(FixSpec {
            description: description.into(),
            edits,
            dependency: None,
        });
        self
    }

    /// Says what the fix's JSON edits do when they add `entry` to the `dependsOn` of the
    /// resource whose node spans `resource`, so that a front end whose text is not JSON can
    /// write the edit in its own language.
    pub fn adds_dependency(mut self, resource: Span, entry: impl Into<String>) -> Finding {
        if let Some(fix) = &mut self.fix {
            fix.dependency = Some(Dependency {
                resource,
                entry: entry.into(),
            });
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn unless(mut self, unless: Unless) -> Finding {
        self.unless = Some(unless);
        self
    }

    /// Adds "the vault is declared here" where the analysis set declares it.
    pub fn with_vault(mut self, vault: &Text) -> Finding {
        self.vault = Some(vault.clone());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelatedSpan {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FixSpec {
    pub description: String,
    pub edits: Vec<(Span, String)>,
    /// What the edits do, when they add a `dependsOn` entry.
    pub dependency: Option<Dependency>,
}

/// A `dependsOn` entry a fix adds: `entry` (a symbolic name, or a resource ID expression) to the
/// resource whose node spans `resource`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub resource: Span,
    pub entry: String,
}
