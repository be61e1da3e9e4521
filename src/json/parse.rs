//! Parsing with the dialect Azure accepts: comments, trailing commas, raw newlines inside
//! strings, a UTF-8 byte order mark and CRLF; and nothing looser (no single quotes, unquoted
//! keys, missing commas, hexadecimal or non-finite numbers).

use jsonc_parser::ast::{Comment as AstComment, ObjectPropName, Value as AstValue};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};

use std::borrow::Cow;
use std::sync::OnceLock;

use super::lines::LineIndex;
use super::tree::{Kind, Member, Node};
use crate::diagnostic::{Range, Span};

/// One file's text and what parsing made of it. The tree borrows the text: strings that need
/// no unescaping are not copied.
#[derive(Debug)]
pub struct Document<'t> {
    pub text: &'t str,
    pub root: Result<Node<'t>, SyntaxError>,
    /// Comments in document order, for inline suppressions.
    pub comments: Vec<Comment>,
    /// Errors a front end recovered from while still building `root` (Bicep's parser goes on
    /// after one); JSON has none, as its first error leaves no tree.
    pub recovered: Vec<SyntaxError>,
    /// Whether `root` was lowered from another language, so that `text` is not JSON: edits
    /// written as JSON do not fit it.
    pub lowered: bool,
    /// Built on first use: most files have no finding, and so need no lines.
    lines: OnceLock<LineIndex>,
}

impl<'t> Document<'t> {
    /// The tree another front end built from `text`, with spans into it.
    pub fn from_tree(
        text: &'t str,
        root: Node<'t>,
        comments: Vec<Comment>,
        recovered: Vec<SyntaxError>,
    ) -> Document<'t> {
        Document {
            text,
            root: Ok(root),
            comments,
            recovered,
            lowered: true,
            lines: OnceLock::new(),
        }
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    pub fn range(&self, span: Span) -> Range {
        self.lines().range(self.text, span)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// The first offending token.
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// The comment's text without its `//` or `/* */` markers.
    pub text: String,
    /// For a directive a front end writes as a comment and whose reach is a stretch of the text
    /// rather than lines (Bicep's `#disable-diagnostics`, up to its `#restore-diagnostics` or
    /// the end of the file): that stretch.
    pub reach: Option<Span>,
}

const BOM: &str = "\u{feff}";

fn options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub fn parse(text: &str) -> Document<'_> {
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[base..];
    let collect = CollectOptions {
        comments: if has_comment(body) {
            CommentCollectionStrategy::Separate
        } else {
            CommentCollectionStrategy::Off
        },
        tokens: false,
    };
    let (root, comments) = match parse_to_ast(body, &collect, &options()) {
        Ok(result) => {
            let comments = collect_comments(result.comments.as_ref(), base);
            let root = match result.value {
                Some(value) => Ok(convert(value, base)),
                None => Err(SyntaxError {
                    span: Span::new(text.len(), text.len()),
                    message: "the file holds no JSON value".to_string(),
                }),
            };
            (root, comments)
        }
        Err(error) => {
            let mut range = error.range();
            if matches!(
                error.kind(),
                jsonc_parser::errors::ParseErrorKind::ExpectedComma
            ) {
                // The parser points after the previous value; the offending token comes next.
                let skipped = body[range.start..].len() - body[range.start..].trim_start().len();
                range.start += skipped;
            }
            let start = range.start.min(body.len());
            // At least the first character, whatever its length, so the message can show it.
            let first = body[start..].chars().next().map_or(0, char::len_utf8);
            let end = range.end.max(start + first).min(body.len());
            let span = Span::new(base + start, base + end);
            let message = describe(error.kind(), &text[span.range()]);
            (Err(SyntaxError { span, message }), Vec::new())
        }
    };
    Document {
        text,
        root,
        comments,
        recovered: Vec::new(),
        lowered: false,
        lines: OnceLock::new(),
    }
}

/// Whether a comment may start outside a string: a `/` outside quotes. Most templates have
/// none but are full of `https://` inside strings, so this skips strings instead of asking the
/// parser to collect comments it would not find. Only a bound: the parser decides.
fn has_comment(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'"' || b == b'/') {
        i += at;
        if bytes[i] == b'/' {
            return true;
        }
        // Skip the string: to the next quote not escaped by a backslash.
        i += 1;
        loop {
            match bytes[i..].iter().position(|&b| b == b'"' || b == b'\\') {
                Some(at) if bytes[i + at] == b'\\' => i += at + 2,
                Some(at) => {
                    i += at + 1;
                    break;
                }
                None => return false,
            }
            if i >= bytes.len() {
                return false;
            }
        }
    }
    false
}

/// The parser's message, with what was found when it helps.
fn describe(kind: &jsonc_parser::errors::ParseErrorKind, found: &str) -> String {
    let message = kind.to_string();
    let mut message = message.strip_suffix('.').unwrap_or(&message).to_string();
    if let Some(first) = message.get(..1) {
        message.replace_range(..1, &first.to_lowercase());
    }
    let found = found.trim();
    if !found.is_empty() && found.chars().count() <= 20 && !found.contains('\n') {
        message.push_str(&format!(" (found `{found}`)"));
    }
    message
}

fn span(range: jsonc_parser::common::Range, base: usize) -> Span {
    Span::new(base + range.start, base + range.end)
}

/// The parser limits nesting to 512 levels, so this recursion is bounded. The parser's values
/// are moved, so its borrowed strings stay borrowed.
fn convert(value: AstValue<'_>, base: usize) -> Node<'_> {
    let (range, kind) = match value {
        AstValue::NullKeyword(n) => (n.range, Kind::Null),
        AstValue::BooleanLit(b) => (b.range, Kind::Bool(b.value)),
        AstValue::NumberLit(n) => (n.range, Kind::Number(n.value)),
        AstValue::StringLit(s) => (s.range, Kind::String(s.value)),
        AstValue::Array(a) => (
            a.range,
            Kind::Array(a.elements.into_iter().map(|e| convert(e, base)).collect()),
        ),
        AstValue::Object(o) => (
            o.range,
            Kind::Object(
                o.properties
                    .into_iter()
                    .map(|p| {
                        let (key, key_range) = match p.name {
                            ObjectPropName::String(s) => (s.value, s.range),
                            ObjectPropName::Word(w) => (Cow::Borrowed(w.value), w.range),
                        };
                        Member {
                            key,
                            key_span: span(key_range, base),
                            value: convert(p.value, base),
                        }
                    })
                    .collect(),
            ),
        ),
    };
    Node {
        span: span(range, base),
        kind,
    }
}

fn collect_comments(map: Option<&jsonc_parser::CommentMap>, base: usize) -> Vec<Comment> {
    let Some(map) = map else {
        return Vec::new();
    };
    let mut comments: Vec<Comment> = map
        .values()
        .flat_map(|list| list.iter())
        .map(|c| match c {
            AstComment::Line(l) => Comment {
                span: span(l.range, base),
                text: l.text.to_string(),
                reach: None,
            },
            AstComment::Block(b) => Comment {
                span: span(b.range, base),
                text: b.text.to_string(),
                reach: None,
            },
        })
        .collect();
    // The parser files a comment under both neighbouring tokens.
    comments.sort_by_key(|c| c.span);
    comments.dedup_by_key(|c| c.span);
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> SyntaxError {
        parse(text).root.unwrap_err()
    }

    #[test]
    fn accepts_what_azure_accepts() {
        let text = "\u{feff}{\r\n  // note\n  \"a\": \"x\ny\", /* b */\n  \"b\": [1, 2,],\n}";
        let doc = parse(text);
        let root = doc.root.unwrap();
        assert_eq!(root.get("A").unwrap().as_str(), Some("x\ny"));
        assert_eq!(&text[root.span.range()], &text[3..]);
        let texts: Vec<_> = doc.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" note", " b "]);
        assert_eq!(&text[doc.comments[0].span.range()], "// note");
        assert!(
            parse("{\"a\": \"https://x/*y*/\\\" // z\"}")
                .comments
                .is_empty()
        );
        assert!(!has_comment("{\"a\": \"https://x\\\"//\"}"));
        assert!(has_comment("{\"a\": 1} // z"));
    }

    #[test]
    fn rejects_what_azure_rejects() {
        let text = "{\n  'a': 1\n}";
        assert_eq!(error(text).span.start as usize, text.find('\'').unwrap());
        let text = "{\n  a: 1\n}";
        assert_eq!(error(text).span.start as usize, text.find('a').unwrap());
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}";
        let e = error(text);
        assert_eq!(e.span.start as usize, text.find("\"b\"").unwrap());
        assert!(e.message.contains("comma"), "{}", e.message);
        assert!(error("").message.contains("no JSON value"));
        let text = "{\"a\": {} \u{7c2}";
        let e = error(text);
        assert_eq!(&text[e.span.range()], "\u{7c2}");
        assert!(e.message.contains("(found `\u{7c2}`)"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = 100_000;
        let text = "[".repeat(depth) + &"]".repeat(depth);
        let e = error(&text);
        assert!(e.message.contains("nesting"), "{}", e.message);
    }
}
