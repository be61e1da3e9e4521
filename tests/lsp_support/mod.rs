//! A minimal LSP client over the built binary's stdio, for the language-server tests. Waits
//! are bounded only as a safety net against a hung server; no test asserts a duration.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PATIENCE: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Every notification the server sent, in order.
    pub notifications: Vec<Value>,
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    /// Starts `wps-lint lsp` on a workspace folder, with file watching the client supports
    /// and `options` as `initializationOptions`.
    pub fn start(folder: &Path, options: Value) -> Client {
        let mut client = Client::spawn();
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(folder),
                "workspaceFolders": [{"uri": uri(folder), "name": "ws"}],
                "initializationOptions": options,
                "capabilities": {
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                    "textDocument": {"publishDiagnostics": {"versionSupport": true}}
                }
            }),
        );
        assert!(
            result["result"]["capabilities"]["hoverProvider"] == json!(true),
            "{result}"
        );
        client.notify("initialized", json!({}));
        client
    }

    pub fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wps-lint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start wps-lint lsp");
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(frame.as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Several notifications in one write, so that the server sees them back to back.
    pub fn notify_all(&mut self, messages: &[(&str, Value)]) {
        let mut bytes = Vec::new();
        for (method, params) in messages {
            let body = json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string();
            bytes.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
        }
        self.send_raw(&bytes);
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.next(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// The next message matching `wanted`; notifications seen on the way are kept, and the
    /// server's own requests (registrations) are answered.
    pub fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no such message from the server; notifications so far: {:#?}",
                    self.notifications
                ),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            } else if message.get("method").is_some() {
                self.notifications.push(message.clone());
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next `publishDiagnostics` for `uri` that satisfies `wanted` (its params).
    pub fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let message = self.next(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && wanted(&m["params"])
        });
        message["params"].clone()
    }

    /// The next `publishDiagnostics` for `uri` with exactly this version.
    pub fn diagnostics_of_version(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.diagnostics(uri, |p| p["version"] == version);
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// Opens a document with the language id editors give its extension.
    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        let language = match path.extension().and_then(|e| e.to_str()) {
            Some("bicep") => "bicep",
            Some("bicepparam") => "bicep-params",
            _ => "json",
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        uri
    }

    pub fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    pub fn close_input(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to end (bounded by the safety net) and returns whether it did.
    pub fn exited(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The exit status, once the process has ended (bounded by the safety net).
    pub fn exit_code(&mut self) -> Option<i32> {
        assert!(self.exited(), "the server did not exit");
        self.child.try_wait().unwrap().and_then(|s| s.code())
    }

    /// `shutdown` then `exit`.
    pub fn stop(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        assert!(self.exited(), "the server did not exit");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The byte offset of a 0-based line and UTF-16 column in `text`.
pub fn offset_of(text: &str, line: u64, character: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize)
        .map(str::len)
        .sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character as usize || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies LSP `TextEdit`s (non-overlapping) to a text.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let at = |p: &Value| {
                offset_of(
                    text,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                )
            };
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// `(code, 1-based line, 1-based UTF-16 column)` of LSP diagnostics, sorted.
pub fn positions(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    out.sort();
    out
}
