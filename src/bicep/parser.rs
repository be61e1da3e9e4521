//! A hand-written, newline-aware, error-tolerant recursive-descent parser from tokens to the
//! tree of `syntax`. An error is reported once where it happens, the parse unwinds to the
//! nearest recovery point (the object or array item, else the declaration) and goes on.

use std::borrow::Cow;

use rayon::prelude::*;

use super::lexer::{Token, TokenKind, cook};
use super::syntax::*;
use super::{Stop, SyntaxError};

/// Deeper trees than this are refused: the parser, and whatever walks the tree, recurse.
const MAX_DEPTH: u32 = 256;

/// The parse of the current declaration or item was abandoned; the error is already reported.
struct Abandoned;

type PResult<T> = Result<T, Abandoned>;

/// How many decorator lines [`Parser::declaration_starts_at`] looks past.
const MAX_DECORATOR_LINES: usize = 16;

/// Words that start a declaration (used to resume after an error on a later line).
const DECLARATION_KEYWORDS: &[&str] = &[
    "metadata",
    "targetScope",
    "param",
    "var",
    "resource",
    "module",
    "output",
    "type",
    "func",
    "import",
    "extension",
    "provider",
    "using",
    "extends",
    "extensionConfig",
    "assert",
];

/// How many declarations the parser reads between two questions whether to stop.
const STOP_EVERY: usize = 64;

/// Fewer tokens than this a piece of a file split for parsing never has (but the last, which
/// has at least half): a split costs a copy of the tokens and a task on another thread.
const PIECE_TOKENS: usize = 1 << 15;

/// The program of `tokens`, and the syntax errors after the lexer's `errors`; `None` when
/// `stop` said to stop. A large file is parsed in pieces, on all threads: its parse is one long
/// step of the pass an editor waits for on each keystroke, and of a command line run. It splits
/// only where a declaration starts a line outside any bracket, and a piece is kept only when
/// its last declaration was parsed without error and without giving up: then the declaration
/// after it is where one parse of the whole file would have started it, in the same state.
/// Else the file is parsed again in one piece, so the result is always exactly that parse's.
pub fn parse_tokens<'a>(
    text: &'a str,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    stop: Stop,
) -> Option<(Program<'a>, Vec<SyntaxError>)> {
    // Twice as many pieces as threads, for an even share of the work.
    let size = (tokens.len() / (2 * rayon::current_num_threads())).max(PIECE_TOKENS);
    parse_in_pieces(text, tokens, errors, stop, size)
}

/// `parse_tokens` with pieces of about `size` tokens.
fn parse_in_pieces<'a>(
    text: &'a str,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    stop: Stop,
    size: usize,
) -> Option<(Program<'a>, Vec<SyntaxError>)> {
    let splits = split_points(text, &tokens, size);
    if splits.is_empty() {
        return Parser::new(text, tokens, errors).parse_program(stop);
    }
    let bounds: Vec<(usize, usize)> = std::iter::once(0)
        .chain(splits.iter().copied())
        .zip(splits.iter().copied().chain(std::iter::once(tokens.len())))
        .collect();
    let pieces: Vec<Option<Piece>> = bounds
        .par_iter()
        .map(|&(from, to)| {
            let mut own = tokens[from..to].to_vec();
            if let Some(next) = tokens.get(to) {
                own.push(Token {
                    kind: TokenKind::Eof,
                    start: next.start,
                    end: next.start,
                });
            }
            let mut parser = Parser::new(
                text,
                own,
                if from == 0 {
                    errors.clone()
                } else {
                    Vec::new()
                },
            );
            // As one parse would have it: the end of the last token it consumed.
            parser.prev_end = tokens[..from]
                .iter()
                .rev()
                .find(|t| t.kind != TokenKind::Newline)
                .map_or(0, |t| t.end);
            let statements = parser.statements(stop)?;
            let whole = to == tokens.len()
                || !parser.gave_up
                    && statements.last().is_some_and(|last| {
                        parser.errors.iter().all(|e| e.span.start < last.span.start)
                    });
            Some(Piece {
                statements,
                errors: parser.errors,
                whole,
            })
        })
        .collect();
    let pieces: Vec<Piece> = pieces.into_iter().collect::<Option<_>>()?;
    if !pieces.iter().all(|p| p.whole) {
        return Parser::new(text, tokens, errors).parse_program(stop);
    }
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    for piece in pieces {
        statements.extend(piece.statements);
        errors.extend(piece.errors);
    }
    Some((Program { statements }, errors))
}

/// What one piece of a split file parsed to; `whole`: its end is where a declaration starts.
struct Piece<'a> {
    statements: Vec<Statement<'a>>,
    errors: Vec<SyntaxError>,
    whole: bool,
}

/// Where to split `tokens` into pieces of about `size` tokens (the last at least half that): at
/// the first token of a declaration, its decorators included, that starts a line outside any
/// bracket. None after brackets close more than they opened.
fn split_points(text: &str, tokens: &[Token], size: usize) -> Vec<usize> {
    let mut splits = Vec::new();
    let mut depth = 0usize;
    // The first decorator line of the declaration being reached.
    let mut decorated: Option<usize> = None;
    let mut next = size;
    for (i, token) in tokens.iter().enumerate() {
        let line_start = i == 0 || tokens[i - 1].kind == TokenKind::Newline;
        if depth == 0 && line_start {
            let following = tokens.get(i + 1).map(|t| t.kind);
            match token.kind {
                TokenKind::At if following == Some(TokenKind::Ident) => {
                    decorated.get_or_insert(i);
                }
                TokenKind::Ident
                    if DECLARATION_KEYWORDS
                        .contains(&&text[token.start as usize..token.end as usize]) =>
                {
                    let start = decorated.take().unwrap_or(i);
                    if start >= next && 2 * (tokens.len() - start) >= size {
                        splits.push(start);
                        next = start + size;
                    }
                }
                _ => decorated = None,
            }
        }
        if opens(token.kind) {
            depth += 1;
        } else if closes(token.kind) {
            let Some(less) = depth.checked_sub(1) else {
                break;
            };
            depth = less;
        }
    }
    splits
}

pub(crate) struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// End of the last consumed token, for spans of nodes.
    prev_end: u32,
    errors: Vec<SyntaxError>,
    depth: u32,
    /// Inside parentheses newlines separate nothing and are skipped.
    skip_newlines: bool,
    /// Set once nesting is too deep: the rest of the input is skipped without more errors.
    gave_up: bool,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str, tokens: Vec<Token>, errors: Vec<SyntaxError>) -> Self {
        Parser {
            text,
            tokens,
            pos: 0,
            prev_end: 0,
            errors,
            depth: 0,
            skip_newlines: false,
            gave_up: false,
        }
    }

    /// The program, or `None` when `stop` said to stop (asked every `STOP_EVERY`
    /// declarations: in an editor, a large file's parse gives way to a newer text).
    fn parse_program(mut self, stop: Stop) -> Option<(Program<'a>, Vec<SyntaxError>)> {
        let statements = self.statements(stop)?;
        Some((Program { statements }, self.errors))
    }

    /// The declarations up to the end of the tokens.
    fn statements(&mut self, stop: Stop) -> Option<Vec<Statement<'a>>> {
        let mut statements = Vec::new();
        loop {
            self.skip_newline_tokens();
            if self.peek() == TokenKind::Eof {
                break;
            }
            if statements.len() % STOP_EVERY == STOP_EVERY - 1 && stop() {
                return None;
            }
            let start = self.pos;
            let start_offset = self.current().start;
            let statement = match self.parse_statement() {
                Ok(statement) => {
                    if !matches!(self.peek(), TokenKind::Newline | TokenKind::Eof) {
                        self.error_here("expected a new line after the declaration");
                        self.recover_declaration(start);
                    }
                    statement
                }
                Err(Abandoned) => {
                    self.recover_declaration(start);
                    Statement {
                        span: Span::new(start_offset, self.prev_end.max(start_offset)),
                        decorators: Vec::new(),
                        kind: StatementKind::Error,
                    }
                }
            };
            if self.pos == start {
                self.bump();
            }
            statements.push(statement);
        }
        Some(statements)
    }

    // ---- tokens ----

    fn current(&self) -> Token {
        self.tokens[self.pos]
    }

    fn peek(&mut self) -> TokenKind {
        if self.skip_newlines && self.tokens[self.pos].kind == TokenKind::Newline {
            self.pos += 1;
        }
        self.tokens[self.pos].kind
    }

    /// The kind of the token `n` after the current one, newlines included.
    fn nth(&self, n: usize) -> TokenKind {
        self.tokens[(self.pos + n).min(self.tokens.len() - 1)].kind
    }

    fn bump(&mut self) -> Token {
        self.peek();
        let token = self.tokens[self.pos];
        if token.kind != TokenKind::Eof {
            self.pos += 1;
            self.prev_end = token.end;
        }
        token
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        (self.peek() == kind).then(|| self.bump())
    }

    fn text_of(&self, token: Token) -> &'a str {
        &self.text[token.start as usize..token.end as usize]
    }

    fn at_word(&mut self, word: &str) -> bool {
        self.peek() == TokenKind::Ident && self.text_of(self.current()) == word
    }

    fn skip_newline_tokens(&mut self) {
        while self.tokens[self.pos].kind == TokenKind::Newline {
            self.pos += 1;
        }
    }

    /// A lambda's body may start on the next line, unless that line is a declaration (then
    /// the body is missing, and the error belongs at the newline).
    fn skip_newlines_before_body(&mut self) {
        if self.current().kind == TokenKind::Newline && !self.declaration_starts_at(self.pos + 1) {
            self.pos += 1;
        }
    }

    /// Steps over a newline when the next line starts with `kind`, which continues the
    /// expression (a ternary's `?` or `:`, a union's `|`).
    fn continue_line_if(&mut self, kind: TokenKind) {
        if self.current().kind == TokenKind::Newline && self.nth(1) == kind {
            self.pos += 1;
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), TokenKind::Newline | TokenKind::Comma) {
            self.bump();
        }
    }

    // ---- errors and recovery ----

    fn error(&mut self, span: Span, message: impl Into<String>) -> Abandoned {
        if !self.gave_up {
            self.errors.push(SyntaxError {
                span,
                message: message.into(),
            });
        }
        Abandoned
    }

    /// An error at the current token (a newline's own span, or an empty span at the end).
    /// None at a token the lexer has already reported.
    fn error_here(&mut self, message: impl Into<String>) -> Abandoned {
        self.peek();
        let token = self.current();
        if matches!(token.kind, TokenKind::Unknown | TokenKind::BadString) {
            return Abandoned;
        }
        self.error(token.span(), message)
    }

    fn expect(&mut self, kind: TokenKind, message: &str) -> PResult<Token> {
        match self.eat(kind) {
            Some(token) => Ok(token),
            None => Err(self.error_here(message)),
        }
    }

    fn expect_ident(&mut self, message: &str) -> PResult<Ident<'a>> {
        let token = self.expect(TokenKind::Ident, message)?;
        Ok(self.ident(token))
    }

    fn bump_ident(&mut self) -> Ident<'a> {
        let token = self.bump();
        self.ident(token)
    }

    fn ident(&self, token: Token) -> Ident<'a> {
        Ident {
            name: self.text_of(token),
            span: token.span(),
        }
    }

    /// Whether the token at `index` starts a declaration at the start of a line (a keyword
    /// followed by what a declaration has next, maybe after decorator lines): where parsing
    /// resumes after an error left brackets open.
    fn declaration_starts_at(&self, mut index: usize) -> bool {
        // A decorator at the start of a line may also be an unindented object type member's,
        // so it counts only when a declaration follows; a few lines of them are looked past.
        for _ in 0..MAX_DECORATOR_LINES {
            let token = self.tokens[index];
            let at_line_start = token.start == 0
                || matches!(
                    self.text.as_bytes()[token.start as usize - 1],
                    b'\n' | b'\r'
                );
            if !at_line_start {
                return false;
            }
            let next = self.tokens[(index + 1).min(self.tokens.len() - 1)].kind;
            match token.kind {
                TokenKind::At if next == TokenKind::Ident => {
                    let Some(line_end) = self.tokens[index..]
                        .iter()
                        .position(|t| matches!(t.kind, TokenKind::Newline | TokenKind::Eof))
                        .map(|n| index + n)
                        .filter(|&end| self.tokens[end].kind == TokenKind::Newline)
                    else {
                        return false;
                    };
                    index = line_end + 1;
                }
                TokenKind::Ident => {
                    return DECLARATION_KEYWORDS.contains(&self.text_of(token))
                        && matches!(
                            next,
                            TokenKind::Ident
                                | TokenKind::Assign
                                | TokenKind::LBrace
                                | TokenKind::Star
                                | TokenKind::String
                        );
                }
                _ => return false,
            }
        }
        false
    }

    /// Skips the rest of a broken declaration: to the end of its line, past any brackets it
    /// opened, but never past a declaration at the start of a later line.
    fn recover_declaration(&mut self, declaration_start: usize) {
        let mut depth = 0u32;
        loop {
            let token = self.tokens[self.pos];
            match token.kind {
                TokenKind::Eof => return,
                TokenKind::Newline if depth == 0 => return,
                _ if self.pos > declaration_start && self.declaration_starts_at(self.pos) => {
                    return;
                }
                kind if opens(kind) => depth += 1,
                kind if closes(kind) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.prev_end = token.end;
            self.pos += 1;
        }
    }

    /// Skips the rest of a broken list item: to the next newline or `,` of the list, or to its
    /// closing bracket (not consumed).
    fn recover_item(&mut self) {
        let mut depth = 0u32;
        loop {
            let token = self.tokens[self.pos];
            match token.kind {
                TokenKind::Eof => return,
                TokenKind::Newline | TokenKind::Comma if depth == 0 => return,
                _ if self.declaration_starts_at(self.pos) => return,
                kind if opens(kind) => depth += 1,
                kind if closes(kind) => match depth.checked_sub(1) {
                    Some(outer) => depth = outer,
                    // The rest of a string whose interpolation broke belongs to the item.
                    None if kind == TokenKind::StringEnd => {}
                    None => return,
                },
                _ => {}
            }
            self.prev_end = token.end;
            self.pos += 1;
        }
    }

    /// Runs `parse` one nesting level deeper, refusing trees deeper than [`MAX_DEPTH`].
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.enter()?;
        // Debug builds use large frames; growing the stack keeps MAX_DEPTH levels safe there.
        let result = stacker::maybe_grow(64 * 1024, 1024 * 1024, || parse(self));
        self.depth -= 1;
        result
    }

    fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            let stop =
                self.error_here(format!("nesting is too deep: more than {MAX_DEPTH} levels"));
            self.gave_up = true;
            self.pos = self.tokens.len() - 1;
            return Err(stop);
        }
        self.depth += 1;
        Ok(())
    }

    /// Parses with newlines skipped (`true`, inside parentheses) or significant.
    fn with_newlines<T>(
        &mut self,
        skip: bool,
        parse: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let saved = self.skip_newlines;
        self.skip_newlines = skip;
        let result = parse(self);
        self.skip_newlines = saved;
        result
    }

    /// Parses items separated by newlines or commas up to `close`, recovering per item.
    fn parse_list<T>(
        &mut self,
        open: Token,
        close: TokenKind,
        what: &str,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.with_newlines(false, |p| {
            let mut items = Vec::new();
            loop {
                p.skip_separators();
                if p.eat(close).is_some() {
                    return Ok(items);
                }
                if p.peek() == TokenKind::Eof || p.declaration_starts_at(p.pos) {
                    let closer = if close == TokenKind::RBrace { "}" } else { "]" };
                    return Err(p.error(
                        open.span(),
                        format!("expected `{closer}` to close this {what}"),
                    ));
                }
                let before = p.pos;
                match item(p) {
                    Ok(value) => {
                        items.push(value);
                        if !matches!(p.peek(), TokenKind::Newline | TokenKind::Comma)
                            && p.peek() != close
                        {
                            p.error_here(format!(
                                "expected a new line or `,` after the {what}'s item"
                            ));
                            p.recover_item();
                        }
                    }
                    Err(Abandoned) => p.recover_item(),
                }
                if p.pos == before {
                    p.bump();
                }
            }
        })
    }

    // ---- declarations ----

    fn parse_decorators(&mut self) -> PResult<Vec<Decorator<'a>>> {
        let mut decorators = Vec::new();
        while self.peek() == TokenKind::At {
            decorators.push(self.parse_decorator()?);
            self.skip_newline_tokens();
        }
        Ok(decorators)
    }

    fn parse_decorator(&mut self) -> PResult<Decorator<'a>> {
        let at = self.bump();
        let mut name = self.expect_ident("expected a decorator's name after `@`")?;
        let mut namespace = None;
        if self.eat(TokenKind::Dot).is_some() {
            namespace = Some(name);
            name = self.expect_ident("expected a decorator's name after `.`")?;
        }
        self.expect(TokenKind::LParen, "expected `(` after the decorator's name")?;
        let args = self.parse_call_args()?;
        Ok(Decorator {
            span: Span::new(at.start, self.prev_end),
            namespace,
            name,
            args,
        })
    }

    fn parse_statement(&mut self) -> PResult<Statement<'a>> {
        let start = self.current().start;
        let decorators = self.parse_decorators()?;
        if self.peek() != TokenKind::Ident {
            return Err(self.error_here(
                "expected a declaration: `param`, `var`, `resource`, `module`, `output`, `type`, `func`, `import`, ...",
            ));
        }
        let keyword = self.bump();
        let kind = match self.text_of(keyword) {
            "metadata" => {
                let name = self.expect_ident("expected the metadata's name")?;
                self.expect(TokenKind::Assign, "expected `=` after the metadata's name")?;
                let value = self.parse_expr()?;
                StatementKind::Metadata { name, value }
            }
            "targetScope" => {
                self.expect(TokenKind::Assign, "expected `=` after `targetScope`")?;
                let value = self.parse_expr()?;
                StatementKind::TargetScope { value }
            }
            "param" => self.parse_param()?,
            "var" => {
                let name = self.expect_ident("expected the variable's name")?;
                let ty = if self.peek() == TokenKind::Assign {
                    None
                } else {
                    Some(self.parse_type()?)
                };
                self.expect(TokenKind::Assign, "expected `=` and the variable's value")?;
                let value = self.parse_expr()?;
                StatementKind::Var { name, ty, value }
            }
            "resource" => StatementKind::Resource(self.parse_resource()?),
            "module" => {
                let name = self.expect_ident("expected the module's symbolic name")?;
                let path =
                    self.expect_string("expected the module's path, such as `'./main.bicep'`")?;
                self.expect(TokenKind::Assign, "expected `=` after the module's path")?;
                let value = self.parse_body_value()?;
                StatementKind::Module { name, path, value }
            }
            "output" => {
                let name = self.expect_ident("expected the output's name")?;
                let ty = self.parse_type()?;
                self.expect(TokenKind::Assign, "expected `=` after the output's type")?;
                let value = self.parse_expr()?;
                StatementKind::Output { name, ty, value }
            }
            "type" => {
                let name = self.expect_ident("expected the type's name")?;
                self.expect(TokenKind::Assign, "expected `=` after the type's name")?;
                let value = self.parse_type()?;
                StatementKind::Type { name, value }
            }
            "func" => self.parse_func()?,
            "import" => StatementKind::Import(self.parse_import()?),
            "extension" | "provider" => {
                let reference = match self.peek() {
                    TokenKind::Ident => ExtensionRef::Name(self.bump_ident()),
                    _ => ExtensionRef::Path(
                        self.expect_string("expected the extension's name or reference string")?,
                    ),
                };
                let (config, alias) = self.parse_with_and_alias()?;
                StatementKind::Extension {
                    reference,
                    config,
                    alias,
                }
            }
            "using" => {
                let target = if self.at_word("none") {
                    self.bump();
                    None
                } else {
                    Some(self.expect_string(
                        "expected the path of the Bicep file, such as `'./main.bicep'`, or `none`",
                    )?)
                };
                let config = self.parse_with()?;
                StatementKind::Using { target, config }
            }
            "extends" => StatementKind::Extends {
                path: self.expect_string("expected the path of the base parameters file")?,
            },
            "extensionConfig" => StatementKind::ExtensionConfig {
                alias: self.expect_ident("expected the alias of the extension to configure")?,
                config: self.parse_with()?,
            },
            "assert" => {
                let name = self.expect_ident("expected the assertion's name")?;
                self.expect(TokenKind::Assign, "expected `=` after the assertion's name")?;
                let value = self.parse_expr()?;
                StatementKind::Assert { name, value }
            }
            word => {
                return Err(self.error(
                    keyword.span(),
                    format!(
                        "unknown declaration `{word}`: expected `param`, `var`, `resource`, `module`, `output`, `type`, `func`, `import`, ..."
                    ),
                ));
            }
        };
        Ok(Statement {
            span: Span::new(start, self.prev_end),
            decorators,
            kind,
        })
    }

    fn parse_param(&mut self) -> PResult<StatementKind<'a>> {
        let name = self.expect_ident("expected the parameter's name")?;
        if self.eat(TokenKind::Assign).is_some() {
            let value = self.parse_expr()?;
            return Ok(StatementKind::Param {
                name,
                ty: None,
                value: Some(value),
            });
        }
        let ty = self.parse_type()?;
        let value = match self.peek() {
            TokenKind::Newline | TokenKind::Eof => None,
            _ => {
                self.expect(TokenKind::Assign, "expected `=` after the parameter's type")?;
                Some(self.parse_expr()?)
            }
        };
        Ok(StatementKind::Param {
            name,
            ty: Some(ty),
            value,
        })
    }

    /// After the `resource` keyword.
    fn parse_resource(&mut self) -> PResult<ResourceDecl<'a>> {
        let name = self.expect_ident("expected the resource's symbolic name")?;
        let type_string = self.expect_string(
            "expected the resource's type, such as `'Microsoft.Storage/storageAccounts@2023-05-01'`",
        )?;
        let existing = self.at_word("existing");
        if existing {
            self.bump();
        }
        self.expect(TokenKind::Assign, "expected `=` after the resource's type")?;
        let value = self.parse_body_value()?;
        Ok(ResourceDecl {
            name,
            type_string,
            existing,
            value,
        })
    }

    fn parse_func(&mut self) -> PResult<StatementKind<'a>> {
        let name = self.expect_ident("expected the function's name")?;
        self.expect(TokenKind::LParen, "expected `(` after the function's name")?;
        let params = self.with_newlines(true, |p| {
            let mut params = Vec::new();
            while p.eat(TokenKind::RParen).is_none() {
                if !params.is_empty() {
                    p.expect(
                        TokenKind::Comma,
                        "expected `,` or `)` after the function's parameter",
                    )?;
                }
                let name = p.expect_ident("expected the parameter's name")?;
                let ty = p.parse_type()?;
                params.push(TypedParam { name, ty });
            }
            Ok(params)
        })?;
        let return_type = self.parse_type()?;
        self.expect(
            TokenKind::Arrow,
            "expected `=>` after the function's return type",
        )?;
        self.skip_newlines_before_body();
        let body = self.parse_expr()?;
        Ok(StatementKind::Func {
            name,
            params,
            return_type,
            body,
        })
    }

    fn parse_import(&mut self) -> PResult<Import<'a>> {
        match self.peek() {
            TokenKind::LBrace => {
                let open = self.bump();
                let symbols = self.parse_list(open, TokenKind::RBrace, "import list", |p| {
                    // A symbol whose name is no identifier is named by a string (and aliased).
                    let name = if p.peek() == TokenKind::String {
                        let string = p.bump();
                        Ident {
                            name: &p.text[string.start as usize + 1..string.end as usize - 1],
                            span: string.span(),
                        }
                    } else {
                        p.expect_ident("expected the name of an imported symbol")?
                    };
                    let alias = p.parse_alias()?;
                    Ok(ImportedSymbol { name, alias })
                })?;
                let from = self.parse_from()?;
                Ok(Import::Symbols { symbols, from })
            }
            TokenKind::Star => {
                self.bump();
                if !self.at_word("as") {
                    return Err(self.error_here("expected `as` after `import *`"));
                }
                self.bump();
                let alias = self.expect_ident("expected the namespace's name after `as`")?;
                let from = self.parse_from()?;
                Ok(Import::Wildcard { alias, from })
            }
            _ => {
                let reference = self.expect_string(
                    "expected `{`, `*` or an extension reference string after `import`",
                )?;
                let (config, alias) = self.parse_with_and_alias()?;
                Ok(Import::Extension {
                    reference,
                    config,
                    alias,
                })
            }
        }
    }

    fn parse_from(&mut self) -> PResult<StringLiteral<'a>> {
        if !self.at_word("from") {
            return Err(self.error_here("expected `from` and the path of the imported file"));
        }
        self.bump();
        self.expect_string("expected the path of the imported file after `from`")
    }

    fn parse_alias(&mut self) -> PResult<Option<Ident<'a>>> {
        if !self.at_word("as") {
            return Ok(None);
        }
        self.bump();
        Ok(Some(self.expect_ident("expected a name after `as`")?))
    }

    fn parse_with(&mut self) -> PResult<Option<Expr<'a>>> {
        if !self.at_word("with") {
            return Ok(None);
        }
        self.bump();
        Ok(Some(self.parse_expr()?))
    }

    fn parse_with_and_alias(&mut self) -> PResult<(Option<Expr<'a>>, Option<Ident<'a>>)> {
        let config = self.parse_with()?;
        let alias = self.parse_alias()?;
        Ok((config, alias))
    }

    // ---- strings ----

    fn expect_string(&mut self, message: &str) -> PResult<StringLiteral<'a>> {
        match self.peek() {
            TokenKind::String | TokenKind::StringStart | TokenKind::MultilineString => {
                self.parse_string()
            }
            // The lexer reported it.
            TokenKind::BadString => Err(Abandoned),
            _ => Err(self.error_here(message)),
        }
    }

    /// A piece's text, escapes resolved in a `'...'` string; a multi-line string's as it is.
    fn text_part(&self, start: u32, end: u32, multiline: bool) -> Option<StringPart<'a>> {
        let raw = &self.text[start as usize..end as usize];
        (end > start).then(|| StringPart::Text {
            value: if multiline {
                Cow::Borrowed(raw)
            } else {
                cook(raw)
            },
            span: Span::new(start, end),
        })
    }

    /// A string starting at the current token (`String`, `StringStart` or `MultilineString`).
    fn parse_string(&mut self) -> PResult<StringLiteral<'a>> {
        let first = self.bump();
        // A multi-line string: its `$` (how many open each hole), then `'''`.
        let dollars = self.text[first.start as usize..]
            .bytes()
            .take_while(|&b| b == b'$')
            .count() as u32;
        let multiline = first.kind == TokenKind::MultilineString || dollars > 0;
        let (open, close) = match multiline {
            true => (dollars + 3, 3),
            false => (1, 1),
        };
        // A multi-line string ignores the newline right after its opening.
        let after_open = first.start + open;
        let skipped = match &self.text[after_open as usize..] {
            rest if multiline && rest.starts_with("\r\n") => 2,
            rest if multiline && rest.starts_with('\n') => 1,
            _ => 0,
        };
        let content_start = after_open + skipped;
        let mut parts = Vec::new();
        if first.kind == TokenKind::StringStart {
            // `${`, or as many `$` as the string opened with and `{`.
            let hole = if multiline { dollars + 1 } else { 2 };
            parts.extend(self.text_part(content_start, first.end - hole, multiline));
            loop {
                let expr = self.with_newlines(false, |p| p.parse_expr())?;
                parts.push(StringPart::Interpolation(expr));
                let piece = self.current();
                match piece.kind {
                    TokenKind::StringMiddle => {
                        self.bump();
                        parts.extend(self.text_part(piece.start + 1, piece.end - hole, multiline));
                    }
                    TokenKind::StringEnd => {
                        self.bump();
                        parts.extend(self.text_part(piece.start + 1, piece.end - close, multiline));
                        break;
                    }
                    TokenKind::BadString => return Err(Abandoned),
                    _ => {
                        return Err(self
                            .error_here("expected `}` to close the string's `${` interpolation"));
                    }
                }
            }
        } else {
            parts.extend(self.text_part(content_start, first.end - close, multiline));
        }
        let last_end = self.prev_end;
        Ok(StringLiteral {
            span: Span::new(first.start, last_end),
            content_span: Span::new(content_start, last_end - close),
            multiline,
            parts,
        })
    }

    // ---- expressions ----

    fn parse_expr(&mut self) -> PResult<Expr<'a>> {
        self.nested(|p| {
            let condition = p.parse_binary(0)?;
            p.continue_line_if(TokenKind::Question);
            if p.eat(TokenKind::Question).is_none() {
                return Ok(condition);
            }
            let then = p.parse_expr()?;
            p.continue_line_if(TokenKind::Colon);
            p.expect(
                TokenKind::Colon,
                "expected `:` after the ternary's `?` branch",
            )?;
            let otherwise = p.parse_expr()?;
            Ok(Expr {
                span: condition.span.to(otherwise.span),
                kind: ExprKind::Ternary {
                    condition: Box::new(condition),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
            })
        })
    }

    /// A resource's or module's value, or a loop's body: `if (c) {...}` or an expression.
    fn parse_body_value(&mut self) -> PResult<Expr<'a>> {
        // As the compiler reads it, the `=` may end its line when `if` starts the next.
        let next = self.tokens[(self.pos + 1).min(self.tokens.len() - 1)];
        if self.current().kind == TokenKind::Newline
            && next.kind == TokenKind::Ident
            && self.text_of(next) == "if"
        {
            self.pos += 1;
        }
        if !(self.at_word("if") && self.nth(1) == TokenKind::LParen) {
            return self.parse_expr();
        }
        let keyword = self.bump();
        self.bump();
        let condition = self.with_newlines(true, |p| {
            let condition = p.parse_expr()?;
            p.expect(TokenKind::RParen, "expected `)` after the condition")?;
            Ok(condition)
        })?;
        if self.peek() != TokenKind::LBrace {
            return Err(self.error_here("expected `{` and the body after the `if` condition"));
        }
        let body = self.parse_expr()?;
        Ok(Expr {
            span: keyword.span().to(body.span),
            kind: ExprKind::If {
                condition: Box::new(condition),
                body: Box::new(body),
            },
        })
    }

    /// Binary operators by precedence climbing; each operator chains left to right.
    fn parse_binary(&mut self, min_precedence: u8) -> PResult<Expr<'a>> {
        let mut left = self.parse_unary()?;
        let mut levels = 0;
        let result = loop {
            let Some((op, precedence)) = binary_op(self.peek()) else {
                break Ok(left);
            };
            if precedence < min_precedence {
                break Ok(left);
            }
            // A left-leaning chain deepens the tree like nesting does.
            if let Err(stop) = self.enter() {
                break Err(stop);
            }
            levels += 1;
            self.bump();
            let right = match self.parse_binary(precedence + 1) {
                Ok(right) => right,
                Err(stop) => break Err(stop),
            };
            left = Expr {
                span: left.span.to(right.span),
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
            };
        };
        self.depth -= levels;
        result
    }

    fn parse_unary(&mut self) -> PResult<Expr<'a>> {
        let op = match self.peek() {
            TokenKind::Exclamation => UnaryOp::Not,
            TokenKind::Minus => UnaryOp::Minus,
            _ => return self.parse_postfix(),
        };
        let token = self.bump();
        self.nested(|p| {
            let operand = p.parse_unary()?;
            Ok(Expr {
                span: token.span().to(operand.span),
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
            })
        })
    }

    fn parse_postfix(&mut self) -> PResult<Expr<'a>> {
        let mut expr = self.parse_primary()?;
        let mut levels = 0;
        let result = loop {
            if !matches!(
                self.peek(),
                TokenKind::Dot
                    | TokenKind::DoubleColon
                    | TokenKind::LBracket
                    | TokenKind::Exclamation
            ) {
                break Ok(expr);
            }
            // A postfix chain deepens the tree like nesting does.
            if let Err(stop) = self.enter() {
                break Err(stop);
            }
            levels += 1;
            match self.parse_postfix_step(expr) {
                Ok(next) => expr = next,
                Err(stop) => break Err(stop),
            }
        };
        self.depth -= levels;
        result
    }

    fn parse_postfix_step(&mut self, base: Expr<'a>) -> PResult<Expr<'a>> {
        let start = base.span;
        let base = Box::new(base);
        let kind = match self.bump().kind {
            TokenKind::Dot => {
                let safe = self.eat(TokenKind::Question).is_some();
                let name = self.expect_ident("expected a property or function name after `.`")?;
                if !safe && self.peek() == TokenKind::LParen {
                    self.bump();
                    let args = self.parse_call_args()?;
                    ExprKind::Call {
                        base: Some(base),
                        name,
                        args,
                    }
                } else {
                    ExprKind::Member { base, name, safe }
                }
            }
            TokenKind::DoubleColon => {
                let name = self.expect_ident("expected a child resource's name after `::`")?;
                ExprKind::NestedResource { base, name }
            }
            TokenKind::LBracket => self.with_newlines(true, |p| {
                let safe = p.eat(TokenKind::Question).is_some();
                let from_end = p.eat(TokenKind::Hat).is_some();
                let index = p.parse_expr()?;
                p.expect(TokenKind::RBracket, "expected `]` after the index")?;
                Ok(ExprKind::Index {
                    base,
                    index: Box::new(index),
                    safe,
                    from_end,
                })
            })?,
            _ => ExprKind::NonNull(base),
        };
        Ok(Expr {
            span: start.to(Span::new(self.prev_end, self.prev_end)),
            kind,
        })
    }

    /// After `(`: arguments up to and including `)`.
    fn parse_call_args(&mut self) -> PResult<Vec<Expr<'a>>> {
        self.with_newlines(true, |p| {
            let mut args = Vec::new();
            while p.eat(TokenKind::RParen).is_none() {
                if !args.is_empty() {
                    p.expect(TokenKind::Comma, "expected `,` or `)` after the argument")?;
                }
                args.push(p.parse_expr()?);
            }
            Ok(args)
        })
    }

    fn parse_primary(&mut self) -> PResult<Expr<'a>> {
        let token = self.current();
        let kind = match self.peek() {
            TokenKind::String | TokenKind::StringStart | TokenKind::MultilineString => {
                let string = self.parse_string()?;
                return Ok(Expr {
                    span: string.span,
                    kind: ExprKind::String(string),
                });
            }
            TokenKind::BadString => {
                self.bump();
                return Err(Abandoned);
            }
            TokenKind::Int => {
                let token = self.bump();
                match self.text_of(token).parse() {
                    Ok(value) => ExprKind::Int(value),
                    Err(_) => {
                        self.error(token.span(), "integer is too large");
                        ExprKind::Error
                    }
                }
            }
            TokenKind::Ident => return self.parse_ident_expr(),
            TokenKind::LBrace => return self.parse_object(),
            TokenKind::LBracket => return self.parse_array(),
            TokenKind::LParen => return self.parse_paren_or_lambda(),
            _ => return Err(self.error_here("expected an expression")),
        };
        Ok(Expr {
            span: Span::new(token.start, self.prev_end),
            kind,
        })
    }

    fn parse_ident_expr(&mut self) -> PResult<Expr<'a>> {
        let token = self.bump();
        let ident = self.ident(token);
        let kind = match self.peek() {
            TokenKind::Arrow => {
                self.bump();
                self.skip_newlines_before_body();
                let body = self.parse_expr()?;
                ExprKind::Lambda {
                    params: vec![ident],
                    body: Box::new(body),
                }
            }
            TokenKind::LParen => {
                self.bump();
                let args = self.parse_call_args()?;
                ExprKind::Call {
                    base: None,
                    name: ident,
                    args,
                }
            }
            _ => match ident.name {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                "null" => ExprKind::Null,
                _ => ExprKind::Ident(ident),
            },
        };
        Ok(Expr {
            span: Span::new(token.start, self.prev_end),
            kind,
        })
    }

    /// `(expr)`, or a lambda's parameter list `(a, b) => body` / `() => body`.
    fn parse_paren_or_lambda(&mut self) -> PResult<Expr<'a>> {
        let open = self.bump();
        let items = self.with_newlines(true, |p| {
            let mut items = Vec::new();
            while p.eat(TokenKind::RParen).is_none() {
                if !items.is_empty() {
                    p.expect(TokenKind::Comma, "expected `,` or `)`")?;
                }
                items.push(p.parse_expr()?);
            }
            Ok(items)
        })?;
        let close_end = self.prev_end;
        if self.eat(TokenKind::Arrow).is_none() {
            let mut items = items;
            return match (items.pop(), items.is_empty()) {
                (Some(inner), true) => Ok(Expr {
                    span: Span::new(open.start, close_end),
                    kind: ExprKind::Paren(Box::new(inner)),
                }),
                _ => Err(self.error(
                    Span::new(open.start, close_end),
                    "expected one expression in parentheses, or `=>` after a lambda's parameters",
                )),
            };
        }
        self.skip_newlines_before_body();
        let mut params = Vec::with_capacity(items.len());
        for item in items {
            match item.kind {
                ExprKind::Ident(ident) => params.push(ident),
                _ => return Err(self.error(item.span, "expected a lambda parameter's name")),
            }
        }
        let body = self.parse_expr()?;
        Ok(Expr {
            span: open.span().to(body.span),
            kind: ExprKind::Lambda {
                params,
                body: Box::new(body),
            },
        })
    }

    fn parse_object(&mut self) -> PResult<Expr<'a>> {
        let open = self.bump();
        let items = self
            .nested(|p| p.parse_list(open, TokenKind::RBrace, "object", Self::parse_object_item))?;
        Ok(Expr {
            span: Span::new(open.start, self.prev_end),
            kind: ExprKind::Object(items),
        })
    }

    fn parse_object_item(&mut self) -> PResult<ObjectItem<'a>> {
        let start = self.current().start;
        let decorators = self.parse_decorators()?;
        if let Some(dots) = self.eat(TokenKind::Ellipsis) {
            let value = self.parse_expr()?;
            return Ok(ObjectItem::Spread {
                span: dots.span().to(value.span),
                value,
            });
        }
        if self.at_word("resource") && self.nth(1) == TokenKind::Ident {
            self.bump();
            let resource = self.parse_resource()?;
            return Ok(ObjectItem::Resource(Box::new(Statement {
                span: Span::new(start, self.prev_end),
                decorators,
                kind: StatementKind::Resource(resource),
            })));
        }
        let key = self.parse_property_key()?;
        self.expect(TokenKind::Colon, "expected `:` after the property's name")?;
        let value = self.parse_expr()?;
        Ok(ObjectItem::Property(ObjectProperty {
            span: Span::new(start, self.prev_end),
            decorators,
            key,
            value,
        }))
    }

    fn parse_property_key(&mut self) -> PResult<PropertyKey<'a>> {
        match self.peek() {
            TokenKind::Ident => Ok(PropertyKey::Ident(self.bump_ident())),
            TokenKind::String | TokenKind::StringStart | TokenKind::MultilineString => {
                Ok(PropertyKey::String(self.parse_string()?))
            }
            TokenKind::BadString => Err(Abandoned),
            _ => Err(self.error_here("expected a property's name")),
        }
    }

    fn parse_array(&mut self) -> PResult<Expr<'a>> {
        let open = self.bump();
        let mut lookahead = self.pos;
        while self.tokens[lookahead].kind == TokenKind::Newline {
            lookahead += 1;
        }
        let next = self.tokens[lookahead];
        if next.kind == TokenKind::Ident
            && self.text_of(next) == "for"
            && matches!(
                self.tokens[lookahead + 1].kind,
                TokenKind::Ident | TokenKind::LParen
            )
        {
            self.pos = lookahead;
            return self.nested(|p| p.parse_for(open));
        }
        let items = self.nested(|p| {
            p.parse_list(open, TokenKind::RBracket, "array", |p| {
                if let Some(dots) = p.eat(TokenKind::Ellipsis) {
                    let value = p.parse_expr()?;
                    return Ok(ArrayItem::Spread {
                        span: dots.span().to(value.span),
                        value,
                    });
                }
                Ok(ArrayItem::Value(p.parse_expr()?))
            })
        })?;
        Ok(Expr {
            span: Span::new(open.start, self.prev_end),
            kind: ExprKind::Array(items),
        })
    }

    /// After `[`, at `for`.
    fn parse_for(&mut self, open: Token) -> PResult<Expr<'a>> {
        self.with_newlines(false, |p| {
            p.bump();
            let (item, index) = if p.eat(TokenKind::LParen).is_some() {
                let item = p.expect_ident("expected the loop's item variable")?;
                let index = match p.eat(TokenKind::Comma) {
                    Some(_) => Some(p.expect_ident("expected the loop's index variable")?),
                    None => None,
                };
                p.expect(TokenKind::RParen, "expected `)` after the loop's variables")?;
                (item, index)
            } else {
                (p.expect_ident("expected the loop's item variable")?, None)
            };
            if !p.at_word("in") {
                return Err(p.error_here("expected `in` after the loop's variables"));
            }
            p.bump();
            let iterable = p.parse_expr()?;
            p.expect(TokenKind::Colon, "expected `:` after the loop's collection")?;
            let body = p.parse_body_value()?;
            p.skip_newline_tokens();
            p.expect(TokenKind::RBracket, "expected `]` to close the `for` loop")?;
            Ok(Expr {
                span: Span::new(open.start, p.prev_end),
                kind: ExprKind::For(Box::new(ForExpr {
                    item,
                    index,
                    iterable,
                    body,
                })),
            })
        })
    }

    // ---- types ----

    fn parse_type(&mut self) -> PResult<TypeExpr<'a>> {
        self.nested(|p| {
            p.continue_line_if(TokenKind::Pipe);
            let leading_pipe = p.eat(TokenKind::Pipe);
            let first = p.parse_type_postfix()?;
            let mut members = Vec::new();
            loop {
                p.continue_line_if(TokenKind::Pipe);
                if p.eat(TokenKind::Pipe).is_none() {
                    break;
                }
                members.push(p.parse_type_postfix()?);
            }
            if members.is_empty() && leading_pipe.is_none() {
                return Ok(first);
            }
            let start = leading_pipe.map_or(first.span, Token::span);
            members.insert(0, first);
            Ok(TypeExpr {
                span: start.to(Span::new(p.prev_end, p.prev_end)),
                kind: TypeKind::Union(members),
            })
        })
    }

    fn parse_type_postfix(&mut self) -> PResult<TypeExpr<'a>> {
        let mut ty = self.parse_type_primary()?;
        let mut levels = 0;
        let result = loop {
            if !matches!(
                self.peek(),
                TokenKind::Question | TokenKind::LBracket | TokenKind::Dot | TokenKind::Exclamation
            ) {
                break Ok(ty);
            }
            if let Err(stop) = self.enter() {
                break Err(stop);
            }
            levels += 1;
            match self.parse_type_postfix_step(ty) {
                Ok(next) => ty = next,
                Err(stop) => break Err(stop),
            }
        };
        self.depth -= levels;
        result
    }

    fn parse_type_postfix_step(&mut self, base: TypeExpr<'a>) -> PResult<TypeExpr<'a>> {
        let start = base.span;
        let base = Box::new(base);
        let kind = match self.bump().kind {
            TokenKind::Question => TypeKind::Nullable(base),
            TokenKind::Exclamation => TypeKind::NonNullable(base),
            TokenKind::LBracket => {
                if self.eat(TokenKind::RBracket).is_some() {
                    TypeKind::Array(base)
                } else {
                    let accessor = if self.eat(TokenKind::Star).is_some() {
                        TypeAccessor::ArrayItem
                    } else {
                        let index = self.expect(
                            TokenKind::Int,
                            "expected `]`, `*` or an integer index after `[` in a type",
                        )?;
                        match self.text_of(index).parse() {
                            Ok(value) => TypeAccessor::Index(value),
                            Err(_) => return Err(self.error(index.span(), "integer is too large")),
                        }
                    };
                    self.expect(TokenKind::RBracket, "expected `]` after the type's index")?;
                    TypeKind::Access { base, accessor }
                }
            }
            _ => {
                let accessor = if self.eat(TokenKind::Star).is_some() {
                    TypeAccessor::AdditionalProperties
                } else {
                    let name =
                        self.expect_ident("expected a property name or `*` after `.` in a type")?;
                    // A generic type of a namespace, `sys.resourceInput<'T@v'>`.
                    if matches!(base.kind, TypeKind::Name(_)) && self.peek() == TokenKind::Less {
                        let args = self.parse_type_args()?;
                        return Ok(TypeExpr {
                            span: start.to(Span::new(self.prev_end, self.prev_end)),
                            kind: TypeKind::Parameterized { name, args },
                        });
                    }
                    TypeAccessor::Property(name)
                };
                TypeKind::Access { base, accessor }
            }
        };
        Ok(TypeExpr {
            span: start.to(Span::new(self.prev_end, self.prev_end)),
            kind,
        })
    }

    fn parse_type_primary(&mut self) -> PResult<TypeExpr<'a>> {
        let start = self.current().start;
        let kind = match self.peek() {
            TokenKind::Ident => {
                let token = self.bump();
                let ident = self.ident(token);
                match (ident.name, self.peek()) {
                    ("resource", TokenKind::String | TokenKind::StringStart) => {
                        TypeKind::Resource(self.parse_string()?)
                    }
                    (_, TokenKind::Less) => TypeKind::Parameterized {
                        name: ident,
                        args: self.parse_type_args()?,
                    },
                    ("true", _) => TypeKind::Bool(true),
                    ("false", _) => TypeKind::Bool(false),
                    ("null", _) => TypeKind::Null,
                    _ => TypeKind::Name(ident),
                }
            }
            TokenKind::String | TokenKind::StringStart | TokenKind::MultilineString => {
                TypeKind::String(self.parse_string()?)
            }
            TokenKind::BadString => {
                self.bump();
                return Err(Abandoned);
            }
            // `!true` is `false`; the compiler takes no other operand.
            TokenKind::Exclamation => {
                self.bump();
                match self.parse_type_primary()?.kind {
                    TypeKind::Bool(value) => TypeKind::Bool(!value),
                    _ => {
                        return Err(self.error(
                            Span::new(start, self.prev_end),
                            "expected `true` or `false` after `!` in a type",
                        ));
                    }
                }
            }
            TokenKind::Int | TokenKind::Minus => {
                let negative = self.eat(TokenKind::Minus).is_some();
                let token = self.expect(TokenKind::Int, "expected an integer after `-`")?;
                match self.text_of(token).parse() {
                    Ok(value) => TypeKind::Int { negative, value },
                    Err(_) => return Err(self.error(token.span(), "integer is too large")),
                }
            }
            TokenKind::LBrace => {
                let open = self.bump();
                self.nested(|p| {
                    p.parse_list(
                        open,
                        TokenKind::RBrace,
                        "object type",
                        Self::parse_object_type_item,
                    )
                })
                .map(TypeKind::Object)?
            }
            TokenKind::LBracket => {
                let open = self.bump();
                self.nested(|p| {
                    p.parse_list(open, TokenKind::RBracket, "tuple type", |p| {
                        let decorators = p.parse_decorators()?;
                        let value = p.parse_type()?;
                        Ok(TupleTypeItem { decorators, value })
                    })
                })
                .map(TypeKind::Tuple)?
            }
            TokenKind::LParen => {
                self.bump();
                let inner = self.with_newlines(true, |p| {
                    let inner = p.parse_type()?;
                    p.expect(TokenKind::RParen, "expected `)` after the type")?;
                    Ok(inner)
                })?;
                TypeKind::Paren(Box::new(inner))
            }
            _ => return Err(self.error_here("expected a type")),
        };
        Ok(TypeExpr {
            span: Span::new(start, self.prev_end),
            kind,
        })
    }

    /// After a generic type's name, at `<`: its arguments up to and including `>`.
    fn parse_type_args(&mut self) -> PResult<Vec<TypeExpr<'a>>> {
        self.bump();
        self.with_newlines(true, |p| {
            let mut args = vec![p.parse_type()?];
            while p.eat(TokenKind::Comma).is_some() {
                args.push(p.parse_type()?);
            }
            p.expect(
                TokenKind::Greater,
                "expected `>` after the type's arguments",
            )?;
            Ok(args)
        })
    }

    fn parse_object_type_item(&mut self) -> PResult<ObjectTypeItem<'a>> {
        let start = self.current().start;
        let decorators = self.parse_decorators()?;
        if self.eat(TokenKind::Ellipsis).is_some() {
            let value = self.parse_type()?;
            return Ok(ObjectTypeItem::Spread {
                span: Span::new(start, self.prev_end),
                value,
            });
        }
        if self.eat(TokenKind::Star).is_some() {
            self.expect(TokenKind::Colon, "expected `:` after `*`")?;
            let value = self.parse_type()?;
            return Ok(ObjectTypeItem::Additional {
                span: Span::new(start, self.prev_end),
                decorators,
                value,
            });
        }
        let key = self.parse_property_key()?;
        let optional = self.eat(TokenKind::Question).is_some();
        self.expect(TokenKind::Colon, "expected `:` after the property's name")?;
        let value = self.parse_type()?;
        Ok(ObjectTypeItem::Property {
            span: Span::new(start, self.prev_end),
            decorators,
            key,
            optional,
            value,
        })
    }
}

fn opens(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::LBrace | TokenKind::LBracket | TokenKind::LParen | TokenKind::StringStart
    )
}

fn closes(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::RBrace | TokenKind::RBracket | TokenKind::RParen | TokenKind::StringEnd
    )
}

/// Bicep's binary operators with their precedence (higher binds tighter).
fn binary_op(kind: TokenKind) -> Option<(BinaryOp, u8)> {
    use BinaryOp::*;
    Some(match kind {
        TokenKind::DoubleQuestion => (Coalesce, 1),
        TokenKind::Or => (Or, 2),
        TokenKind::And => (And, 3),
        TokenKind::Equals => (Equals, 4),
        TokenKind::NotEquals => (NotEquals, 4),
        TokenKind::EqualsIgnoreCase => (EqualsIgnoreCase, 4),
        TokenKind::NotEqualsIgnoreCase => (NotEqualsIgnoreCase, 4),
        TokenKind::Less => (Less, 5),
        TokenKind::LessOrEqual => (LessOrEqual, 5),
        TokenKind::Greater => (Greater, 5),
        TokenKind::GreaterOrEqual => (GreaterOrEqual, 5),
        TokenKind::Plus => (Add, 6),
        TokenKind::Minus => (Subtract, 6),
        TokenKind::Star => (Multiply, 7),
        TokenKind::Slash => (Divide, 7),
        TokenKind::Percent => (Modulo, 7),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bicep::lexer::lex;

    /// `text` parsed in one piece, and split at every declaration it can be.
    fn both_ways(text: &str) -> [(Program<'_>, Vec<SyntaxError>); 2] {
        let never = || false;
        [usize::MAX, 1].map(|size| {
            let lexed = lex(text, 0);
            parse_in_pieces(text, lexed.tokens, lexed.errors, &never, size).unwrap()
        })
    }

    #[test]
    fn a_file_parsed_in_pieces_is_parsed_as_in_one() {
        let texts = [
            // Clean, with decorators and a comment between declarations.
            "@description('x')\n@minLength(1)\nparam a string\n\n// c\nvar b = a\nresource r 'T@1' = {\n  name: b\n}\noutput o string = r.id\n",
            // A broken declaration before, inside and at the end of a piece.
            "var a = \nvar b = 1\nresource r 'T@1' = {\n  name: 'x'\nvar c = 2\noutput o int = c\n",
            // A stray closing bracket: no split after it.
            "var a = 1\n}\nvar b = 2\nvar c = 3\n",
            // A lambda whose body is missing at the end of a line, a bad string, a decorator
            // with nothing after it.
            "var f = x =>\nvar g = 'abc\nvar h = 1\n@description('d')\n",
            // Multi-line strings and interpolation holes across lines.
            "var a = '''\nvar b = 1\n'''\nvar c = '${a}-${\n1}'\nvar d = 2\n",
        ];
        let first = lex(texts[0], 0).tokens;
        assert_eq!(split_points(texts[0], &first, 1).len(), 3);
        for text in texts {
            let [one, pieces] = both_ways(text);
            assert_eq!(one, pieces, "{text}");
        }
        let deep = format!("var a = {}\nvar b = 1\nvar c = 2\n", "[".repeat(300));
        let [one, pieces] = both_ways(&deep);
        assert_eq!(one, pieces);
    }

    /// Every file of the Bicep corpus (the folder `WPS_LINT_BICEP_CORPUS` names, when set) is
    /// parsed the same in pieces; a file below `PIECE_TOKENS` is never split in a real run,
    /// so this is where splits meet real files.
    #[test]
    fn the_corpus_parsed_in_pieces_is_parsed_as_in_one() {
        let Some(dir) = std::env::var_os("WPS_LINT_BICEP_CORPUS") else {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: set WPS_LINT_BICEP_CORPUS");
            return;
        };
        let mut folders = vec![std::path::PathBuf::from(dir)];
        let mut checked = 0;
        while let Some(folder) = folders.pop() {
            for path in std::fs::read_dir(folder)
                .unwrap()
                .flatten()
                .map(|e| e.path())
            {
                if path.is_dir() {
                    folders.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "bicep" || e == "bicepparam")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    let [one, pieces] = both_ways(&text);
                    assert!(one == pieces, "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }
}
