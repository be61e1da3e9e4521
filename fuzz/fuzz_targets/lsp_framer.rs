#![no_main]
//! The language server's framer: arbitrary bytes, fed in arbitrary pieces (the first byte of
//! each piece says how long it is). It must not panic, must give only JSON messages, and must
//! give the same messages however the bytes are cut.

use libfuzzer_sys::fuzz_target;
use wps_lint::lsp::framer::{Event, Framer};

fn messages(pieces: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut framer = Framer::default();
    let mut out = Vec::new();
    for piece in pieces {
        framer.push(piece);
        while let Some(event) = framer.next_event() {
            if let Event::Message(body) = event {
                assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
                out.push(body);
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let mut pieces = Vec::new();
    let mut rest = data;
    while let Some((&length, tail)) = rest.split_first() {
        let length = (length as usize).min(tail.len());
        pieces.push(&tail[..length]);
        rest = &tail[length..];
    }
    let cut = messages(&pieces);
    let whole: Vec<u8> = pieces.concat();
    assert_eq!(
        cut,
        messages(&[&whole]),
        "cut differently, framed differently"
    );
});
