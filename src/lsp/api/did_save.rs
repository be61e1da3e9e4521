//! `textDocument/didSave`: analyse again (a saved `wps-lint.toml` or rule file is read anew by
//! every run); a saved config or `.gitignore` can change which files are in the set.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use super::initialized::scan;
use crate::lsp::index::changes_index_rules;
use crate::lsp::session::{ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidSaveTextDocumentParams) {
    let path = file_path(&params.text_document.uri);
    world.changed(&mut world.lock());
    if path.as_deref().is_some_and(changes_index_rules) {
        scan(world);
    }
}
