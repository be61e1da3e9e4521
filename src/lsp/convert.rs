//! The analysis's plain diagnostics as LSP diagnostics: UTF-16 positions computed from byte
//! spans with the text that was analysed, the rule page, related places, tags.

use std::path::Path;

use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    NumberOrString, Uri,
};

use crate::diagnostic::{Diagnostic, Level, Span, TOOL_NAME};
use crate::json::LineIndex;
use crate::rules::UNUSED_SUPPRESSION;

/// A text with its line index, for converting byte offsets.
pub struct IndexedText<'t> {
    pub text: &'t str,
    pub lines: LineIndex,
}

impl<'t> IndexedText<'t> {
    pub fn new(text: &'t str) -> IndexedText<'t> {
        IndexedText {
            text,
            lines: LineIndex::new(text),
        }
    }

    pub fn position(&self, offset: u32) -> lsp::Position {
        let (line, character) = self.lines.utf16_position(self.text, offset);
        lsp::Position { line, character }
    }

    pub fn range(&self, span: Span) -> lsp::Range {
        lsp::Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    pub fn offset(&self, position: lsp::Position) -> usize {
        self.lines
            .offset_of_utf16(self.text, position.line, position.character)
    }
}

/// The rule's documentation page; only built-in rules have one.
pub fn rule_page(code: &str) -> Option<Uri> {
    super::analysis::is_builtin_rule(code)
        .then(|| crate::report::builtin_rule_url(code).parse().ok())
        .flatten()
}

pub fn uri_of(file: &str) -> Option<Uri> {
    Uri::from_file_path(Path::new(file))
}

/// `text_of` gives the analysed text of another file a related place points into.
pub fn diagnostic<'a>(
    d: &Diagnostic,
    text: &IndexedText,
    text_of: impl Fn(&str) -> Option<&'a str>,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let range = if r.location.file == d.location.file {
                text.range(r.location.span)
            } else {
                match text_of(&r.location.file) {
                    Some(other) => IndexedText::new(other).range(r.location.span),
                    None => from_columns(r.location.range),
                }
            };
            Some(DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: uri_of(&r.location.file)?,
                    range,
                },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: text.range(d.location.span),
        severity: Some(severity(d.level)),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description: rule_page(&d.code).map(|href| CodeDescription { href }),
        source: Some(TOOL_NAME.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code == UNUSED_SUPPRESSION.code).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info | Level::Off => DiagnosticSeverity::INFORMATION,
    }
}

/// Only for a file whose text is not at hand: exact for ASCII lines.
fn from_columns(range: crate::diagnostic::Range) -> lsp::Range {
    let at = |p: crate::diagnostic::Position| lsp::Position {
        line: p.line.saturating_sub(1),
        character: p.column.saturating_sub(1),
    };
    lsp::Range {
        start: at(range.start),
        end: at(range.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_after_non_ascii_text() {
        let source = "{\"a\": \"für 🔑\", \"b\": 1}";
        let text = IndexedText::new(source);
        let b = source.find("\"b\"").unwrap() as u32;
        // `ü` is one UTF-16 unit, `🔑` two: 15 scalar values but 16 units before "b".
        assert_eq!(text.position(b).character, 16);
        assert_eq!(text.offset(text.position(b)), b as usize);
        assert!(rule_page("WPS103").is_some());
        assert!(rule_page("ORG001").is_none());
    }
}
