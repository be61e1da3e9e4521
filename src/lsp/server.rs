//! The `LanguageServer` implementation: one line per method, each handing over to its file in
//! `api/`.

use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::api;
use super::session::ServerHandle;

pub struct Server {
    pub world: ServerHandle,
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(api::initialize::handle(&self.world, params).await)
    }

    async fn initialized(&self, _: InitializedParams) {
        api::initialized::handle(&self.world);
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        api::did_open::handle(&self.world, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        api::did_change::handle(&self.world, params);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        api::did_save::handle(&self.world, params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        api::did_close::handle(&self.world, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        api::did_change_watched_files::handle(&self.world, params);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        api::did_change_configuration::handle(&self.world, params).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        api::did_change_workspace_folders::handle(&self.world, params);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(api::off_loop(&self.world, |world| api::hover::handle(world, params)).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(api::off_loop(&self.world, |world| api::code_action::handle(world, params)).await)
    }
}
