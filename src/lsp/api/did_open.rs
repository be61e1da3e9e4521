//! `textDocument/didOpen`: the document joins the analysis set with the editor's text.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::lsp::session::{Document, ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let Some(path) = file_path(&item.uri) else {
        return;
    };
    let mut session = world.lock();
    session.documents.insert(
        path,
        Document {
            uri: item.uri,
            version: item.version,
            text: item.text,
        },
    );
    world.changed(&mut session);
}
