//! A recursive-descent parser for template expressions, with a depth limit so that hostile
//! input cannot exhaust the stack.

use std::cell::RefCell;
use std::sync::Arc;

use super::ast::{Expr, ExprKind};

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Byte offset into the expression text where the problem is.
    pub offset: u32,
    pub message: String,
}

const MAX_DEPTH: usize = 128;

/// What parsing an expression text gives.
pub type Parse = Result<Expr, ParseError>;

/// How many parses `parse_kept` keeps on each thread before it starts again: enough for the
/// templates of one folder (a run over either corpus took about a tenth less time, for 2 to
/// 4 MiB more), few enough that memory stays flat however many files a run has.
const KEPT_PARSES: usize = 2048;

thread_local! {
    // Looked up once per expression of every template: a fast hash, not a DoS-resistant one
    // (the texts come from the user's own files).
    static KEPT: RefCell<foldhash::HashMap<Box<str>, Arc<Parse>>> =
        RefCell::default();
}

/// `parse`, kept for the next template on this thread that has the same expression text: the
/// templates of one run share many (the Bicep modules that several files call, the
/// boilerplate of one generator), and a language server parses the same file again on every
/// edit. A parse depends on the text alone, so what is kept is never stale.
pub fn parse_kept(text: &str) -> Arc<Parse> {
    KEPT.with(|kept| {
        if let Some(parsed) = kept.borrow().get(text) {
            return parsed.clone();
        }
        let parsed = Arc::new(parse(text));
        let mut kept = kept.borrow_mut();
        if kept.len() == KEPT_PARSES {
            kept.clear();
        }
        kept.insert(text.into(), parsed.clone());
        parsed
    })
}

pub fn parse(text: &str) -> Parse {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.skip_space();
    if parser.pos == text.len() {
        return Err(parser.error("the expression is empty"));
    }
    let expr = parser.expression()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.error(&format!(
            "unexpected `{}` after the end of the expression",
            parser.rest_preview()
        )));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.pos as u32,
            message: message.to_string(),
        }
    }

    fn rest_preview(&self) -> String {
        self.text[self.pos..].chars().take(12).collect()
    }

    fn skip_space(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.pos >= self.bytes.len() {
            Err(self.error(&format!("expected {what} but the expression ended")))
        } else {
            Err(self.error(&format!("expected {what}, found `{}`", self.rest_preview())))
        }
    }

    fn expression(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut expr = self.primary()?;
        // Each `.x` or `[i]` wraps the tree one level deeper, so it counts against the limit.
        let mut accesses = 0;
        loop {
            self.skip_space();
            if matches!(self.peek(), Some(b'.' | b'[')) {
                accesses += 1;
                self.enter()?;
            }
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.skip_space();
                    let name = self.identifier("a property name after `.`")?;
                    expr = Expr {
                        start: expr.start,
                        end: self.pos as u32,
                        kind: ExprKind::Member {
                            base: Box::new(expr),
                            name,
                        },
                    };
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_space();
                    let index = self.expression()?;
                    self.expect(b']', "`]`")?;
                    expr = Expr {
                        start: expr.start,
                        end: self.pos as u32,
                        kind: ExprKind::Index {
                            base: Box::new(expr),
                            index: Box::new(index),
                        },
                    };
                }
                _ => break,
            }
        }
        self.depth -= 1 + accesses;
        Ok(expr)
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("the expression is nested too deeply"));
        }
        Ok(())
    }

    fn identifier(&mut self, what: &str) -> Result<String, ParseError> {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && (self.bytes[self.pos].is_ascii_alphanumeric()
                || self.bytes[self.pos] == b'_'
                || self.bytes[self.pos] == b'$')
        {
            self.pos += 1;
        }
        if start == self.pos || self.bytes[start].is_ascii_digit() {
            self.pos = start;
            return Err(if start >= self.bytes.len() {
                self.error(&format!("expected {what} but the expression ended"))
            } else {
                self.error(&format!("expected {what}, found `{}`", self.rest_preview()))
            });
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.skip_space();
        let start = self.pos;
        let kind = match self.peek() {
            None => return Err(self.error("expected a value but the expression ended")),
            Some(b'\'') => ExprKind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => ExprKind::Int(self.integer()?),
            Some(_) => {
                let first = self.identifier("a function name, a string or a number")?;
                self.skip_space();
                let (namespace, name) = if self.peek() == Some(b'.') {
                    self.pos += 1;
                    self.skip_space();
                    (
                        Some(first),
                        self.identifier("a function name after the namespace")?,
                    )
                } else {
                    (None, first)
                };
                self.skip_space();
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    ExprKind::Call {
                        namespace,
                        name,
                        args: self.arguments()?,
                    }
                } else if namespace.is_none() {
                    match name.to_ascii_lowercase().as_str() {
                        "true" => ExprKind::Bool(true),
                        "false" => ExprKind::Bool(false),
                        "null" => ExprKind::Null,
                        _ => {
                            return Err(ParseError {
                                offset: start as u32,
                                message: format!(
                                    "`{name}` is not a function call: expected `(` after it"
                                ),
                            });
                        }
                    }
                } else {
                    return Err(self.error("expected `(` after the function name"));
                }
            }
        };
        Ok(Expr {
            kind,
            start: start as u32,
            end: self.pos as u32,
        })
    }

    fn arguments(&mut self) -> Result<Vec<Expr>, ParseError> {
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expression()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                None => {
                    return Err(
                        self.error("missing `)`: the expression ended inside a function call")
                    );
                }
                Some(_) => {
                    return Err(self.error(&format!(
                        "expected `,` or `)`, found `{}`",
                        self.rest_preview()
                    )));
                }
            }
        }
    }

    /// A single-quoted string; `''` stands for one quote.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(offset) = self.text[self.pos..].find('\'') else {
                self.pos = start;
                return Err(self.error("unterminated string literal: missing closing `'`"));
            };
            value.push_str(&self.text[self.pos..self.pos + offset]);
            self.pos += offset + 1;
            if self.peek() == Some(b'\'') {
                value.push('\'');
                self.pos += 1;
            } else {
                return Ok(value);
            }
        }
    }

    fn integer(&mut self) -> Result<i64, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        // A fraction is not part of the language, but tolerate it as an unknown-size number.
        self.text[start..self.pos].parse().map_err(|_| ParseError {
            offset: start as u32,
            message: format!("`{}` is not a valid integer", &self.text[start..self.pos]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_parse_is_the_parse_of_its_text_and_the_kept_ones_stay_few() {
        for text in ["parameters('a')", "concat(", "variables('v').x"] {
            assert_eq!(*parse_kept(text), parse(text), "{text}");
            assert!(Arc::ptr_eq(&parse_kept(text), &parse_kept(text)), "{text}");
        }
        for n in 0..=KEPT_PARSES {
            parse_kept(&format!("parameters('p{n}')"));
        }
        assert!(KEPT.with(|kept| kept.borrow().len()) <= KEPT_PARSES);
    }

    fn call_name(e: &Expr) -> &str {
        match &e.kind {
            ExprKind::Call { name, .. } => name,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn parses_calls_members_indexes_and_literals() {
        let e = parse("concat(parameters('a').b[0], 'it''s', -3, true, null)").unwrap();
        assert_eq!(call_name(&e), "concat");
        let ExprKind::Call { args, .. } = &e.kind else {
            unreachable!()
        };
        assert!(matches!(args[0].kind, ExprKind::Index { .. }));
        assert_eq!(args[1].kind, ExprKind::String("it's".into()));
        assert_eq!(args[2].kind, ExprKind::Int(-3));
        assert_eq!(args[3].kind, ExprKind::Bool(true));
        assert_eq!(args[4].kind, ExprKind::Null);
        let e = parse(" ns.fn ( 'x' ) ").unwrap();
        assert!(matches!(&e.kind, ExprKind::Call { namespace: Some(ns), .. } if ns == "ns"));
    }

    #[test]
    fn reports_where_it_breaks() {
        let e = parse("concat('a', 'b'").unwrap_err();
        assert_eq!(e.offset, 15);
        assert!(e.message.contains("missing `)`"));
        let e = parse("concat('a)").unwrap_err();
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("unterminated"));
        let e = parse("concat('a'))").unwrap_err();
        assert_eq!(e.offset, 11);
        assert!(parse("").is_err());
        assert!(
            parse("foo")
                .unwrap_err()
                .message
                .contains("not a function call")
        );
        let deep = "f(".repeat(10_000) + &")".repeat(10_000);
        assert!(parse(&deep).unwrap_err().message.contains("too deeply"));
        let long_chain = "parameters('a')".to_string() + &".x[0]".repeat(100_000);
        assert!(
            parse(&long_chain)
                .unwrap_err()
                .message
                .contains("too deeply")
        );
        assert!(parse(&("parameters('a')".to_string() + &".x".repeat(100))).is_ok());
    }
}
