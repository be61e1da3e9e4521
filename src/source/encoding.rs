//! Text encodings of files on disk: UTF-8 (with or without a byte order mark), and UTF-16
//! when a byte order mark says so, as Azure tooling on Windows writes it. A file's text keeps
//! its byte order mark as U+FEFF, so writing it back in the same encoding gives the same
//! bytes.

/// How a file's bytes encode its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// The encoding a file's first bytes announce.
pub fn encoding_of(start: &[u8]) -> Encoding {
    match start {
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        _ => Encoding::Utf8,
    }
}

/// A file's text, or in one line why it is not text that can be linted.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    let unit = match encoding_of(&bytes) {
        Encoding::Utf8 => return utf8(bytes),
        Encoding::Utf16Le => u16::from_le_bytes,
        Encoding::Utf16Be => u16::from_be_bytes,
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(
            "not UTF-16 text (its byte order mark says UTF-16, but it has an odd number of bytes)"
                .into(),
        );
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(at, c)| {
            c.map_err(|_| format!("not UTF-16 text (unpaired surrogate at offset {})", 2 * at))
        })
        .collect()
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.contains(&0) {
        // ASCII in UTF-16 is every other byte NUL.
        return Err(if looks_like_utf16(&bytes) {
            "UTF-16 text without a byte order mark, which is not supported: save it as UTF-8, or as UTF-16 with a byte order mark".into()
        } else {
            NOT_TEXT.into()
        });
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(e.utf8_error().valid_up_to()))
}

pub fn not_utf8(valid_up_to: usize) -> String {
    format!("not UTF-8 text (invalid byte at offset {valid_up_to})")
}

pub const NOT_TEXT: &str = "not a text file (it contains NUL bytes)";

/// Mostly ASCII in UTF-16: NUL in one byte of most pairs.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let pairs = bytes.len() / 2;
    let nul_at = |odd: usize| {
        bytes
            .chunks_exact(2)
            .filter(|p| p[odd] == 0 && p[1 - odd] != 0)
            .count()
    };
    pairs > 0 && (nul_at(0).max(nul_at(1)) * 4 >= pairs * 3)
}

/// `text` in `encoding`: its U+FEFF, if any, becomes the byte order mark again.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    let unit = match encoding {
        Encoding::Utf8 => return text.as_bytes().to_vec(),
        Encoding::Utf16Le => u16::to_le_bytes,
        Encoding::Utf16Be => u16::to_be_bytes,
    };
    text.encode_utf16().flat_map(unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_bom_round_trips_and_without_one_is_named() {
        let text = "\u{FEFF}{\"a\": \"ü🔑\"}";
        for encoding in [Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Utf8] {
            let bytes = encode(text, encoding);
            assert_eq!(encoding_of(&bytes), encoding);
            assert_eq!(decode(bytes).unwrap(), text);
        }
        let bare = encode("{\"a\": 1}", Encoding::Utf16Le);
        assert!(
            decode(bare)
                .unwrap_err()
                .starts_with("UTF-16 text without a byte order mark")
        );
        assert_eq!(decode(vec![b'{', 0, 0, 0, 7]).unwrap_err(), NOT_TEXT);
    }
}
