//! The spanned JSON tree. Keys are looked up case-insensitively because ARM treats template
//! property names that way (`Resources`, `dependsOn`, `DependsOn` are the same key).

use std::borrow::Cow;

use crate::diagnostic::Span;

/// A JSON value and its span. Strings borrow the file's text unless they had escapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    pub span: Span,
    pub kind: Kind<'t>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'t> {
    Null,
    Bool(bool),
    /// The number as written; ARM templates only use integers, so callers parse what they need.
    Number(&'t str),
    String(Cow<'t, str>),
    Array(Vec<Node<'t>>),
    Object(Vec<Member<'t>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'t> {
    pub key: Cow<'t, str>,
    pub key_span: Span,
    pub value: Node<'t>,
}

impl<'t> Node<'t> {
    /// The member value under `key`, compared case-insensitively; the last one wins like ARM.
    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&Member<'t>> {
        match &self.kind {
            Kind::Object(members) => members
                .iter()
                .rev()
                .find(|m| m.key.eq_ignore_ascii_case(key)),
            _ => None,
        }
    }

    /// Every member value under `key`: a template may repeat a key, and ARM's reading of
    /// duplicates is not documented, so model code looks at all of them.
    pub fn get_all<'n>(&'n self, key: &'n str) -> impl Iterator<Item = &'n Node<'t>> + 'n {
        self.as_object()
            .unwrap_or(&[])
            .iter()
            .filter(move |m| m.key.eq_ignore_ascii_case(key))
            .map(|m| &m.value)
    }

    /// Follows a path of keys, each looked up case-insensitively.
    pub fn path(&self, keys: &[&str]) -> Option<&Node<'t>> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node<'t>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'t>]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A short name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }

    /// Visits this node and every node below it, depth first, in document order.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Node<'t>)) {
        visit(self);
        match &self.kind {
            Kind::Array(items) => items.iter().for_each(|n| n.walk(visit)),
            Kind::Object(members) => members.iter().for_each(|m| m.value.walk(visit)),
            _ => {}
        }
    }

    /// Converts to a plain serde_json value (strings as written, expressions unevaluated).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            Kind::Null => J::Null,
            Kind::Bool(b) => J::Bool(*b),
            Kind::Number(text) => text
                .parse::<serde_json::Number>()
                .map(J::Number)
                .unwrap_or(J::Null),
            Kind::String(s) => J::String(s.to_string()),
            Kind::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Kind::Object(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.key.to_string(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}
