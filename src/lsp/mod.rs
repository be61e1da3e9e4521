//! `wps-lint lsp`: the language server of the contract, over stdio. `session` owns the open
//! documents and the workspace index, `scheduler` runs the analysis off the message loop, and
//! `api/` has one file per LSP method. All analysis goes through `analysis`; no rule or
//! analysis code knows about LSP types.

mod analysis;
mod api;
mod convert;
mod edit;
pub mod framer;
mod index;
mod scheduler;
mod server;
mod session;
mod settings;
mod strict;
mod transport;

use std::sync::{Arc, Mutex};

use tokio::sync::Notify;
use tower_lsp_server::{LspService, Server};

use session::{ServerHandle, Session};

/// Serves until `exit` or until the client closes the connection; returns the exit status: 0
/// after `shutdown`, else 1, as LSP asks.
pub fn run() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the language server: {e}");
            return 2;
        }
    };
    let shut_down = runtime.block_on(async {
        let (service, socket) = LspService::new(|client| {
            let world = ServerHandle {
                client,
                session: Arc::new(Mutex::new(Session::default())),
                wake: Arc::new(Notify::new()),
            };
            tokio::spawn(scheduler::run(world.clone()));
            server::Server { world }
        });
        let (checked, input) = tokio::io::duplex(1 << 16);
        tokio::spawn(transport::sanitize(tokio::io::stdin(), checked));
        let (service, shut_down) = strict::Strict::new(service);
        Server::new(input, tokio::io::stdout(), socket)
            .serve(service)
            .await;
        shut_down
    });
    // An analysis still running on a blocking thread must not hold up `exit`.
    runtime.shutdown_background();
    if shut_down.load(std::sync::atomic::Ordering::SeqCst) {
        0
    } else {
        1
    }
}
