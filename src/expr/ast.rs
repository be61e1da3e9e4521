//! The template expression language's syntax tree. Offsets are byte offsets into the text
//! between the brackets of `"[...]"`.

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    String(String),
    Int(i64),
    Bool(bool),
    Null,
    /// `name(args)` or `namespace.name(args)` (a user-defined function).
    Call {
        namespace: Option<String>,
        name: String,
        args: Vec<Expr>,
    },
    /// `base.name`
    Member {
        base: Box<Expr>,
        name: String,
    },
    /// `base[index]`
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
}

impl Expr {
    /// Visits this expression and every one inside it.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(visit)),
            ExprKind::Member { base, .. } => base.walk(visit),
            ExprKind::Index { base, index } => {
                base.walk(visit);
                index.walk(visit);
            }
            _ => {}
        }
    }

    /// The literal string this expression is, if it is one.
    pub fn as_literal_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// `true` for a call of the built-in `name` (case-insensitive, no namespace).
    pub fn is_call_to(&self, name: &str) -> bool {
        matches!(&self.kind, ExprKind::Call { namespace: None, name: n, .. } if n.eq_ignore_ascii_case(name))
    }
}

/// What a JSON string in a template is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StringForm<'a> {
    /// A plain string; `[[` escapes have been taken off.
    Literal(&'a str),
    /// The text between `[` and `]`.
    Expression(&'a str),
}

pub fn classify(s: &str) -> StringForm<'_> {
    if let Some(rest) = s.strip_prefix("[[") {
        let _ = rest;
        StringForm::Literal(&s[1..])
    } else if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') {
        StringForm::Expression(&s[1..s.len() - 1])
    } else {
        StringForm::Literal(s)
    }
}
