//! The typed syntax tree of a Bicep file: every node keeps the byte span it was parsed from,
//! and names and string contents borrow from the source text where no cooking was needed.

use std::borrow::Cow;
use std::ops::Range;

/// A byte range `start..end` in the parsed text (offsets count a leading BOM, if any).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end.max(self.start))
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A name as written: a symbol, a property, a function or a keyword used as a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ident<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A string literal: `'...'`, which may interpolate `${...}`; `'''...'''`, which never does; or
/// `$'''...'''`, a multi-line string that interpolates `${...}` (`$$'''...$${...}'''` with two
/// `$`, and so on).
#[derive(Clone, Debug, PartialEq)]
pub struct StringLiteral<'a> {
    /// The literal, quotes included.
    pub span: Span,
    /// Between the quotes (after the newline a `'''` string ignores right after its opening).
    pub content_span: Span,
    pub multiline: bool,
    /// Text and interpolations in order; empty texts are left out, so `''` has no parts.
    pub parts: Vec<StringPart<'a>>,
}

impl<'a> StringLiteral<'a> {
    /// The cooked value when the string interpolates nothing.
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [StringPart::Text { value, .. }] => Some(value),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StringPart<'a> {
    /// Escapes already resolved; `span` is the raw text in the source.
    Text {
        value: Cow<'a, str>,
        span: Span,
    },
    Interpolation(Expr<'a>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Program<'a> {
    pub statements: Vec<Statement<'a>>,
}

/// `@name(args)` or `@namespace.name(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Decorator<'a> {
    pub span: Span,
    pub namespace: Option<Ident<'a>>,
    pub name: Ident<'a>,
    pub args: Vec<Expr<'a>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement<'a> {
    /// From the first decorator (if any) to the end of the declaration.
    pub span: Span,
    pub decorators: Vec<Decorator<'a>>,
    pub kind: StatementKind<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind<'a> {
    Metadata {
        name: Ident<'a>,
        value: Expr<'a>,
    },
    TargetScope {
        value: Expr<'a>,
    },
    /// `param name type [= default]` in `.bicep`; `param name = value` in `.bicepparam`.
    Param {
        name: Ident<'a>,
        ty: Option<TypeExpr<'a>>,
        value: Option<Expr<'a>>,
    },
    Var {
        name: Ident<'a>,
        ty: Option<TypeExpr<'a>>,
        value: Expr<'a>,
    },
    Resource(ResourceDecl<'a>),
    Module {
        name: Ident<'a>,
        path: StringLiteral<'a>,
        value: Expr<'a>,
    },
    /// The type of `output x resource 'T@v' = ...` is a [`TypeKind::Resource`].
    Output {
        name: Ident<'a>,
        ty: TypeExpr<'a>,
        value: Expr<'a>,
    },
    Type {
        name: Ident<'a>,
        value: TypeExpr<'a>,
    },
    Func {
        name: Ident<'a>,
        params: Vec<TypedParam<'a>>,
        return_type: TypeExpr<'a>,
        body: Expr<'a>,
    },
    Import(Import<'a>),
    /// `extension name`, `extension 'ref' with {...} as alias`; also the older `provider`.
    Extension {
        reference: ExtensionRef<'a>,
        config: Option<Expr<'a>>,
        alias: Option<Ident<'a>>,
    },
    /// `using 'main.bicep'`; `target` is `None` for `using none`.
    Using {
        target: Option<StringLiteral<'a>>,
        config: Option<Expr<'a>>,
    },
    Extends {
        path: StringLiteral<'a>,
    },
    /// `extensionConfig alias with {...}` in a `.bicepparam`: an extension's configuration.
    ExtensionConfig {
        alias: Ident<'a>,
        config: Option<Expr<'a>>,
    },
    Assert {
        name: Ident<'a>,
        value: Expr<'a>,
    },
    /// A declaration that did not parse; its errors are in [`crate::bicep::Parsed::errors`].
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDecl<'a> {
    pub name: Ident<'a>,
    /// `'Microsoft.X/y@version'`, or a child's relative type such as `'subnets'`.
    pub type_string: StringLiteral<'a>,
    pub existing: bool,
    /// An object, `if (c) {...}` ([`ExprKind::If`]) or `[for ...]` ([`ExprKind::For`]).
    pub value: Expr<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypedParam<'a> {
    pub name: Ident<'a>,
    pub ty: TypeExpr<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExtensionRef<'a> {
    Name(Ident<'a>),
    Path(StringLiteral<'a>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Import<'a> {
    /// `import { a, b as c } from 'x.bicep'`
    Symbols {
        symbols: Vec<ImportedSymbol<'a>>,
        from: StringLiteral<'a>,
    },
    /// `import * as ns from 'x.bicep'`
    Wildcard {
        alias: Ident<'a>,
        from: StringLiteral<'a>,
    },
    /// The older extension form `import 'az@1.0.0' [with {...}] [as alias]`.
    Extension {
        reference: StringLiteral<'a>,
        config: Option<Expr<'a>>,
        alias: Option<Ident<'a>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedSymbol<'a> {
    /// The name in the imported file; for one written as a string, its text between the quotes.
    pub name: Ident<'a>,
    pub alias: Option<Ident<'a>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr<'a> {
    pub span: Span,
    pub kind: ExprKind<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind<'a> {
    String(StringLiteral<'a>),
    /// Digits only; a minus sign is a [`UnaryOp::Minus`].
    Int(u64),
    Bool(bool),
    Null,
    Ident(Ident<'a>),
    Object(Vec<ObjectItem<'a>>),
    Array(Vec<ArrayItem<'a>>),
    /// `base.name`, or `base.?name` when `safe`.
    Member {
        base: Box<Expr<'a>>,
        name: Ident<'a>,
        safe: bool,
    },
    /// `base[index]`, `base[?index]` when `safe`; `[^index]` and `[?^index]` count from the
    /// end (`from_end`).
    Index {
        base: Box<Expr<'a>>,
        index: Box<Expr<'a>>,
        safe: bool,
        from_end: bool,
    },
    /// `parent::child`
    NestedResource {
        base: Box<Expr<'a>>,
        name: Ident<'a>,
    },
    /// Postfix `expr!`
    NonNull(Box<Expr<'a>>),
    /// `name(args)`, or `base.name(args)` for a namespace (`sys.concat`, `az.resourceGroup`) or
    /// a resource (`storage.listKeys()`).
    Call {
        base: Option<Box<Expr<'a>>>,
        name: Ident<'a>,
        args: Vec<Expr<'a>>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr<'a>>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr<'a>>,
        right: Box<Expr<'a>>,
    },
    Ternary {
        condition: Box<Expr<'a>>,
        then: Box<Expr<'a>>,
        otherwise: Box<Expr<'a>>,
    },
    Paren(Box<Expr<'a>>),
    Lambda {
        params: Vec<Ident<'a>>,
        body: Box<Expr<'a>>,
    },
    For(Box<ForExpr<'a>>),
    /// `if (condition) {...}`: only as a resource or module body, or a loop's body.
    If {
        condition: Box<Expr<'a>>,
        body: Box<Expr<'a>>,
    },
    /// An expression that did not parse; its error is in [`crate::bicep::Parsed::errors`].
    Error,
}

/// `[for item in iterable: body]` or `[for (item, index) in iterable: body]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr<'a> {
    pub item: Ident<'a>,
    pub index: Option<Ident<'a>>,
    pub iterable: Expr<'a>,
    pub body: Expr<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Minus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Equals,
    NotEquals,
    EqualsIgnoreCase,
    NotEqualsIgnoreCase,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Coalesce,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectItem<'a> {
    Property(ObjectProperty<'a>),
    /// `...expr`
    Spread {
        span: Span,
        value: Expr<'a>,
    },
    /// A child resource declared in its parent's body; its kind is [`StatementKind::Resource`].
    Resource(Box<Statement<'a>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectProperty<'a> {
    pub span: Span,
    pub decorators: Vec<Decorator<'a>>,
    pub key: PropertyKey<'a>,
    pub value: Expr<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PropertyKey<'a> {
    Ident(Ident<'a>),
    String(StringLiteral<'a>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem<'a> {
    Value(Expr<'a>),
    /// `...expr`
    Spread {
        span: Span,
        value: Expr<'a>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr<'a> {
    pub span: Span,
    pub kind: TypeKind<'a>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind<'a> {
    /// `string`, `object`, a user-defined type or an imported one.
    Name(Ident<'a>),
    /// `resourceInput<'T@v'>`, `resourceOutput<'T@v'>` and other generic types (also with their
    /// namespace, `sys.resourceInput<'T@v'>`).
    Parameterized {
        name: Ident<'a>,
        args: Vec<TypeExpr<'a>>,
    },
    /// `resource 'T@v'` (a resource-typed parameter or output).
    Resource(StringLiteral<'a>),
    String(StringLiteral<'a>),
    Int {
        negative: bool,
        value: u64,
    },
    Bool(bool),
    Null,
    Object(Vec<ObjectTypeItem<'a>>),
    /// `[string, int]`
    Tuple(Vec<TupleTypeItem<'a>>),
    /// `T[]`
    Array(Box<TypeExpr<'a>>),
    /// `T?`
    Nullable(Box<TypeExpr<'a>>),
    /// `T!`
    NonNullable(Box<TypeExpr<'a>>),
    /// `a | b | c`, flat.
    Union(Vec<TypeExpr<'a>>),
    Paren(Box<TypeExpr<'a>>),
    /// `sys.string`, `T.prop`, `T[0]`, `T[*]`, `T.*`
    Access {
        base: Box<TypeExpr<'a>>,
        accessor: TypeAccessor<'a>,
    },
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeAccessor<'a> {
    Property(Ident<'a>),
    Index(u64),
    /// `[*]`
    ArrayItem,
    /// `.*`
    AdditionalProperties,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectTypeItem<'a> {
    /// `key: T` or, when `optional`, `key?: T`.
    Property {
        span: Span,
        decorators: Vec<Decorator<'a>>,
        key: PropertyKey<'a>,
        optional: bool,
        value: TypeExpr<'a>,
    },
    /// `*: T`
    Additional {
        span: Span,
        decorators: Vec<Decorator<'a>>,
        value: TypeExpr<'a>,
    },
    /// `...T`
    Spread { span: Span, value: TypeExpr<'a> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TupleTypeItem<'a> {
    pub decorators: Vec<Decorator<'a>>,
    pub value: TypeExpr<'a>,
}
