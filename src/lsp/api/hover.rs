//! `textDocument/hover`: on a finding, its rule (summary, message, help, page); on a checked
//! value (`privateLinkResourceId`, `keyVaultBaseUri`, `[parameters('x')]`; in Bicep the
//! expression there, such as `kv.id`, or a parameter's name), its evaluated value as the
//! analysis evaluates it (`analysis::values_at`).

use tower_lsp_server::ls_types::*;

use crate::diagnostic::Diagnostic;
use crate::json::{Kind, Node, escape_pointer_token};
use crate::lsp::analysis::{WorkspaceFindings, values_at};
use crate::lsp::convert::{IndexedText, rule_page};
use crate::lsp::session::{ServerHandle, file_path};
use crate::source::LoadOptions;

const VALUED_PROPERTIES: [&str; 2] = ["privateLinkResourceId", "keyVaultBaseUri"];

pub fn handle(world: &ServerHandle, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let path = file_path(&at.text_document.uri)?;
    let (analysis, text, open) = {
        let session = world.lock();
        let (analysis, doc) = session.current(&path)?;
        // Other open documents stand for their files: parameter files and Bicep modules.
        let open = session
            .documents
            .iter()
            .filter(|(p, _)| **p != path)
            .map(|(p, d)| (p.clone(), d.text.clone()))
            .collect();
        (analysis, doc.text.clone(), open)
    };
    let index = IndexedText::new(&text);
    let offset = index.offset(at.position) as u32;
    let mut parts: Vec<String> = analysis
        .diagnostics(&path)
        .iter()
        .filter(|d| d.location.span.start <= offset && offset <= d.location.span.end)
        .map(|d| finding(&analysis, d))
        .collect();
    let texts = LoadOptions {
        overlays: open,
        ..LoadOptions::default()
    };
    parts.extend(values_at(&path, &text, &texts, |root| {
        valued_pointer(root, offset)
    }));
    (!parts.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

fn finding(analysis: &WorkspaceFindings, d: &Diagnostic) -> String {
    let mut out = format!("**{}** `{}`", d.code, d.name);
    if let Some(rule) = analysis.rule(&d.code) {
        out.push_str(&format!(": {}", rule.summary));
    }
    out.push_str(&format!("\n\n{}", d.message));
    if let Some(help) = &d.help {
        out.push_str(&format!("\n\nhelp: {help}"));
    }
    if let Some(page) = rule_page(&d.code) {
        out.push_str(&format!("\n\n[{} rule page]({})", d.code, page.as_str()));
    }
    out
}

/// The pointer of the string value under the cursor when it is one whose evaluated value is
/// worth showing.
fn valued_pointer(root: &Node, offset: u32) -> Option<String> {
    let mut found = None;
    innermost_string(root, String::new(), offset, &mut found);
    let found = found?;
    let text = found.node.as_str()?;
    let property = found
        .key
        .is_some_and(|k| VALUED_PROPERTIES.iter().any(|p| p.eq_ignore_ascii_case(k)));
    let parameter = text.trim_start().starts_with("[parameters(");
    (property || parameter).then_some(found.pointer)
}

struct Found<'n> {
    node: &'n Node<'n>,
    /// The member name it is the value of.
    key: Option<&'n str>,
    pointer: String,
}

/// The smallest string value holding `offset` under `parent`. Every child holding it is
/// searched, since in a tree lowered from Bicep siblings may overlap; a value on its parent's
/// very span was not written there (a Bicep module's template, all on the `module` statement)
/// and is passed over.
fn innermost_string<'n>(
    parent: &'n Node<'n>,
    pointer: String,
    offset: u32,
    found: &mut Option<Found<'n>>,
) {
    let children: Vec<(Option<&'n str>, String, &'n Node<'n>)> = match &parent.kind {
        Kind::Object(members) => members
            .iter()
            .map(|m| (Some(&*m.key), escape_pointer_token(&m.key), &m.value))
            .collect(),
        Kind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, n)| (None, i.to_string(), n))
            .collect(),
        _ => return,
    };
    let length = |n: &Node| n.span.end - n.span.start;
    for (key, token, child) in children {
        if !(child.span.start <= offset && offset < child.span.end) {
            continue;
        }
        let pointer = format!("{pointer}/{token}");
        if child.as_str().is_some()
            && child.span != parent.span
            && found
                .as_ref()
                .is_none_or(|f| length(child) < length(f.node))
        {
            *found = Some(Found {
                node: child,
                key,
                pointer: pointer.clone(),
            });
        }
        innermost_string(child, pointer, offset, found);
    }
}
