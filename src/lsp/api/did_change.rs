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
    // Notifications arrive in the order the client sent them, so the changes apply to the
    // text as it is whatever their version says: a version that does not grow (a client that
    // numbers afresh) is the document's version from now on, not a reason to keep stale text.
    for change in params.content_changes {
        apply_change(&mut doc.text, change.range, &change.text);
    }
    doc.version = params.text_document.version;
    world.changed(&mut session);
}
