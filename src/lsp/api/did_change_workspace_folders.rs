//! `workspace/didChangeWorkspaceFolders`: the analysis set follows the folders.

use tower_lsp_server::ls_types::DidChangeWorkspaceFoldersParams;

use super::initialized::scan;
use crate::lsp::session::{ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidChangeWorkspaceFoldersParams) {
    {
        let mut session = world.lock();
        let removed: Vec<_> = params
            .event
            .removed
            .iter()
            .filter_map(|f| file_path(&f.uri))
            .collect();
        session.folders.retain(|f| !removed.contains(f));
        for added in params.event.added.iter().filter_map(|f| file_path(&f.uri)) {
            if !session.folders.contains(&added) {
                session.folders.push(added);
            }
        }
    }
    scan(world);
}
