//! `textDocument/didChange`: apply the (incremental) changes and record the new version.

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::lsp::edit::apply_change;
use crate::lsp::session::{ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidChangeTextDocumentParams) {
    let Some(path) = file_path(&params.text_document.uri) else {
        return;
    };
    let mut session = world.lock();
    let Some(doc) = session.documents.get_mut(&path) else {
        return;
    };
    // Versions only grow; an older change arriving late would corrupt the text.
    if params.text_document.version <= doc.version {
        return;
    }
    for change in params.content_changes {
        apply_change(&mut doc.text, change.range, &change.text);
    }
    doc.version = params.text_document.version;
    world.changed(&mut session);
}
