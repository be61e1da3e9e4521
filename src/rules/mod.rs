//! Stage 5: the rules. Metadata and documentation come from `rules/`; each native check is a
//! function in its own file under a family folder, registered here by code. Checks never parse
//! JSON or strings themselves: they read the template model and report findings with spans.

mod engine;
mod meta;
mod registry;

use crate::analysis::{AnalysisSet, Anchor, Unit};
use crate::diagnostic::{Level, Span};
use crate::source::FileId;

pub use meta::RuleMeta;
pub use registry::{builtin_rules, find};

/// A rule's finding before configuration and rendering: the file and byte span of its anchor.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub related: Vec<RelatedSpan>,
    pub help: Option<String>,
    pub fix: Option<FixSpec>,
    /// A level other than the rule's default that this particular finding has.
    pub level: Option<Level>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            file,
            span,
            message: message.into(),
            related: Vec::new(),
            help: None,
            fix: None,
            level: None,
        }
    }

    /// A finding at an anchor, with the anchor's related locations.
    pub fn at(code: &'static str, anchor: Anchor, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(code, anchor.file, anchor.span, message);
        finding.related = anchor.related;
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
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
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
}

/// A check of one template (with its parameter file).
type UnitCheck = fn(&Unit) -> Vec<Finding>;
/// A check across the whole analysis set (every file of the run).
type SetCheck = fn(&AnalysisSet) -> Vec<Finding>;

/// The native per-template checks, by code.
pub const UNIT_CHECKS: &[(&str, UnitCheck)] = &[
    ("WPS002", engine::invalid_expression::check),
    ("WPS003", engine::undefined_reference::check),
];

/// The native cross-resource checks, by code.
pub const SET_CHECKS: &[(&str, SetCheck)] = &[];

pub use engine::invalid_json::check as check_invalid_json;

/// Codes that have a check (the rest of the catalog is documented but not yet checked).
pub fn implemented_codes() -> Vec<&'static str> {
    // The analysis itself reports invalid JSON and unused suppressions.
    ["WPS001", "WPS005"]
        .into_iter()
        .chain(UNIT_CHECKS.iter().map(|(code, _)| *code))
        .chain(SET_CHECKS.iter().map(|(code, _)| *code))
        .collect()
}
