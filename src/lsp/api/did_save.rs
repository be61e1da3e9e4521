//! `textDocument/didSave`: the disk changed, so the next run prepares its files anew (a saved
//! `wps-lint.toml` or rule file is read again); a saved config or `.gitignore` can change which
//! files are in the set.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use super::initialized::scan;
use crate::lsp::index::changes_index_rules;
use crate::lsp::session::{ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidSaveTextDocumentParams) {
    let path = file_path(&params.text_document.uri);
    {
        let mut session = world.lock();
        session.disk_changed();
        world.changed(&mut session);
    }
    if path.as_deref().is_some_and(changes_index_rules) {
        scan(world);
    }
}
