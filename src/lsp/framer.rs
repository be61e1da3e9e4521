//! The LSP base protocol's framing (`Content-Length: N`, a blank line, N bytes of JSON-RPC),
//! read strictly and within bounds: a frame whose header has no valid `Content-Length`, whose
//! length is over [`MAX_BODY`], or whose body is not the message its length announces, is
//! dropped with a reason, and reading resumes at the next `Content-Length` header. Bytes are
//! kept only as they arrive, never allocated ahead on a header's word.

use serde::de::IgnoredAny;
use serde_json::Value;

/// The largest message taken: far more than the largest document an editor sends.
pub const MAX_BODY: usize = 256 << 20;
/// The largest header block taken (a real one is a line or two).
const MAX_HEADER: usize = 8 << 10;
const NAME: &[u8] = b"content-length:";

/// What the framer makes of the bytes so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// A JSON-RPC message's body.
    Message(Vec<u8>),
    /// Bytes passed over, and why.
    Dropped(String),
}

#[derive(Default)]
pub struct Framer {
    buffer: Vec<u8>,
    /// Looking for the next `Content-Length` header after a bad frame.
    hunting: bool,
    /// How far the body of a frame still arriving has been searched for a header.
    searched: usize,
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next message or dropped frame; `None` until more bytes arrive.
    pub fn next_event(&mut self) -> Option<Event> {
        if self.hunting {
            match find_name(&self.buffer, 0) {
                Some(at) => {
                    self.buffer.drain(..at);
                    self.hunting = false;
                }
                None => {
                    // A header cut between reads is kept for the next one.
                    let keep = self.buffer.len().min(NAME.len() - 1);
                    self.buffer.drain(..self.buffer.len() - keep);
                    return None;
                }
            }
        }
        // Line breaks after a body are not the next frame's.
        let blank = self
            .buffer
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        self.buffer.drain(..blank);
        let Some((header_end, body_start)) = header_end(&self.buffer) else {
            if self.buffer.len() > MAX_HEADER {
                return Some(self.resync(1, "a header block of more than 8 KiB".into()));
            }
            return None;
        };
        let length = match content_length(&self.buffer[..header_end]) {
            Ok(length) => length,
            Err(why) => return Some(self.resync(1, why)),
        };
        let end = body_start + length;
        if self.buffer.len() < end {
            return self.cut_short(body_start, length);
        }
        self.searched = 0;
        let body = &self.buffer[body_start..end];
        if is_message(body) {
            let body = body.to_vec();
            self.buffer.drain(..end);
            return Some(Event::Message(body));
        }
        if serde_json::from_slice::<IgnoredAny>(body).is_ok() {
            // The length was right; the JSON is not a JSON-RPC message.
            self.buffer.drain(..end);
            return Some(Event::Dropped(format!(
                "a message of {length} bytes that is not JSON-RPC 2.0"
            )));
        }
        Some(self.resync(
            body_start,
            format!(
                "a frame whose {length} bytes are not one JSON message (a wrong Content-Length?)"
            ),
        ))
    }

    /// While a body is arriving: a header after a whole JSON value inside it means the
    /// announced length was longer than the message, and waiting for the rest would wait for
    /// the next messages, perhaps forever. (Inside a JSON string, the text before the header is
    /// never a whole value.)
    fn cut_short(&mut self, body_start: usize, length: usize) -> Option<Event> {
        let mut from = self.searched.max(body_start);
        while let Some(at) = find_name(&self.buffer, from) {
            let before = &self.buffer[body_start..at];
            // A message is an object: only after a `}` is the (costlier) parse worth it.
            let closes = before.iter().rev().find(|b| !b.is_ascii_whitespace()) == Some(&b'}');
            if closes && serde_json::from_slice::<IgnoredAny>(before).is_ok() {
                self.searched = 0;
                self.buffer.drain(..at);
                return Some(Event::Dropped(format!(
                    "a message shorter than its Content-Length of {length}"
                )));
            }
            // Not the end of the message (text in one of its strings): search on past it.
            from = at + 1;
        }
        // A header cut between reads is searched again with its end.
        self.searched = self.buffer.len().saturating_sub(NAME.len() - 1).max(from);
        None
    }

    /// Drops a bad frame: on to the next `Content-Length` header after `from`.
    fn resync(&mut self, from: usize, why: String) -> Event {
        self.searched = 0;
        self.buffer.drain(..from.min(self.buffer.len()));
        self.hunting = true;
        Event::Dropped(why)
    }
}

/// The end of the header block and the start of the body: the first blank line.
fn header_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let limit = buffer.len().min(MAX_HEADER + 4);
    (0..limit).find_map(|i| {
        if buffer[i] != b'\n' {
            return None;
        }
        match buffer.get(i + 1..) {
            Some([b'\n', ..]) => Some((i, i + 2)),
            Some([b'\r', b'\n', ..]) => Some((i, i + 3)),
            _ => None,
        }
    })
}

/// The `Content-Length` of a header block, or why it has none that can be used.
fn content_length(header: &[u8]) -> Result<usize, String> {
    let header = String::from_utf8_lossy(header);
    let mut length = None;
    for line in header.lines() {
        let line = line.trim_end_matches('\r');
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "a header line that is not `Name: value`: `{}`",
                shown(line)
            ));
        };
        if !name.trim().eq_ignore_ascii_case("content-length") {
            continue;
        }
        let value = value.trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "a Content-Length that is not a length: `{}`",
                shown(value)
            ));
        }
        match value.parse::<usize>() {
            Ok(n) if n <= MAX_BODY => length = Some(n),
            _ => {
                return Err(format!(
                    "a Content-Length of {} bytes, over the limit of {MAX_BODY}",
                    shown(value)
                ));
            }
        }
    }
    length.ok_or_else(|| "a header without Content-Length".to_string())
}

/// A header's text for a message: cut short, so that junk does not flood the log.
fn shown(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Where the next `Content-Length` header name starts, at or after `from`.
fn find_name(buffer: &[u8], from: usize) -> Option<usize> {
    buffer
        .get(from..)?
        .windows(NAME.len())
        .position(|w| w.eq_ignore_ascii_case(NAME))
        .map(|at| from + at)
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

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// The events of `input` fed whole; fed a byte at a time, it gives the same messages.
    fn events(input: &[u8]) -> Vec<Event> {
        let mut whole = Framer::default();
        whole.push(input);
        let all: Vec<Event> = std::iter::from_fn(|| whole.next_event()).collect();
        let mut bytewise = Framer::default();
        let mut each = Vec::new();
        for byte in input {
            bytewise.push(std::slice::from_ref(byte));
            each.extend(std::iter::from_fn(|| bytewise.next_event()));
        }
        let messages = |events: &[Event]| -> Vec<Vec<u8>> {
            events
                .iter()
                .filter_map(|e| match e {
                    Event::Message(body) => Some(body.clone()),
                    Event::Dropped(_) => None,
                })
                .collect()
        };
        assert_eq!(
            messages(&all),
            messages(&each),
            "fed whole and byte by byte"
        );
        all
    }

    fn messages(input: &[u8]) -> usize {
        events(input)
            .iter()
            .filter(|e| matches!(e, Event::Message(_)))
            .count()
    }

    #[test]
    fn every_bad_header_is_dropped_and_the_next_frame_is_read() {
        let bad = [
            format!("Content-Type: x\r\n\r\n{GOOD}"),
            format!("Content-Length: -5\r\n\r\n{GOOD}"),
            format!("Content-Length: ten\r\n\r\n{GOOD}"),
            format!("Content-Length:\r\n\r\n{GOOD}"),
            format!("Content-Length: 5\r\n\r\n{GOOD}"),
            format!("Content-Length: {}\r\n\r\n{GOOD}", GOOD.len() + 30),
            format!("Content-Length: 18446744073709551615\r\n\r\n{GOOD}"),
            format!("Content-Length: 9223372036854775807\r\n\r\n{GOOD}"),
            format!("Content-Length: 99999999999999999999999\r\n\r\n{GOOD}"),
            format!("Content-Length: {}\r\n\r\n{GOOD}", MAX_BODY + 1),
            "junk\r\nContent-Length: 1\r\n\r\n{".to_string(),
            "x".repeat(MAX_HEADER + 10),
        ];
        for bad in bad {
            let input = format!("{bad}{}{}", frame(GOOD), frame(GOOD));
            assert_eq!(messages(input.as_bytes()), 2, "after {:.60}", bad);
        }
    }

    #[test]
    fn good_frames_pass_whole() {
        let body = r#"{"jsonrpc":"2.0","method":"m","params":{"text":"Content-Length: 3\r\n"}}"#;
        let input = format!("{}\r\n{}", frame(body), frame(GOOD));
        assert_eq!(
            events(input.as_bytes()),
            [
                Event::Message(body.as_bytes().to_vec()),
                Event::Message(GOOD.as_bytes().to_vec())
            ]
        );
        // Cut inside a frame: nothing yet, and nothing allocated on its header's word.
        let mut framer = Framer::default();
        framer.push(format!("Content-Length: {MAX_BODY}\r\n\r\n{{").as_bytes());
        assert_eq!(framer.next_event(), None);
        assert!(framer.buffer.capacity() < 4096);
    }
}
