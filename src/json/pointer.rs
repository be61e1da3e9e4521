//! RFC 6901 pointers, found from a span so that diagnostics only need to carry spans.

use super::tree::{Kind, Node};
use crate::diagnostic::Span;

pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The pointer of the value whose span is exactly `span`, or `None` when no value has it.
/// Spans of nested values are nested, so one descent finds it.
pub fn pointer_of(root: &Node, span: Span) -> Option<String> {
    let mut pointer = String::new();
    let mut node = root;
    loop {
        if node.span == span {
            return Some(pointer);
        }
        let contains = |n: &Node| n.span.start <= span.start && span.end <= n.span.end;
        match &node.kind {
            Kind::Array(items) => {
                let i = items.iter().position(contains)?;
                pointer.push('/');
                pointer.push_str(&i.to_string());
                node = &items[i];
            }
            Kind::Object(members) => {
                let m = members.iter().find(|m| contains(&m.value))?;
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(&m.key));
                node = &m.value;
            }
            _ => return None,
        }
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
