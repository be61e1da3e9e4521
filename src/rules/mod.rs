//! Stage 5: the rules. Metadata and documentation come from `rules/`; each native check is a
//! function in its own file under a family folder, registered here by code. Checks never parse
//! JSON or strings themselves: they read the template model and report findings with spans.

mod engine;
mod meta;
mod registry;

use crate::diagnostic::{Level, Span};
use crate::source::FileId;
use crate::template::Template;

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

/// What a per-template check sees: one template (with its parameter file) of one file.
pub struct TemplateInput<'t, 'a> {
    pub file: FileId,
    pub template: &'t Template<'a>,
}

type TemplateCheck = fn(&TemplateInput) -> Vec<Finding>;

/// The native per-template checks, by code.
pub const TEMPLATE_CHECKS: &[(&str, TemplateCheck)] = &[
    ("WPS002", engine::invalid_expression::check),
    ("WPS003", engine::undefined_reference::check),
];

pub use engine::invalid_json::check as check_invalid_json;

/// Codes that have a check (the rest of the catalog is documented but not yet checked).
pub fn implemented_codes() -> Vec<&'static str> {
    std::iter::once("WPS001")
        .chain(TEMPLATE_CHECKS.iter().map(|(code, _)| *code))
        .collect()
}
