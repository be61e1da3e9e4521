//! Splits Bicep text into tokens with byte spans. Newlines are tokens (Bicep ends statements
//! and separates items with them); comments and `#disable-...` directives are trivia, kept
//! aside for suppressions. String interpolation is lexed with a stack of open `${` holes.

use super::SyntaxError;
use super::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Ident,
    Int,
    /// `'...'` without interpolation.
    String,
    /// `'...${`, or `$'''...${` (a multi-line string opens each hole with as many `$` as it
    /// has before its `'''`)
    StringStart,
    /// `}...${`
    StringMiddle,
    /// `}...'`, or `}...'''`
    StringEnd,
    /// `'''...'''`, or `$'''...'''` with no hole in it
    MultilineString,
    /// A string that did not end on its line; the lexer has reported it.
    BadString,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Dot,
    Ellipsis,
    Colon,
    DoubleColon,
    Assign,
    At,
    Question,
    DoubleQuestion,
    Exclamation,
    Arrow,
    Equals,
    NotEquals,
    EqualsIgnoreCase,
    NotEqualsIgnoreCase,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    And,
    Or,
    Pipe,
    /// `^`, in `[^i]` and `[?^i]`
    Hat,
    Newline,
    /// Characters that start no token; the lexer has reported them.
    Unknown,
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn span(self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// A `//` or `/* */` comment; `text` includes its delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment<'a> {
    pub span: Span,
    pub text: &'a str,
}

/// `#disable-next-line code...`, `#disable-diagnostics code...` or `#restore-diagnostics code...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive<'a> {
    /// The whole directive, `#` to the end of its codes.
    pub span: Span,
    pub kind: DirectiveKind,
    pub codes: Vec<(&'a str, Span)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    DisableNextLine,
    /// From here to the `#restore-diagnostics` of the same code, or to the end of the file.
    DisableDiagnostics,
    RestoreDiagnostics,
}

pub(crate) struct Lexed<'a> {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment<'a>>,
    pub directives: Vec<Directive<'a>>,
    pub errors: Vec<SyntaxError>,
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// One entry per open `${` hole.
    holes: Vec<Hole>,
    out: Lexed<'a>,
}

/// An open `${` hole of a string.
struct Hole {
    /// How many `{` are open inside it.
    braces: u32,
    /// How many `$` open a hole of its string: a multi-line string's, from before its `'''`;
    /// 0 for a `'...'` string.
    dollars: usize,
}

/// Lexes `text` from byte `start` (past a BOM); the last token is always `Eof`.
/// The caller guarantees `text.len()` fits in a `u32`.
pub(crate) fn lex(text: &str, start: usize) -> Lexed<'_> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: start,
        holes: Vec::new(),
        out: Lexed {
            tokens: Vec::with_capacity(text.len() / 4 + 1),
            comments: Vec::new(),
            directives: Vec::new(),
            errors: Vec::new(),
        },
    };
    lexer.run();
    lexer.out
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn peek_at(&self, offset: usize) -> u8 {
        self.bytes.get(self.pos + offset).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.out.tokens.push(Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
        });
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        self.out.errors.push(SyntaxError {
            span: Span::new(start as u32, end as u32),
            message: message.into(),
        });
    }

    fn run(&mut self) {
        use TokenKind::*;
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let b = self.bytes[start];
            let two = |k| (k, 2);
            let one = |k| (k, 1);
            let (kind, len) = match b {
                b' ' | b'\t' => {
                    self.pos += 1;
                    continue;
                }
                b'\n' | b'\r' => {
                    self.pos += if b == b'\r' && self.peek_at(1) == b'\n' {
                        2
                    } else {
                        1
                    };
                    // A string's `${` hole does not carry over a line: closing it here keeps an
                    // unterminated interpolation from swallowing the rest of the file.
                    self.holes.clear();
                    if self.out.tokens.last().is_none_or(|t| t.kind != Newline) {
                        self.push(Newline, start);
                    }
                    continue;
                }
                b'/' if self.peek_at(1) == b'/' => {
                    self.line_comment();
                    continue;
                }
                b'/' if self.peek_at(1) == b'*' => {
                    self.block_comment();
                    continue;
                }
                b'#' => {
                    self.directive();
                    continue;
                }
                b'$' => {
                    let dollars = self.bytes[start..]
                        .iter()
                        .take_while(|&&b| b == b'$')
                        .count();
                    if !self.bytes[start + dollars..].starts_with(b"'''") {
                        self.unknown();
                        continue;
                    }
                    self.pos += dollars + 3;
                    self.multiline_rest(start, dollars, MultilineString, StringStart);
                    continue;
                }
                b'\'' => {
                    if self.peek_at(1) == b'\'' && self.peek_at(2) == b'\'' {
                        self.pos += 3;
                        self.multiline_rest(start, 0, MultilineString, StringStart);
                    } else {
                        self.pos += 1;
                        self.string_rest(start, String, StringStart);
                    }
                    continue;
                }
                b'}' if !self.holes.is_empty() => {
                    let hole = self.holes.last_mut().expect("checked non-empty");
                    if hole.braces == 0 {
                        let dollars = hole.dollars;
                        self.holes.pop();
                        self.pos += 1;
                        if dollars == 0 {
                            self.string_rest(start, StringEnd, StringMiddle);
                        } else {
                            self.multiline_rest(start, dollars, StringEnd, StringMiddle);
                        }
                        continue;
                    }
                    hole.braces -= 1;
                    one(RBrace)
                }
                b'{' => {
                    if let Some(hole) = self.holes.last_mut() {
                        hole.braces += 1;
                    }
                    one(LBrace)
                }
                b'}' => one(RBrace),
                b'[' => one(LBracket),
                b']' => one(RBracket),
                b'(' => one(LParen),
                b')' => one(RParen),
                b',' => one(Comma),
                b'.' if self.peek_at(1) == b'.' && self.peek_at(2) == b'.' => (Ellipsis, 3),
                b'.' => one(Dot),
                b':' if self.peek_at(1) == b':' => two(DoubleColon),
                b':' => one(Colon),
                b'@' => one(At),
                b'?' if self.peek_at(1) == b'?' => two(DoubleQuestion),
                b'?' => one(Question),
                b'=' => match self.peek_at(1) {
                    b'>' => two(Arrow),
                    b'=' => two(Equals),
                    b'~' => two(EqualsIgnoreCase),
                    _ => one(Assign),
                },
                b'!' => match self.peek_at(1) {
                    b'=' => two(NotEquals),
                    b'~' => two(NotEqualsIgnoreCase),
                    _ => one(Exclamation),
                },
                b'<' if self.peek_at(1) == b'=' => two(LessOrEqual),
                b'<' => one(Less),
                b'>' if self.peek_at(1) == b'=' => two(GreaterOrEqual),
                b'>' => one(Greater),
                b'+' => one(Plus),
                b'-' => one(Minus),
                b'*' => one(Star),
                b'/' => one(Slash),
                b'%' => one(Percent),
                b'&' if self.peek_at(1) == b'&' => two(And),
                b'|' if self.peek_at(1) == b'|' => two(Or),
                b'|' => one(Pipe),
                b'^' => one(Hat),
                b'0'..=b'9' => {
                    let len = self.bytes[start..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    (Int, len)
                }
                b if is_ident_start(b) => {
                    let len = self.bytes[start..]
                        .iter()
                        .take_while(|&&b| is_ident_continue(b))
                        .count();
                    (Ident, len)
                }
                _ => {
                    self.unknown();
                    continue;
                }
            };
            self.pos += len;
            self.push(kind, start);
        }
        self.push(Eof, self.pos);
    }

    /// A run of characters that start no token, reported once.
    fn unknown(&mut self) {
        let start = self.pos;
        while let Some(c) = self.text[self.pos..].chars().next() {
            let starts_token = c.is_ascii()
                && (c.is_ascii_alphanumeric() || " \t\r\n'{}[](),.:@?=!<>+-*/%|^_#".contains(c));
            let double_ampersand = c == '&' && self.peek_at(1) == b'&';
            if self.pos > start && (starts_token || double_ampersand) {
                break;
            }
            self.pos += c.len_utf8();
        }
        let shown: String = self.text[start..self.pos].chars().take(20).collect();
        self.error(
            start,
            self.pos,
            format!("unexpected character(s) `{}`", shown.escape_debug()),
        );
        self.push(TokenKind::Unknown, start);
    }

    fn line_end(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(self.bytes.len(), |n| self.pos + n)
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        self.pos = self.line_end();
        self.out.comments.push(Comment {
            span: Span::new(start as u32, self.pos as u32),
            text: &self.text[start..self.pos],
        });
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        match self.text[start + 2..].find("*/") {
            Some(n) => self.pos = start + 2 + n + 2,
            None => {
                self.pos = self.bytes.len();
                self.error(start, start + 2, "unterminated comment: expected `*/`");
            }
        }
        self.out.comments.push(Comment {
            span: Span::new(start as u32, self.pos as u32),
            text: &self.text[start..self.pos],
        });
    }

    fn directive(&mut self) {
        let start = self.pos;
        let end = self.line_end();
        // The codes end where a trailing comment starts.
        let line = &self.text[start..end];
        let body_end = line.find("//").map_or(end, |n| start + n);
        let body = &self.text[start..body_end];
        let name_len = body
            .bytes()
            .skip(1)
            .take_while(|&b| is_ident_continue(b) || b == b'-')
            .count();
        let name = &body[1..1 + name_len];
        let kind = match name {
            "disable-next-line" => DirectiveKind::DisableNextLine,
            "disable-diagnostics" => DirectiveKind::DisableDiagnostics,
            "restore-diagnostics" => DirectiveKind::RestoreDiagnostics,
            _ => {
                self.pos = start + 1 + name_len;
                self.error(
                    start,
                    self.pos,
                    format!(
                        "unknown directive `#{name}`: expected `#disable-next-line`, `#disable-diagnostics` or `#restore-diagnostics`"
                    ),
                );
                self.push(TokenKind::Unknown, start);
                return;
            }
        };
        let mut codes = Vec::new();
        let mut offset = 1 + name_len;
        let mut last_end = start + offset;
        for code in body[offset..].split([' ', '\t']) {
            if !code.is_empty() {
                let code_start = start + offset;
                last_end = code_start + code.len();
                codes.push((code, Span::new(code_start as u32, last_end as u32)));
            }
            offset += code.len() + 1;
        }
        self.pos = body_end;
        self.out.directives.push(Directive {
            span: Span::new(start as u32, last_end as u32),
            kind,
            codes,
        });
    }

    /// The rest of a multi-line string piece from `self.pos` (past its opening `'''` or `}`)
    /// up to its closing `'''` (a `closed` token) or, in a string opened with `dollars` `$`, a
    /// run of at least that many `$` and a `{` (an `open` token, which opens a hole). Nothing
    /// is escaped in it.
    fn multiline_rest(&mut self, start: usize, dollars: usize, closed: TokenKind, open: TokenKind) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if b != b'\'' && b != b'$' {
                self.pos += 1;
                continue;
            }
            let run = self.bytes[self.pos..]
                .iter()
                .take_while(|&&c| c == b)
                .count();
            self.pos += run;
            // Quotes right before the closing `'''` belong to the content.
            if b == b'\'' && run >= 3 {
                self.push(closed, start);
                return;
            }
            if b == b'$' && dollars > 0 && run >= dollars && self.peek_at(0) == b'{' {
                self.pos += 1;
                self.holes.push(Hole { braces: 0, dollars });
                self.push(open, start);
                return;
            }
        }
        let opening = if closed == TokenKind::MultilineString {
            dollars + 3
        } else {
            1
        };
        self.error(
            start,
            start + opening,
            "unterminated multi-line string: expected `'''`",
        );
        self.push(TokenKind::BadString, start);
    }

    /// The rest of a string piece from `self.pos` (past its `'` or `}`) up to its closing `'`
    /// (a `closed` token) or a `${` (an `open` token, which opens a hole).
    fn string_rest(&mut self, start: usize, closed: TokenKind, open: TokenKind) {
        loop {
            match self.bytes.get(self.pos) {
                None | Some(b'\n' | b'\r') => {
                    self.error(start, self.pos, "unterminated string: expected `'`");
                    self.push(TokenKind::BadString, start);
                    return;
                }
                Some(b'\'') => {
                    self.pos += 1;
                    self.push(closed, start);
                    return;
                }
                Some(b'$') if self.peek_at(1) == b'{' => {
                    self.pos += 2;
                    self.holes.push(Hole {
                        braces: 0,
                        dollars: 0,
                    });
                    self.push(open, start);
                    return;
                }
                Some(b'\\') => self.escape(),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Checks one escape sequence at `self.pos` and steps over it.
    fn escape(&mut self) {
        let start = self.pos;
        match self.peek_at(1) {
            b'\\' | b'\'' | b'n' | b'r' | b't' | b'$' => self.pos += 2,
            b'u' if self.peek_at(2) == b'{' => {
                let digits = self.bytes[start + 3..]
                    .iter()
                    .take_while(|b| b.is_ascii_hexdigit())
                    .count();
                let end = start + 3 + digits;
                let code = u32::from_str_radix(&self.text[start + 3..end], 16).ok();
                // Any code point, surrogates too: Bicep's strings are UTF-16 (see `cook`).
                let closed = self.bytes.get(end) == Some(&b'}');
                self.pos = if closed { end + 1 } else { end };
                if !closed || code.is_none_or(|c| c > u32::from(char::MAX)) {
                    self.error(
                        start,
                        self.pos,
                        "invalid escape: expected `\\u{...}` with a code point of at most 10FFFF in hex",
                    );
                }
            }
            _ => {
                let next_len = self.text[start + 1..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                let is_line_end = matches!(self.peek_at(1), b'\n' | b'\r' | 0);
                self.pos += if is_line_end { 1 } else { 1 + next_len };
                self.error(
                    start,
                    self.pos,
                    "invalid escape: expected one of `\\\\`, `\\'`, `\\n`, `\\r`, `\\t`, `\\$` or `\\u{...}`",
                );
            }
        }
    }
}

/// The code point of a `{hex}` at the start of `text`, and the text after it.
fn code_point(text: &str) -> Option<(u32, &str)> {
    let (hex, rest) = text.strip_prefix('{')?.split_once('}')?;
    Some((u32::from_str_radix(hex, 16).ok()?, rest))
}

/// The value of a `'...'` string piece's raw content (escapes checked by the lexer).
pub(crate) fn cook(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('\\') {
        return raw.into();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => match code_point(chars.as_str()) {
                Some((code, rest)) => {
                    // UTF-16, as Bicep's strings are: a high surrogate and a low one escaped
                    // after it are one character; a lone surrogate is none, so U+FFFD.
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(code_point)
                        .filter(|(low, _)| (0xDC00..0xE000).contains(low));
                    let decoded = match low {
                        Some((low, after)) if (0xD800..0xDC00).contains(&code) => {
                            chars = after.chars();
                            0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        _ => {
                            chars = rest.chars();
                            code
                        }
                    };
                    out.push(char::from_u32(decoded).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                None => out.push_str("\\u"),
            },
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out.into()
}
