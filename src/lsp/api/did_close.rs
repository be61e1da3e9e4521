//! `textDocument/didClose`: the file counts with its text on disk again; its diagnostics go.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::lsp::session::{ServerHandle, file_path};

pub async fn handle(world: &ServerHandle, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let Some(path) = file_path(&uri) else {
        return;
    };
    {
        let mut session = world.lock();
        if session.documents.remove(&path).is_none() {
            return;
        }
        world.changed(&mut session);
    }
    world.client.publish_diagnostics(uri, vec![], None).await;
}
