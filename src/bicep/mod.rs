//! The Bicep syntax front end: text in, tree out, every node with its byte span. It imports
//! only the JSON tree and spans: `lower` turns a file into the JSON tree the Bicep compiler
//! would emit, so that everything above reads it as it reads a JSON template.
//!
//! `lexer` splits the text into tokens and trivia (comments, `#disable-...` directives),
//! `parser` builds the tree of `syntax` and recovers from errors, so one broken declaration
//! leaves all others in the tree.

mod edit;
mod lexer;
mod lower;
mod parser;
mod syntax;

pub use edit::add_dependency;
pub use lexer::{Comment, Directive, DirectiveKind};
pub use lower::{
    Lowered, LoweredModules, MAX_MODULE_DEPTH, ModuleText, ReadModule, lower, lower_parameters,
    lower_with,
};
pub use syntax::*;

/// Asked as a file is parsed (every few declarations) and before each resource and module is
/// lowered: `true` when the answer is no longer wanted (the language server has a newer text),
/// so that the work stops instead of finishing a large file.
pub type Stop<'s> = &'s (dyn Fn() -> bool + Sync);

/// A syntax error with the exact span it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// The tree of one file with its errors and trivia, borrowing names and plain strings from it.
#[derive(Clone, Debug)]
pub struct Parsed<'a> {
    pub program: Program<'a>,
    /// Lexer and parser errors, in the order found.
    pub errors: Vec<SyntaxError>,
    /// Every `//` and `/* */` comment, in order.
    pub comments: Vec<Comment<'a>>,
    /// Every `#disable-next-line`, `#disable-diagnostics` and `#restore-diagnostics`, in order.
    pub directives: Vec<Directive<'a>>,
}

/// Parses a `.bicep` or `.bicepparam` file. Never panics; a leading BOM is skipped.
pub fn parse(text: &str) -> Parsed<'_> {
    parse_unless(text, &|| false).unwrap_or_else(|| unreachable!("nothing stops this parse"))
}

/// `parse`, or `None` when `stop` says to stop before it is done.
pub fn parse_unless<'t>(text: &'t str, stop: Stop) -> Option<Parsed<'t>> {
    if u32::try_from(text.len()).is_err() {
        return Some(Parsed {
            program: Program {
                statements: Vec::new(),
            },
            errors: vec![SyntaxError {
                span: Span::new(0, 0),
                message: "the file is too large to parse (4 GiB or more)".into(),
            }],
            comments: Vec::new(),
            directives: Vec::new(),
        });
    }
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let lexed = lexer::lex(text, start);
    let (program, errors) = parser::parse_tokens(text, lexed.tokens, lexed.errors, stop)?;
    Some(Parsed {
        program,
        errors,
        comments: lexed.comments,
        directives: lexed.directives,
    })
}

/// Whether `source` is one plain Bicep string literal: single-quoted, not a `'''` one, no
/// interpolation.
pub fn is_plain_string(source: &str) -> bool {
    source.len() >= 2
        && source.starts_with('\'')
        && source.ends_with('\'')
        && !source.starts_with("'''")
        && !source.contains("${")
}

/// `value` as a Bicep string literal, escaped as Bicep reads it.
pub fn string_literal(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace("${", "\\${")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t");
    format!("'{escaped}'")
}
