//! `initialize`: workspace folders, client settings and capabilities; what the server offers.

use std::path::PathBuf;

use tower_lsp_server::ls_types::*;

use crate::lsp::session::{ServerHandle, file_path};
use crate::lsp::settings::ClientSettings;

pub const FIX_ALL: &str = "source.fixAll.wps-lint";

pub async fn handle(world: &ServerHandle, params: InitializeParams) -> InitializeResult {
    let mut folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| file_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if folders.is_empty() {
        folders.extend(params.root_uri.as_ref().and_then(file_path));
    }
    let dynamic_watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|c| c.dynamic_registration)
        .unwrap_or(false);
    let settings = ClientSettings::from_client(
        params.initialization_options.as_ref(),
        folders.first().map(PathBuf::as_path),
    );
    {
        let mut session = world.lock();
        session.folders = folders;
        session.dynamic_watch = dynamic_watch;
        if let Ok(settings) = &settings {
            session.settings = settings.clone();
        }
    }
    if let Err(message) = settings {
        world.client.show_message(MessageType::ERROR, message).await;
    }
    InitializeResult {
        capabilities: ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(FIX_ALL),
                ]),
                ..CodeActionOptions::default()
            })),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "wps-lint".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    }
}
