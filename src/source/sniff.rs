//! The cheap look at a file before any pass: its top-level `$schema`, found by skipping over
//! the text without building anything. Discovery needs the kind of every JSON file (a parameter
//! file must be known before its template's pass pairs it), and most JSON in a repository is
//! not a template; parsing each just to read one string would double the work of a run.
//!
//! Hand-written because the parser crate has no way to stop early or skip values unbuilt.

use super::FileKind;

const TEMPLATE_SCHEMA: &str = "deploymenttemplate.json";
const PARAMETERS_SCHEMA: &str = "deploymentparameters.json";

/// What a file's text says it is. When the text is not JSON as far as the look goes, a file
/// that mentions the template schema anywhere is a broken template (WPS001 will say where).
pub fn kind(text: &str) -> FileKind {
    match top_level_schema(text) {
        Some(schema) => kind_of_schema(schema),
        None if contains_ignore_case(text, TEMPLATE_SCHEMA) => FileKind::Template,
        None => FileKind::Other,
    }
}

/// Whether the start of a text decides its kind: its top-level `$schema` is in it.
pub fn settles(start: &str) -> bool {
    top_level_schema(start).is_some()
}

pub fn kind_of_schema(schema: &str) -> FileKind {
    if contains_ignore_case(schema, TEMPLATE_SCHEMA) {
        FileKind::Template
    } else if contains_ignore_case(schema, PARAMETERS_SCHEMA) {
        FileKind::Parameters
    } else {
        FileKind::Other
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The raw text of the first `"$schema"` string member of the top-level object (keys compared
/// case-insensitively, as ARM does), or `None` when there is none or the text stops being JSON.
fn top_level_schema(text: &str) -> Option<&str> {
    let mut s = Scanner {
        bytes: text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes(),
        at: 0,
    };
    let base = text.len() - s.bytes.len();
    s.blank()?;
    s.expect(b'{')?;
    loop {
        s.blank()?;
        if s.peek()? == b'}' {
            return None;
        }
        let key = s.string()?;
        s.blank()?;
        s.expect(b':')?;
        s.blank()?;
        if s.bytes[key.clone()].eq_ignore_ascii_case(b"$schema") && s.peek()? == b'"' {
            let value = s.string()?;
            return text.get(base + value.start..base + value.end);
        }
        s.skip_value()?;
        s.blank()?;
        match s.next()? {
            b',' => continue,
            _ => return None,
        }
    }
}

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    /// Skips white space and comments; `None` at the end of the text.
    fn blank(&mut self) -> Option<()> {
        loop {
            match self.peek()? {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'/' if self.bytes.get(self.at + 1) == Some(&b'/') => {
                    let end = self.bytes[self.at..].iter().position(|&b| b == b'\n')?;
                    self.at += end;
                }
                b'/' if self.bytes.get(self.at + 1) == Some(&b'*') => {
                    let end = self.bytes[self.at + 2..]
                        .windows(2)
                        .position(|w| w == b"*/")?;
                    self.at += end + 4;
                }
                _ => return Some(()),
            }
        }
    }

    /// A string at the cursor: the range of its contents, escapes left as written.
    fn string(&mut self) -> Option<std::ops::Range<usize>> {
        self.expect(b'"')?;
        let start = self.at;
        loop {
            let skip = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            self.at += skip;
            if self.next()? == b'"' {
                return Some(start..self.at - 1);
            }
            self.next()?;
        }
    }

    /// Skips one value of any kind, nested ones by counting brackets outside strings.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.blank()?;
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                // A scalar: up to the next delimiter.
                _ => {
                    let end = self.bytes[self.at..].iter().position(|&b| {
                        matches!(b, b',' | b'}' | b']' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
                    })?;
                    if end == 0 {
                        return None;
                    }
                    self.at += end;
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_top_level_schema_only() {
        let template =
            "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
        let text = format!(
            "\u{feff}{{ // c\n \"a\": [1, {{\"$schema\": \"x\"}}, \"]\\\"\"], /* }} */ \"$SCHEMA\": \"{template}\" }}"
        );
        assert_eq!(top_level_schema(&text), Some(template));
        assert_eq!(kind(&text), FileKind::Template);
        assert_eq!(
            kind(r#"{"$schema": "https://x/deploymentParameters.json#", "parameters": {}}"#),
            FileKind::Parameters
        );
        assert_eq!(
            kind(r#"{"name": "package", "deps": {"$schema": 1}}"#),
            FileKind::Other
        );
        assert_eq!(kind("[1, 2]"), FileKind::Other);
        // Broken before the schema: the mention decides.
        assert_eq!(
            kind("{\"a\": tru e, \"$schema\": \".../deploymentTemplate.json#\""),
            FileKind::Template
        );
        assert_eq!(kind("{\"a\": "), FileKind::Other);
        assert_eq!(kind(""), FileKind::Other);
    }
}
