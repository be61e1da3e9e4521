//! One file per LSP method. Each handler updates the session and rings the scheduler, or
//! answers from the latest analysis; none of them analyses.

pub mod code_action;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod hover;
pub mod initialize;
pub mod initialized;

use tower_lsp_server::ls_types::MessageType;

use super::session::ServerHandle;

/// Runs a request handler on a blocking thread: hover and code actions parse the document,
/// which for a large template is too slow for the message loop. A panic answers `None` and is
/// logged; the server keeps serving.
pub async fn off_loop<T: Send + 'static>(
    world: &ServerHandle,
    handler: impl FnOnce(&ServerHandle) -> Option<T> + Send + 'static,
) -> Option<T> {
    let owned = world.clone();
    match tokio::task::spawn_blocking(move || handler(&owned)).await {
        Ok(answer) => answer,
        Err(e) => {
            world
                .client
                .log_message(
                    MessageType::ERROR,
                    format!("wps-lint: a request failed: {e}"),
                )
                .await;
            None
        }
    }
}
