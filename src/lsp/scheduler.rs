//! The analysis loop. Handlers only record changes and ring the bell; this task analyses a
//! snapshot on a blocking thread at once, with no wait for typing to pause, and publishes only
//! when no change came in meanwhile. A newer change cancels the run in flight (it stops at its
//! next step, keeping nothing, and its answer is dropped: see `Cancel`) and the next run starts
//! at once on the newer text, beside the cancelled one while it finishes its step rather than
//! after it; at most one cancelled run winds down at a time, so runs never pile up. Only the
//! newest run publishes, so publications keep their order; hovers and code actions keep the
//! last published analysis meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use foldhash::HashMap;
use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};

use super::analysis::{WorkspaceFindings, lint_workspace};
use super::convert::{self, IndexedText};
use super::session::{PreparedFor, Published, ServerHandle};
use crate::run::{Cancel, Prepared};

pub async fn run(world: ServerHandle) {
    // A run a newer change cancelled, still finishing the stage it was in.
    let mut winding_down = None;
    // A change rang while a run was in flight: the next run starts without waiting.
    let mut rung = false;
    loop {
        if !std::mem::take(&mut rung) {
            world.wake.notified().await;
        }
        let mut snapshot = world.lock().snapshot();
        let generation = snapshot.generation;
        let handle = world.clone();
        snapshot.request.cancel = Cancel::when(move || handle.lock().generation != generation);
        let documents = snapshot.documents.clone();
        let prepared_for = snapshot.prepared_for;
        let mut prepared = snapshot.prepared;
        let work = move || {
            let texts: HashMap<PathBuf, String> = snapshot.request.overlays.clone();
            let result = lint_workspace(snapshot.request, &mut prepared).map(|analysis| {
                // Positions are converted here too: for a large file that is no small job.
                let publications: Vec<_> = snapshot
                    .documents
                    .into_iter()
                    .map(|(path, uri, version)| {
                        let diagnostics =
                            lsp_diagnostics(&analysis, &path, &IndexedText::new(&texts[&path]));
                        (uri, diagnostics, version)
                    })
                    .collect();
                (Arc::new(analysis), publications)
            });
            (result, prepared)
        };
        let mut task = tokio::task::spawn_blocking(work);
        let joined = tokio::select! {
            joined = &mut task => joined,
            () = world.wake.notified() => {
                if let Some(previous) = winding_down.replace(task) {
                    let _ = previous.await;
                }
                rung = true;
                continue;
            }
        };
        let result = joined_or_failure(joined).map(|(result, prepared)| {
            keep_prepared(&world, prepared_for, prepared);
            result
        });
        let (analysis, publications) = match result {
            Ok(Ok(done)) => done,
            // Cancelled, or failed on a snapshot a newer change has replaced: the next run
            // (already rung for) answers.
            Ok(Err(_)) if world.lock().generation != generation => continue,
            Ok(Err(message)) => {
                run_failed(&world, message).await;
                continue;
            }
            Err(failure) => {
                world
                    .client
                    .log_message(
                        MessageType::ERROR,
                        format!("wps-lint: {failure}; the server keeps serving"),
                    )
                    .await;
                continue;
            }
        };
        let cleared = {
            let mut session = world.lock();
            if session.generation != generation {
                continue;
            }
            session.latest = Some(Published {
                analysis,
                versions: documents.iter().map(|(p, _, v)| (p.clone(), *v)).collect(),
            });
            session.error.take().and_then(|(_, uri)| uri)
        };
        if let Some(uri) = cleared {
            world.client.publish_diagnostics(uri, vec![], None).await;
        }
        for (uri, diagnostics, version) in publications {
            world
                .client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
        }
        check_disk(&world);
    }
}

/// Keeps the files a run prepared, for the next runs on the same set, settings and disk.
fn keep_prepared(world: &ServerHandle, prepared_for: PreparedFor, prepared: Option<Arc<Prepared>>) {
    let mut session = world.lock();
    if let Some(prepared) = prepared
        && session.disk == prepared_for.disk
    {
        session.prepared = Some((prepared_for, prepared));
    }
}

/// How often, at most, the kept files are compared with the disk while edits come in.
const DISK_CHECK: Duration = Duration::from_secs(2);

/// Compares the kept files with the disk, off the keystroke's path and at most every
/// `DISK_CHECK`: a change no client event told of (a client that does not watch files, a file
/// its watchers do not cover) is picked up, and analysed.
fn check_disk(world: &ServerHandle) {
    let prepared = {
        let mut session = world.lock();
        if session.checked.is_some_and(|at| at.elapsed() < DISK_CHECK) {
            return;
        }
        session.checked = Some(Instant::now());
        match &session.prepared {
            Some((prepared_for, prepared)) => (prepared_for.disk, prepared.clone()),
            None => return,
        }
    };
    let world = world.clone();
    tokio::task::spawn_blocking(move || {
        let (disk, prepared) = prepared;
        if prepared.changed_on_disk() {
            let mut session = world.lock();
            if session.disk == disk {
                session.disk_changed();
                world.changed(&mut session);
            }
        }
    });
}

/// What a blocking task gave back; a panic in it comes back as a message instead of taking the
/// server down.
fn joined_or_failure<T>(joined: Result<T, tokio::task::JoinError>) -> Result<T, String> {
    joined.map_err(|join| {
        if join.is_panic() {
            let payload = join.into_panic();
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!("an analysis panicked: {text}")
        } else {
            "an analysis was cancelled".to_string()
        }
    })
}

pub fn lsp_diagnostics(
    analysis: &WorkspaceFindings,
    path: &std::path::Path,
    text: &IndexedText,
) -> Vec<lsp::Diagnostic> {
    analysis
        .diagnostics(path)
        .iter()
        .map(|d| convert::diagnostic(d, text, |file| analysis.source(std::path::Path::new(file))))
        .collect()
}

/// A broken configuration or setting fails the run: say so once per distinct message, and put
/// it on the config file when the message names one.
async fn run_failed(world: &ServerHandle, message: String) {
    let config = config_error_place(&message);
    {
        let mut session = world.lock();
        if session.error.as_ref().is_some_and(|(m, _)| *m == message) {
            return;
        }
        session.error = Some((message.clone(), config.as_ref().map(|(uri, _)| uri.clone())));
    }
    world
        .client
        .show_message(MessageType::ERROR, format!("wps-lint: {message}"))
        .await;
    if let Some((uri, range)) = config {
        let diagnostic = lsp::Diagnostic {
            range,
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some(crate::diagnostic::TOOL_NAME.to_string()),
            message: message.clone(),
            ..lsp::Diagnostic::default()
        };
        world
            .client
            .publish_diagnostics(uri, vec![diagnostic], None)
            .await;
    }
}

/// `/x/wps-lint.toml: message` → the file and, when TOML itself can say, where the error is.
fn config_error_place(message: &str) -> Option<(Uri, lsp::Range)> {
    let end = message.find(".toml: ")? + ".toml".len();
    let path = std::path::Path::new(&message[..end]);
    let text = std::fs::read_to_string(path).ok()?;
    let span = toml::from_str::<toml::Table>(&text)
        .err()
        .and_then(|e| e.span())
        .unwrap_or(0..0);
    let text = IndexedText::new(&text);
    let range = text.range(crate::diagnostic::Span::new(span.start, span.end));
    Some((Uri::from_file_path(path)?, range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_analysis_is_reported_not_fatal() {
        let failed = tokio::task::spawn_blocking(|| -> u8 { panic!("boom in a rule") }).await;
        assert_eq!(
            joined_or_failure(failed).unwrap_err(),
            "an analysis panicked: boom in a rule"
        );
        let done = tokio::task::spawn_blocking(|| 7).await;
        assert_eq!(joined_or_failure(done), Ok(7));
    }
}
