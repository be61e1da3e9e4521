//! `textDocument/hover`: on a finding, its rule (summary, message, help, page); on a checked
//! value (`privateLinkResourceId`, `keyVaultBaseUri`, `[parameters('x')]`), its evaluated value
//! from the analysis's `Values` seam.

use tower_lsp_server::ls_types::*;

use crate::diagnostic::Diagnostic;
use crate::json::{Kind, Node, parse, pointer_of};
use crate::lsp::analysis::{Analysis, Values};
use crate::lsp::convert::{Text, rule_page};
use crate::lsp::session::{World, file_path};

const VALUED_PROPERTIES: [&str; 2] = ["privateLinkResourceId", "keyVaultBaseUri"];

pub fn handle(world: &World, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let path = file_path(&at.text_document.uri)?;
    let (analysis, text) = {
        let session = world.lock();
        let (analysis, doc) = session.current(&path)?;
        (analysis, doc.text.clone())
    };
    let index = Text::new(&text);
    let offset = index.offset(at.position) as u32;
    let mut parts: Vec<String> = analysis
        .diagnostics(&path)
        .iter()
        .filter(|d| d.location.span.start <= offset && offset <= d.location.span.end)
        .map(|d| finding(&analysis, d))
        .collect();
    let doc = parse(&text);
    if let Ok(root) = &doc.root
        && let Some(node) = valued_node(root, offset)
        && let Some(pointer) = pointer_of(root, node.span)
    {
        parts.extend(analysis.value_at(&path, &pointer));
    }
    (!parts.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

fn finding(analysis: &Analysis, d: &Diagnostic) -> String {
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

/// The string value under the cursor when it is one whose evaluated value is worth showing.
fn valued_node<'n>(root: &'n Node<'n>, offset: u32) -> Option<&'n Node<'n>> {
    let inside = |n: &Node| n.span.start <= offset && offset < n.span.end;
    let mut node = root;
    let mut key: Option<&str> = None;
    loop {
        let next = match &node.kind {
            Kind::Object(members) => members.iter().find(|m| inside(&m.value)).map(|m| {
                key = Some(&m.key);
                &m.value
            }),
            Kind::Array(items) => {
                key = None;
                items.iter().find(|n| inside(n))
            }
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    let text = node.as_str()?;
    let property = key.is_some_and(|k| VALUED_PROPERTIES.iter().any(|p| p.eq_ignore_ascii_case(k)));
    let parameter = text.trim_start().starts_with("[parameters(");
    (property || parameter).then_some(node)
}
