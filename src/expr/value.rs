//! Values of the static evaluator. Besides JSON-like values there are two kinds of "not known
//! here": `Unknown` (nothing can be said, e.g. `reference()` output) and symbols (a definite but
//! unnamed value, e.g. "parameter `kv`, no value given"). A symbol equals itself, so
//! `resourceId('Microsoft.KeyVault/vaults', parameters('kv'))` and a vault named
//! `[parameters('kv')]` are the same vault without knowing `kv`.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A definite value whose content is not known statically, identified by a canonical key
/// (e.g. `parameters('kv')`, `resourceGroup().name`). Equal keys mean equal values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Symbol(Arc<str>);

/// Encloses the owner of a symbol inside its key. The key is what compares; the owner mark is
/// left out when the key is shown.
const OWNER_MARK: char = '\u{1f}';

impl Symbol {
    pub fn new(key: impl Into<Arc<str>>) -> Symbol {
        Symbol(key.into())
    }

    /// A symbol that only equals symbols of the same owner: a parameter with no value is one
    /// value within its template (or nested deployment), but unrelated to a same-named
    /// parameter of another template.
    pub fn owned(key: &str, owner: impl fmt::Display) -> Symbol {
        Symbol::new(format!("{key}{OWNER_MARK}{owner}{OWNER_MARK}"))
    }

    /// The key as it compares, owner marks included; derived symbols are built from it.
    pub fn key(&self) -> &str {
        &self.0
    }

    /// The key as users read it, without owner marks.
    pub fn shown(&self) -> String {
        self.0.split(OWNER_MARK).step_by(2).collect()
    }

    /// The symbol for a property of this one (`parameters('cfg').name`).
    pub fn member(&self, name: &str) -> Symbol {
        Symbol::new(format!("{}.{}", self.0, name))
    }

    pub fn index(&self, index: &str) -> Symbol {
        Symbol::new(format!("{}[{}]", self.0, index))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Part {
    Lit(String),
    Sym(Symbol),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Lit(s) => s.len(),
            Part::Sym(s) => s.key().len(),
        }
    }
}

/// A string made of literal text and symbols. Adjacent literals are always merged, so two
/// texts with the same content have the same parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Text {
    parts: Vec<Part>,
}

impl Text {
    pub fn literal(s: impl Into<String>) -> Text {
        let s = s.into();
        let mut text = Text::default();
        text.push_str(&s);
        text
    }

    pub fn symbol(symbol: Symbol) -> Text {
        Text {
            parts: vec![Part::Sym(symbol)],
        }
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Part::Lit(last)) = self.parts.last_mut() {
            last.push_str(s);
        } else {
            self.parts.push(Part::Lit(s.to_string()));
        }
    }

    pub fn push_text(&mut self, other: &Text) {
        for part in &other.parts {
            match part {
                Part::Lit(s) => self.push_str(s),
                Part::Sym(sym) => self.parts.push(Part::Sym(sym.clone())),
            }
        }
    }

    pub fn push_symbol(&mut self, symbol: Symbol) {
        self.parts.push(Part::Sym(symbol));
    }

    /// The whole string, when it holds no symbol.
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    pub fn is_literal(&self) -> bool {
        self.as_literal().is_some()
    }

    /// Bytes of literal text and of symbol keys.
    pub fn size(&self) -> usize {
        self.parts.iter().map(Part::len).sum()
    }

    /// Splits at every literal occurrence of `sep`; symbols never contain it as far as we know.
    pub fn split(&self, sep: char) -> Vec<Text> {
        let mut pieces = vec![Text::default()];
        for part in &self.parts {
            match part {
                Part::Sym(sym) => pieces
                    .last_mut()
                    .unwrap()
                    .parts
                    .push(Part::Sym(sym.clone())),
                Part::Lit(s) => {
                    let mut first = true;
                    for piece in s.split(sep) {
                        if !first {
                            pieces.push(Text::default());
                        }
                        first = false;
                        pieces.last_mut().unwrap().push_str(piece);
                    }
                }
            }
        }
        pieces
    }

    pub fn map_literals(&self, f: impl Fn(&str) -> String) -> Text {
        let mut out = Text::default();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(&f(s)),
                Part::Sym(sym) => out.parts.push(Part::Sym(sym.clone())),
            }
        }
        out
    }

    /// Three-valued equality: `Some` when the answer is certain.
    pub fn equals(&self, other: &Text, ignore_case: bool) -> Option<bool> {
        let lit_eq = |a: &str, b: &str| {
            if ignore_case {
                eq_ignoring_case(a, b)
            } else {
                a == b
            }
        };
        if self.parts.len() == other.parts.len()
            && self.parts.iter().zip(&other.parts).all(|pair| match pair {
                (Part::Lit(a), Part::Lit(b)) => lit_eq(a, b),
                (Part::Sym(a), Part::Sym(b)) => a == b,
                _ => false,
            })
        {
            return Some(true);
        }
        if let (Some(a), Some(b)) = (self.as_literal(), other.as_literal()) {
            return Some(lit_eq(a, b));
        }
        // Different where both are literal at the start or at the end means different.
        let (a_first, b_first) = (self.leading_literal(), other.leading_literal());
        let n = a_first.len().min(b_first.len());
        if !lit_eq(&a_first[..floor(a_first, n)], &b_first[..floor(b_first, n)]) {
            return Some(false);
        }
        let (a_last, b_last) = (self.trailing_literal(), other.trailing_literal());
        let n = a_last.len().min(b_last.len());
        if !lit_eq(
            &a_last[ceil(a_last, a_last.len() - n)..],
            &b_last[ceil(b_last, b_last.len() - n)..],
        ) {
            return Some(false);
        }
        None
    }

    fn leading_literal(&self) -> &str {
        match self.parts.first() {
            Some(Part::Lit(s)) => s,
            _ => "",
        }
    }

    fn trailing_literal(&self) -> &str {
        match self.parts.last() {
            Some(Part::Lit(s)) => s,
            _ => "",
        }
    }
}

/// A string in lower case as case-insensitive comparisons of texts fold it: the key under which
/// a literal name may be looked up.
pub fn fold_case(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    fold_case_into(&mut folded, s);
    folded
}

/// `fold_case`, written at the end of `out`.
pub fn fold_case_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// Whether two strings are equal in lower case, without making either.
fn eq_ignoring_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii())
            && a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)))
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Text {
    /// The text with each symbol written as `{...}` by `symbol`.
    fn render(&self, symbol: fn(&Symbol) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Lit(s) => s.clone(),
                Part::Sym(sym) => format!("{{{}}}", symbol(sym)),
            })
            .collect()
    }
}

/// Symbols print as `{key}`, so `/vaults/{parameters('kv')}` reads naturally in messages.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Symbol::shown))
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    String(Text),
    Array(Vec<Value>),
    /// Keys keep their case; lookups ignore it, as ARM's do.
    Object(Vec<(String, Value)>),
    /// A definite value of unknown type and content.
    Symbol(Symbol),
    #[default]
    Unknown,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(Text::literal(s))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Roughly the bytes the value takes, when at most `budget` and with arrays and objects
    /// nested at most `depth` levels deep; stops counting past either.
    pub fn size_within(&self, budget: usize, depth: usize) -> Option<usize> {
        fn over(v: &Value, left: &mut usize, depth: usize) -> bool {
            let own = std::mem::size_of::<Value>()
                + match v {
                    Value::String(t) => t.size(),
                    Value::Object(members) => members.iter().map(|(k, _)| k.len()).sum(),
                    _ => 0,
                };
            *left = match left.checked_sub(own) {
                Some(rest) => rest,
                None => return true,
            };
            match v {
                Value::Array(_) | Value::Object(_) if depth == 0 => true,
                Value::Array(items) => items.iter().any(|i| over(i, left, depth - 1)),
                Value::Object(members) => members.iter().any(|(_, m)| over(m, left, depth - 1)),
                _ => false,
            }
        }
        let mut left = budget;
        (!over(self, &mut left, depth)).then(|| budget - left)
    }

    /// The value as a string, when it is one (a bare symbol counts as a symbolic string).
    pub fn as_text(&self) -> Option<Text> {
        match self {
            Value::String(t) => Some(t.clone()),
            Value::Symbol(s) => Some(Text::symbol(s.clone())),
            _ => None,
        }
    }

    pub fn as_literal_str(&self) -> Option<&str> {
        match self {
            Value::String(t) => t.as_literal(),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(t) => match t.as_literal()?.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Value {
        match self {
            Value::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map_or(Value::Unknown, |(_, v)| v.clone()),
            Value::Symbol(sym) => Value::Symbol(sym.member(key)),
            _ => Value::Unknown,
        }
    }

    /// Three-valued equality as ARM's `equals()` sees it (strings case-sensitive).
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Unknown, _) | (_, Value::Unknown) => None,
            (Value::Symbol(a), Value::Symbol(b)) if a == b => Some(true),
            (Value::Symbol(_), _) | (_, Value::Symbol(_)) => {
                match (self.as_text(), other.as_text()) {
                    (Some(a), Some(b)) => a.equals(&b, false),
                    _ => None,
                }
            }
            (Value::String(a), Value::String(b)) => a.equals(b, false),
            (Value::Array(a), Value::Array(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                all3(a.iter().zip(b).map(|(x, y)| x.equals(y)))
            }
            (Value::Object(a), Value::Object(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                all3(a.iter().map(|(k, v)| {
                    let w = other.get(k);
                    if w.is_unknown() && !b.iter().any(|(bk, _)| bk.eq_ignore_ascii_case(k)) {
                        Some(false)
                    } else {
                        v.equals(&w)
                    }
                }))
            }
            _ => Some(self == other),
        }
    }

    /// A short rendering for messages.
    pub fn describe(&self) -> String {
        self.render(Symbol::shown)
    }

    /// The value written out in full, symbols with their full keys: what symbols derived from
    /// it (`uniqueString(...)`, an item at a symbolic index) are keyed by. `None` when anything
    /// in it is unknown, since two unknowns must not share a key.
    pub fn key(&self) -> Option<String> {
        fn joined(items: impl Iterator<Item = Option<String>>) -> Option<String> {
            Some(items.collect::<Option<Vec<_>>>()?.join(", "))
        }
        match self {
            Value::Unknown => None,
            Value::String(t) => Some(format!("'{}'", t.render(|s| s.key().to_string()))),
            Value::Array(items) => Some(format!("[{}]", joined(items.iter().map(Value::key))?)),
            Value::Object(members) => Some(format!(
                "{{{}}}",
                joined(
                    members
                        .iter()
                        .map(|(k, v)| Some(format!("{k}: {}", v.key()?)))
                )?
            )),
            other => Some(other.render(|s| s.key().to_string())),
        }
    }

    fn render(&self, symbol: fn(&Symbol) -> String) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::String(t) => t.render(symbol),
            Value::Array(_) => "an array".into(),
            Value::Object(_) => "an object".into(),
            Value::Symbol(s) => format!("{{{}}}", symbol(s)),
            Value::Unknown => "an unknown value".into(),
        }
    }
}

/// Logical AND over three-valued answers: any `false` decides; otherwise any unknown wins.
pub fn all3(answers: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut known = true;
    for answer in answers {
        match answer {
            Some(false) => return Some(false),
            None => known = false,
            Some(true) => {}
        }
    }
    known.then_some(true)
}

/// Logical OR over three-valued answers: any `true` decides; otherwise any unknown wins.
pub fn any3(answers: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    all3(answers.map(|a| a.map(|b| !b))).map(|b| !b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sym_text(pre: &str, key: &str, post: &str) -> Text {
        let mut t = Text::literal(pre);
        t.push_text(&Text::symbol(Symbol::new(key)));
        t.push_str(post);
        t
    }

    #[test]
    fn symbolic_texts_compare_three_ways() {
        let a = sym_text("/vaults/", "parameters('kv')", "");
        let b = sym_text("/VAULTS/", "parameters('kv')", "");
        assert_eq!(a.equals(&b, true), Some(true));
        assert_eq!(a.equals(&b, false), Some(false));
        let c = sym_text("/sites/", "parameters('kv')", "");
        assert_eq!(a.equals(&c, true), Some(false));
        let d = sym_text("/vaults/", "parameters('other')", "");
        assert_eq!(a.equals(&d, true), None);
        assert_eq!(
            Text::literal("a").equals(&Text::literal("A"), true),
            Some(true)
        );
    }

    #[test]
    fn split_keeps_symbols_in_their_segment() {
        let t = sym_text("", "parameters('svc')", "/link");
        let pieces = t.split('/');
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], Text::symbol(Symbol::new("parameters('svc')")));
        assert_eq!(pieces[1].as_literal(), Some("link"));
        assert_eq!(t.to_string(), "{parameters('svc')}/link");
    }
}
