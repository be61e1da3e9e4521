//! A guard in front of the LSP framing: tower-lsp-server's reader ends the whole session at
//! the first frame it cannot decode, so frames are checked here and malformed ones are
//! dropped (with a line on stderr) instead of reaching it.

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Copies well-formed frames from `input` to `output` until `input` ends.
pub async fn sanitize(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        let mut length: Option<usize> = None;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                if length.is_some() {
                    break;
                }
                continue;
            }
            if let Some((name, value)) = text.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        if !is_message(&body) {
            eprintln!("wps-lint lsp: dropped a malformed message of {length} bytes");
            continue;
        }
        let header = format!("Content-Length: {length}\r\n\r\n");
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(&body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

/// A JSON-RPC 2.0 request, notification or response.
fn is_message(body: &[u8]) -> bool {
    let Ok(Value::Object(message)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let version = message.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
    let id_ok = message
        .get("id")
        .is_none_or(|id| id.is_string() || id.is_i64() || id.is_u64() || id.is_null());
    let params_ok = message
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    let request = message.get("method").is_some_and(Value::is_string) && params_ok;
    let response = message.contains_key("id")
        && (message.contains_key("result") || message.contains_key("error"));
    version && id_ok && (request || response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn malformed_frames_are_dropped_and_framing_recovers() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not jsonContent-Length: 13\r\n\r\n{{\"id\": true}}garbage\r\n\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let mut output = Vec::new();
        sanitize(input.as_bytes(), &mut output).await;
        assert_eq!(
            String::from_utf8(output).unwrap(),
            format!("Content-Length: {}\r\n\r\n{good}", good.len())
        );
    }
}
