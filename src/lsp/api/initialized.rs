//! `initialized`: watch the workspace's files and start indexing it in the background. Open
//! documents are analysed at once with what is indexed so far, and again when the scan ends.

use tower_lsp_server::ls_types::*;

use crate::lsp::index::Index;
use crate::lsp::session::ServerHandle;

const WATCHED: [&str; 6] = [
    "**/*.json",
    "**/*.jsonc",
    "**/*.bicep",
    "**/*.bicepparam",
    "**/wps-lint.toml",
    "**/.gitignore",
];

pub fn handle(world: &ServerHandle) {
    if world.lock().dynamic_watch {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: WATCHED
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: "wps-lint-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        // Not awaited here: a client that never answers must not hold up the message loop
        // or the server's exit.
        let client = world.client.clone();
        tokio::spawn(async move {
            if let Err(e) = client.register_capability(vec![registration]).await {
                client
                    .log_message(
                        MessageType::WARNING,
                        format!("wps-lint: cannot watch files: {e}"),
                    )
                    .await;
            }
        });
    }
    scan(world);
}

/// (Re)builds the index off the message loop. A scan that a later one overtook is dropped.
pub fn scan(world: &ServerHandle) {
    let (folders, scan) = {
        let mut session = world.lock();
        session.scans += 1;
        (session.folders.clone(), session.scans)
    };
    let world = world.clone();
    tokio::spawn(async move {
        let scanned = tokio::task::spawn_blocking(move || Index::scan(&folders)).await;
        match scanned {
            Ok(index) => {
                let mut session = world.lock();
                if session.scans == scan {
                    session.index = Some(index);
                    session.disk_changed();
                    world.changed(&mut session);
                }
            }
            Err(e) => {
                world
                    .client
                    .log_message(
                        MessageType::ERROR,
                        format!("wps-lint: indexing the workspace failed: {e}"),
                    )
                    .await;
            }
        }
    });
}
