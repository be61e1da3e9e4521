//! Parsing with the dialect Azure accepts: comments, trailing commas, raw newlines inside
//! strings, a UTF-8 byte order mark and CRLF; and nothing looser (no single quotes, unquoted
//! keys, missing commas, hexadecimal or non-finite numbers).

use jsonc_parser::ast::{Comment as AstComment, ObjectPropName, Value as AstValue};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};

use super::lines::LineIndex;
use super::tree::{Kind, Member, Node};
use crate::diagnostic::Span;

/// One file's text and what parsing made of it.
#[derive(Debug)]
pub struct Document {
    pub text: String,
    pub lines: LineIndex,
    pub root: Result<Node, SyntaxError>,
    /// Comments in document order, for inline suppressions.
    pub comments: Vec<Comment>,
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

pub fn parse(text: String) -> Document {
    let lines = LineIndex::new(&text);
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &text[base..];
    let collect = CollectOptions {
        comments: if body.contains("//") || body.contains("/*") {
            CommentCollectionStrategy::Separate
        } else {
            CommentCollectionStrategy::Off
        },
        tokens: false,
    };
    let (root, comments) = match parse_to_ast(body, &collect, &options()) {
        Ok(result) => {
            let comments = collect_comments(result.comments.as_ref(), base);
            let root = match &result.value {
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
        lines,
        root,
        comments,
    }
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

/// The parser limits nesting to 512 levels, so this recursion is bounded.
fn convert(value: &AstValue, base: usize) -> Node {
    match value {
        AstValue::NullKeyword(n) => Node {
            span: span(n.range, base),
            kind: Kind::Null,
        },
        AstValue::BooleanLit(b) => Node {
            span: span(b.range, base),
            kind: Kind::Bool(b.value),
        },
        AstValue::NumberLit(n) => Node {
            span: span(n.range, base),
            kind: Kind::Number(n.value.into()),
        },
        AstValue::StringLit(s) => Node {
            span: span(s.range, base),
            kind: Kind::String(s.value.as_ref().into()),
        },
        AstValue::Array(a) => Node {
            span: span(a.range, base),
            kind: Kind::Array(a.elements.iter().map(|e| convert(e, base)).collect()),
        },
        AstValue::Object(o) => Node {
            span: span(o.range, base),
            kind: Kind::Object(
                o.properties
                    .iter()
                    .map(|p| {
                        let (key, key_range) = match &p.name {
                            ObjectPropName::String(s) => (s.value.as_ref().into(), s.range),
                            ObjectPropName::Word(w) => (w.value.into(), w.range),
                        };
                        Member {
                            key,
                            key_span: span(key_range, base),
                            value: convert(&p.value, base),
                        }
                    })
                    .collect(),
            ),
        },
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
            },
            AstComment::Block(b) => Comment {
                span: span(b.range, base),
                text: b.text.to_string(),
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
        parse(text.to_string()).root.unwrap_err()
    }

    #[test]
    fn accepts_what_azure_accepts() {
        let text = "\u{feff}{\r\n  // note\n  \"a\": \"x\ny\", /* b */\n  \"b\": [1, 2,],\n}";
        let doc = parse(text.to_string());
        let root = doc.root.unwrap();
        assert_eq!(root.get("A").unwrap().as_str(), Some("x\ny"));
        assert_eq!(&text[root.span.range()], &text[3..]);
        let texts: Vec<_> = doc.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" note", " b "]);
        assert_eq!(&text[doc.comments[0].span.range()], "// note");
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
