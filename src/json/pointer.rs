//! RFC 6901 pointers, found from a span so that diagnostics only need to carry spans.

use super::tree::{Kind, Node};
use crate::diagnostic::Span;

pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The pointer of the value whose span is exactly `span`, or `None` when no value has it.
/// Spans of nested values are nested. In JSON siblings never overlap, so the descent takes one
/// path; in a tree lowered from another language siblings may (a template's `parameters` and
/// `resources` are interleaved in Bicep), so each sibling that contains the span is tried.
pub fn pointer_of(root: &Node, span: Span) -> Option<String> {
    if root.span == span {
        return Some(String::new());
    }
    let contains = |n: &Node| n.span.start <= span.start && span.end <= n.span.end;
    // The token is written only on the way out: a lowered file's `resources` may hold
    // thousands of siblings to pass over for every place resolved.
    let below = |token: &dyn Fn() -> String, node: &Node| {
        contains(node)
            .then(|| pointer_of(node, span))
            .flatten()
            .map(|rest| format!("/{}{rest}", token()))
    };
    match &root.kind {
        Kind::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| below(&|| i.to_string(), item)),
        Kind::Object(members) => members
            .iter()
            .find_map(|m| below(&|| escape_pointer_token(&m.key), &m.value)),
        _ => None,
    }
}

impl<'t> Node<'t> {
    /// The value an RFC 6901 pointer names (keys exactly as written, the last duplicate
    /// winning as `get` does).
    pub fn at_pointer(&self, pointer: &str) -> Option<&Node<'t>> {
        if pointer.is_empty() {
            return Some(self);
        }
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .try_fold(self, |node, token| match &node.kind {
                Kind::Array(items) => items.get(token.parse::<usize>().ok()?),
                Kind::Object(members) => members
                    .iter()
                    .rev()
                    .find(|m| *m.key == *token)
                    .map(|m| &m.value),
                _ => None,
            })
    }
}
