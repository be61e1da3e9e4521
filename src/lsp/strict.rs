//! What LSP asks of a server that tower-lsp-server does not do itself: a request for an
//! unknown `$/` method gets MethodNotFound (the library answers it with nothing, as it may a
//! `$/` notification, and the client would wait for ever), and the exit status says whether
//! `shutdown` came before `exit` (0) or not (1).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_service::Service;

/// The server's service with these two rules in front of it.
pub struct Strict<S> {
    inner: S,
    shut_down: Arc<AtomicBool>,
}

impl<S> Strict<S> {
    /// The service, and the flag that `shutdown` has been answered.
    pub fn new(inner: S) -> (Strict<S>, Arc<AtomicBool>) {
        let shut_down = Arc::new(AtomicBool::new(false));
        let strict = Strict {
            inner,
            shut_down: shut_down.clone(),
        };
        (strict, shut_down)
    }
}

impl<S> Service<Request> for Strict<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let unknown = request
            .id()
            .filter(|_| request.method().starts_with("$/"))
            .cloned();
        let shutdown = request.method() == "shutdown" && request.id().is_some();
        let shut_down = self.shut_down.clone();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            if shutdown && response.as_ref().is_some_and(Response::is_ok) {
                shut_down.store(true, Ordering::SeqCst);
            }
            Ok(match (response, unknown) {
                (None, Some(id)) => Some(Response::from_error(id, Error::method_not_found())),
                (response, _) => response,
            })
        })
    }
}
