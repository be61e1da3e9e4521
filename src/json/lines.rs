//! Byte offsets to 1-based lines and columns. Columns count Unicode scalar values (the CLI's
//! contract); UTF-16 code units are available for the language server.

use crate::diagnostic::{Position, Range, Span};

#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts. A line ends at `\n`; a `\r` before it belongs to it.
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(newline_offsets(text).map(|i| i as u32 + 1));
        LineIndex { starts }
    }

    /// The index of the lines up to 0-based `line` only: enough for the offsets on them, without
    /// reading the rest of a large text (an editor's change near its top).
    pub fn through(text: &str, line: u32) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            newline_offsets(text)
                .take(line as usize)
                .map(|i| i as u32 + 1),
        );
        LineIndex { starts }
    }

    /// The byte offset where each line starts, the first 0.
    pub fn starts(&self) -> &[u32] {
        &self.starts
    }

    /// 0-based line number and the byte offset its line starts at.
    fn line_of(&self, offset: u32) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line, self.starts[line] as usize)
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let (line, start) = self.line_of(offset);
        let column = text
            .get(start..offset as usize)
            .map_or(0, |prefix| prefix.chars().count());
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range {
            start: self.position(text, span.start),
            end: self.position(text, span.end),
        }
    }

    /// 0-based line and UTF-16 column, as the language server protocol counts them.
    pub fn utf16_position(&self, text: &str, offset: u32) -> (u32, u32) {
        let (line, start) = self.line_of(offset);
        let column: usize = text
            .get(start..offset as usize)
            .map_or(0, |prefix| prefix.chars().map(char::len_utf16).sum());
        (line as u32, column as u32)
    }

    /// The byte offset of a 0-based line and UTF-16 column, clamped to the line and the text.
    pub fn offset_of_utf16(&self, text: &str, line: u32, column: u32) -> usize {
        let Some(&start) = self.starts.get(line as usize) else {
            return text.len();
        };
        let rest = &text[start as usize..];
        let mut units = 0;
        for (i, c) in rest.char_indices() {
            // A column past the line's end is its end, before a `\r\n` as before a `\n`.
            let ends = c == '\n' || c == '\r' && rest[i + 1..].starts_with('\n');
            if units >= column as usize || ends {
                return start as usize + i;
            }
            units += c.len_utf16();
        }
        text.len()
    }
}

fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values_and_utf16_units() {
        let text = "{\r\n  \"é😀\": 1\n}";
        let index = LineIndex::new(text);
        let one = text.find('1').unwrap() as u32;
        assert_eq!(index.position(text, one), Position { line: 2, column: 9 });
        assert_eq!(index.utf16_position(text, one), (1, 9));
        assert_eq!(index.offset_of_utf16(text, 1, 9), one as usize);
        let close = text.rfind('}').unwrap() as u32;
        assert_eq!(index.position(text, close), Position { line: 3, column: 1 });
    }
}
