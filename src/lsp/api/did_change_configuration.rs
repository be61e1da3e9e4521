//! `workspace/didChangeConfiguration`: new server settings. An empty or missing settings
//! object (clients that only signal a change) keeps the current ones.

use tower_lsp_server::ls_types::{DidChangeConfigurationParams, MessageType};

use crate::lsp::session::ServerHandle;
use crate::lsp::settings::ClientSettings;

pub async fn handle(world: &ServerHandle, params: DidChangeConfigurationParams) {
    let value = params.settings;
    if value.is_null() || value.as_object().is_some_and(|o| o.is_empty()) {
        return;
    }
    let base = world.lock().base().map(ToOwned::to_owned);
    match ClientSettings::from_client(Some(&value), base.as_deref()) {
        Ok(settings) => {
            let mut session = world.lock();
            session.settings = settings;
            world.changed(&mut session);
        }
        Err(message) => world.client.show_message(MessageType::ERROR, message).await,
    }
}
