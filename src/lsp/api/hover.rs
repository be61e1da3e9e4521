//! `textDocument/hover`: on a finding, its rule (summary, message, help, page); on a checked
//! value (`privateLinkResourceId`, `keyVaultBaseUri`, `[parameters('x')]`), its evaluated value
//! as the analysis evaluates it (`analysis::values_at`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::*;

use crate::diagnostic::Diagnostic;
use crate::json::{Kind, Node, parse, pointer_of};
use crate::lsp::analysis::{WorkspaceFindings, values_at};
use crate::lsp::convert::{IndexedText, rule_page};
use crate::lsp::session::{ServerHandle, file_path};
use crate::source::{is_parameter_name, read_text};

const VALUED_PROPERTIES: [&str; 2] = ["privateLinkResourceId", "keyVaultBaseUri"];

pub fn handle(world: &ServerHandle, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let path = file_path(&at.text_document.uri)?;
    let (analysis, text, open) = {
        let session = world.lock();
        let (analysis, doc) = session.current(&path)?;
        // Only the parameter files of this template matter to its values.
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let open: HashMap<PathBuf, String> = session
            .documents
            .iter()
            .filter(|(p, _)| is_parameter_name(p, stem))
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
    let doc = parse(&text);
    if let Ok(root) = &doc.root
        && let Some(node) = valued_node(root, offset)
        && let Some(pointer) = pointer_of(root, node.span)
    {
        let read = |p: &Path| open.get(p).cloned().or_else(|| read_text(p).ok());
        parts.extend(values_at(&path, &text, &pointer, read));
    }
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
