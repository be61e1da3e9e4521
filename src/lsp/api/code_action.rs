//! `textDocument/codeAction`: the findings' machine-applicable fixes (preferred), "disable for
//! this resource" (JSON), "disable for the next line" (in Bicep always, as `#disable-next-line`;
//! in JSON where the file already has comments), and "fix all" as `source.fixAll.wps-lint`.
//! Offered only when the latest analysis is of the document's current version, since its spans
//! are only valid for that text.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{self as lsp, *};

use super::initialize::FIX_ALL;
use crate::diagnostic::Span;
use crate::fix::suppress::{self, TextEdit as SpanEdit};
use crate::json::parse;
use crate::lsp::convert::IndexedText;
use crate::lsp::edit;
use crate::lsp::scheduler::lsp_diagnostics;
use crate::lsp::session::{ServerHandle, file_path};
use crate::rules::UNUSED_SUPPRESSION;
use crate::source::Language;

pub fn handle(world: &ServerHandle, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let path = file_path(&uri)?;
    let (analysis, text) = {
        let session = world.lock();
        let (analysis, doc) = session.current(&path)?;
        (analysis, doc.text.clone())
    };
    let index = IndexedText::new(&text);
    let start = index.offset(params.range.start) as u32;
    let end = index.offset(params.range.end) as u32;
    let wants = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|k| {
                kind.as_str() == k.as_str()
                    || kind.as_str().starts_with(&format!("{}.", k.as_str()))
            })
        })
    };
    let findings = analysis.diagnostics(&path);
    let converted = lsp_diagnostics(&analysis, &path, &index);
    let language = Language::of(&path).unwrap_or(Language::Json);
    // A Bicep file takes comments anywhere; a JSON one only if it is JSONC already, and only
    // JSON resources have a `metadata` to disable rules in.
    let json = (language == Language::Json).then(|| parse(&text));
    let comments = json.as_ref().is_none_or(|doc| !doc.comments.is_empty());
    let action = |title: String,
                  kind: CodeActionKind,
                  edits: Vec<SpanEdit>,
                  diagnostic: Option<&lsp::Diagnostic>,
                  preferred: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(kind),
            diagnostics: diagnostic.map(|d| vec![d.clone()]),
            edit: Some(workspace_edit(&uri, &index, edits)),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        })
    };
    let mut actions = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        for (d, lsp_d) in findings.iter().zip(&converted) {
            let span = d.location.span;
            if span.start > end || start > span.end {
                continue;
            }
            if let Some(fix) = &d.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| (e.span, e.new_text.clone()))
                    .collect();
                actions.push(action(
                    fix.description.clone(),
                    CodeActionKind::QUICKFIX,
                    edits,
                    Some(lsp_d),
                    true,
                ));
            }
            if d.code == UNUSED_SUPPRESSION.code {
                continue;
            }
            if let Some(Ok(root)) = json.as_ref().map(|doc| &doc.root)
                && let Some(e) =
                    suppress::disable_for_resource(&text, root, &d.location.pointer, &d.code)
            {
                let title = format!("Disable {} for this resource", d.code);
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    vec![e],
                    Some(lsp_d),
                    false,
                ));
            }
            if comments {
                let e = suppress::disable_next_line(&text, span.start as usize, &d.code, language);
                let title = format!("Disable {} for the next line", d.code);
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    vec![e],
                    Some(lsp_d),
                    false,
                ));
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL);
    if wants(&fix_all) {
        let edits = edit::fix_all(&text, findings);
        if !edits.is_empty() {
            actions.push(action(
                "Fix all wps-lint problems in this file".into(),
                fix_all,
                edits,
                None,
                false,
            ));
        }
    }
    Some(actions)
}

fn workspace_edit(uri: &Uri, index: &IndexedText, edits: Vec<(Span, String)>) -> WorkspaceEdit {
    let edits = edits
        .into_iter()
        .map(|(span, new_text)| lsp::TextEdit {
            range: index.range(span),
            new_text,
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}
