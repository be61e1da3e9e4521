//! RFC 6901 pointers, found from a span so that diagnostics only need to carry spans.

use super::tree::{Kind, Node};
use crate::diagnostic::Span;

pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The pointer of the value whose span is exactly `span`, or `None` when no value has it.
/// Spans of nested values are nested. In JSON siblings never overlap and come in text order;
/// in a tree lowered from another language siblings may nest (a child resource declared inside
/// its parent) or come out of order (a template's `parameters` and `resources` are
/// interleaved in Bicep), so each sibling that contains the span may be tried.
pub fn pointer_of(root: &Node, span: Span) -> Option<String> {
    if root.span == span {
        return Some(String::new());
    }
    match &root.kind {
        Kind::Array(items) => {
            let (i, rest) = descend(items, |item| item, span)?;
            Some(format!("/{i}{rest}"))
        }
        Kind::Object(members) => {
            let (i, rest) = descend(members, |m| &m.value, span)?;
            Some(format!("/{}{rest}", escape_pointer_token(&members[i].key)))
        }
        _ => None,
    }
}

/// Past this many siblings, those that start at or before the span are tried first, nearest
/// first, found by binary search: a lowered file's `resources` may hold thousands, for every
/// place resolved. Fewer are tried in order, since one lowered resource may hold two values
/// with one span (a Bicep child's `name`, and the `dependsOn` on its parent written there),
/// and the first is meant; resources themselves never share one.
const SEARCHED: usize = 64;

/// The sibling (by position) holding the value with exactly `span`, and the pointer below it.
fn descend<'t, T>(
    siblings: &[T],
    node: impl Fn(&T) -> &Node<'t>,
    span: Span,
) -> Option<(usize, String)> {
    let below = |i: usize| {
        let n = node(&siblings[i]);
        (n.span.start <= span.start && span.end <= n.span.end)
            .then(|| pointer_of(n, span))
            .flatten()
            .map(|rest| (i, rest))
    };
    if siblings.len() <= SEARCHED {
        return (0..siblings.len()).find_map(below);
    }
    let started = siblings.partition_point(|s| node(s).span.start <= span.start);
    (0..started)
        .rev()
        .find_map(below)
        .or_else(|| (started..siblings.len()).find_map(below))
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
