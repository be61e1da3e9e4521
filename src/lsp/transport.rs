//! A guard in front of the LSP framing: tower-lsp-server's reader ends the whole session at
//! the first frame it cannot decode, so frames are checked here and malformed ones are
//! dropped (with a line on stderr) instead of reaching it; `framer` says what is well-formed.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::framer::{Event, Framer};

/// Copies well-formed frames from `input` to `output` until `input` ends; what the framer
/// drops is said on stderr.
pub async fn sanitize(mut input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut framer = Framer::default();
    let mut chunk = vec![0; 64 << 10];
    loop {
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) => framer.push(&chunk[..read]),
        }
        while let Some(event) = framer.next_event() {
            match event {
                Event::Message(body) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if output.write_all(header.as_bytes()).await.is_err()
                        || output.write_all(&body).await.is_err()
                        || output.flush().await.is_err()
                    {
                        return;
                    }
                }
                Event::Dropped(why) => eprintln!("wps-lint lsp: dropped {why}"),
            }
        }
    }
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
