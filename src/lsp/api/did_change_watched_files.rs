//! `workspace/didChangeWatchedFiles`: saves from outside the editor, new and deleted files
//! update the index; a changed config or `.gitignore` rebuilds it.

use tower_lsp_server::ls_types::{DidChangeWatchedFilesParams, FileChangeType};

use super::initialized::scan;
use crate::lsp::index::{changes_index_rules, wanted};
use crate::lsp::session::{ServerHandle, file_path};

pub fn handle(world: &ServerHandle, params: DidChangeWatchedFilesParams) {
    let folders = world.lock().folders.clone();
    let mut rescan = false;
    // Classify (read) the files before taking the lock.
    let mut updates = Vec::new();
    for change in params.changes {
        let Some(path) = file_path(&change.uri) else {
            continue;
        };
        if changes_index_rules(&path) {
            rescan = true;
        } else {
            let present = change.typ != FileChangeType::DELETED && wanted(&folders, &path);
            updates.push((path, present));
        }
    }
    {
        let mut session = world.lock();
        if let Some(index) = session.index.as_mut() {
            for (path, present) in updates {
                if present {
                    index.files.insert(path);
                } else {
                    index.files.remove(&path);
                }
            }
        }
        session.disk_changed();
        world.changed(&mut session);
    }
    if rescan {
        scan(world);
    }
}
