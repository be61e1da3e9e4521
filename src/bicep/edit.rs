//! Edits of Bicep text for fixes whose JSON edits Bicep cannot take: adding a symbol to a
//! resource's `dependsOn`.

use super::lower::{body_of, key_text};
use super::parse;
use super::syntax::*;
use crate::diagnostic;

/// The edit that adds `symbol` (a symbolic name, `link` or `wps::link`) to the `dependsOn` of
/// the resource declared by the statement spanning `resource` (the span the lowered resource
/// has): after the list's last entry, into an empty list, or as a new `dependsOn:` property
/// on the line before the body's closing brace, indented as the lines around it. `None` when no
/// resource statement has that span, its body is not an object over several lines, or
/// `symbol` is not a symbol.
pub fn add_dependency(
    text: &str,
    resource: diagnostic::Span,
    symbol: &str,
) -> Option<(diagnostic::Span, String)> {
    if !is_symbol(symbol) {
        return None;
    }
    let parsed = parse(text);
    let statement = parsed
        .program
        .statements
        .iter()
        .find_map(|s| find_resource(s, resource))?;
    let StatementKind::Resource(declaration) = &statement.kind else {
        return None;
    };
    let body = body_of(&declaration.value).0?;
    let ExprKind::Object(items) = &body.kind else {
        return None;
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let indent = |at: u32| {
        let start = text[..at as usize].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..at as usize];
        &line[..line.len() - line.trim_start().len()]
    };
    let explicit = items.iter().find_map(|item| match item {
        ObjectItem::Property(p) if key_text(&p.key) == "dependsOn" => Some(p),
        _ => None,
    });
    if let Some(property) = explicit {
        let ExprKind::Array(list) = &property.value.kind else {
            return None;
        };
        let at = indent(property.span.start);
        let Some(last) = list.last() else {
            return Some((
                to_span(property.value.span),
                format!("[{newline}{at}  {symbol}{newline}{at}]"),
            ));
        };
        let last = match last {
            ArrayItem::Value(value) => value.span,
            ArrayItem::Spread { span, .. } => *span,
        };
        let one_line =
            !text[property.value.span.start as usize..last.start as usize].contains('\n');
        let new = if one_line {
            format!(", {symbol}")
        } else {
            format!("{newline}{}{symbol}", indent(last.start))
        };
        return Some((
            diagnostic::Span::new(last.end as usize, last.end as usize),
            new,
        ));
    }
    // A new property on its own line, before the line of the closing brace (a body the parser
    // closed for want of one gets no edit).
    let close = body.span.end.checked_sub(1)?;
    if text.as_bytes().get(close as usize) != Some(&b'}') {
        return None;
    }
    let line_start = text[..close as usize].rfind('\n')? + 1;
    let first = items.first()?;
    let first_start = match first {
        ObjectItem::Property(p) => p.span.start,
        ObjectItem::Spread { span, .. } => span.start,
        ObjectItem::Resource(statement) => statement.span.start,
    };
    if !text[line_start..close as usize].trim().is_empty()
        || !text[body.span.start as usize..first_start as usize].contains('\n')
    {
        return None;
    }
    let at = indent(first_start);
    Some((
        diagnostic::Span::new(line_start, line_start),
        format!("{at}dependsOn: [{newline}{at}  {symbol}{newline}{at}]{newline}"),
    ))
}

/// The statement spanning `span`: `statement` or a child resource declared in its body.
fn find_resource<'a>(
    statement: &'a Statement<'a>,
    span: diagnostic::Span,
) -> Option<&'a Statement<'a>> {
    if statement.span.start == span.start && statement.span.end == span.end {
        return Some(statement);
    }
    let StatementKind::Resource(declaration) = &statement.kind else {
        return None;
    };
    let ExprKind::Object(items) = &body_of(&declaration.value).0?.kind else {
        return None;
    };
    items.iter().find_map(|item| match item {
        ObjectItem::Resource(child) => find_resource(child, span),
        _ => None,
    })
}

/// `name` or `parent::child`: identifiers joined by `::`.
fn is_symbol(text: &str) -> bool {
    text.split("::").all(|part| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn to_span(span: Span) -> diagnostic::Span {
    diagnostic::Span::new(span.start as usize, span.end as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text after adding `symbol` to the dependsOn of the resource statement that starts
    /// at `resource` in `text`.
    fn added(text: &str, resource: &str, symbol: &str) -> Option<String> {
        let parsed = parse(text);
        let start = text.find(resource).unwrap() as u32;
        let span = find_statement_at(&parsed.program.statements, start)?;
        let (at, new) = add_dependency(text, span, symbol)?;
        let mut out = text.to_string();
        out.replace_range(at.range(), &new);
        Some(out)
    }

    fn find_statement_at(statements: &[Statement], start: u32) -> Option<diagnostic::Span> {
        statements.iter().find_map(|s| {
            if s.span.start == start {
                return Some(to_span(s.span));
            }
            let StatementKind::Resource(d) = &s.kind else {
                return None;
            };
            let ExprKind::Object(items) = &body_of(&d.value).0?.kind else {
                return None;
            };
            items.iter().find_map(|i| match i {
                ObjectItem::Resource(child) => {
                    find_statement_at(std::slice::from_ref(&**child), start)
                }
                _ => None,
            })
        })
    }

    const HEAD: &str =
        "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv'\n}\n\n";

    #[test]
    fn a_new_depends_on_goes_before_the_closing_brace() {
        let text = format!(
            "{HEAD}resource approval 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {{\n  parent: kv\n  name: 'c'\n}}\n"
        );
        assert_eq!(
            added(&text, "resource approval", "wps::link").unwrap(),
            format!(
                "{HEAD}resource approval 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {{\n  parent: kv\n  name: 'c'\n  dependsOn: [\n    wps::link\n  ]\n}}\n"
            )
        );
        // Nested in its parent, indented as its own properties, with the file's line ends.
        let nested = "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\r\n  name: 'kv'\r\n\r\n  resource approval 'privateEndpointConnections' = {\r\n    name: 'c'\r\n  }\r\n}\r\n";
        assert_eq!(
            added(nested, "resource approval", "link").unwrap(),
            "resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\r\n  name: 'kv'\r\n\r\n  resource approval 'privateEndpointConnections' = {\r\n    name: 'c'\r\n    dependsOn: [\r\n      link\r\n    ]\r\n  }\r\n}\r\n"
        );
    }

    #[test]
    fn an_entry_goes_after_the_last_one() {
        let text = format!(
            "{HEAD}resource a 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01' = {{\n  name: 'c'\n  dependsOn: [\n    kv\n  ]\n}}\n"
        );
        assert_eq!(
            added(&text, "resource a", "link").unwrap(),
            text.replace("    kv\n", "    kv\n    link\n")
        );
        let one_line = text.replace("[\n    kv\n  ]", "[kv]");
        assert_eq!(
            added(&one_line, "resource a", "link").unwrap(),
            one_line.replace("[kv]", "[kv, link]")
        );
        let empty = text.replace("[\n    kv\n  ]", "[]");
        assert_eq!(
            added(&empty, "resource a", "link").unwrap(),
            empty.replace("[]", "[\n    link\n  ]")
        );
    }

    #[test]
    fn what_cannot_be_said_gives_no_edit() {
        let text = format!("{HEAD}resource a 'T@1' = {{ name: 'c' }}\n");
        // A body on one line, a symbol that is an expression, a span no statement has.
        assert_eq!(added(&text, "resource a", "link"), None);
        assert_eq!(added(HEAD, "resource kv", "[resourceId('T', 'x')]"), None);
        assert_eq!(
            add_dependency(HEAD, diagnostic::Span::new(1, 5), "link"),
            None
        );
        let module = "module m 'm.bicep' = {\n  name: 'm'\n}\n";
        assert_eq!(added(module, "module m", "link"), None);
        let unclosed = format!("{HEAD}resource a 'T@1' = {{\n  name: 'c'\n");
        assert_eq!(added(&unclosed, "resource a", "link"), None);
    }
}
