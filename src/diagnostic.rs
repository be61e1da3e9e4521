//! What the analysis hands to the reporters: findings with exact locations, and notices about
//! files that were not linted. Everything here is plain data so every output format (and the
//! language server) renders the same facts.

use serde::{Deserialize, Serialize};

/// The name every report, baseline and editor diagnostic gives the tool.
pub const TOOL_NAME: &str = "wps-lint";

/// How serious a finding is. `Off` only appears in configuration; no diagnostic carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text.to_ascii_lowercase().as_str() {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Start inclusive, end exclusive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Byte offsets into a file's text, start inclusive, end exclusive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A place in a file: the display path, the RFC 6901 pointer of the JSON value, and its range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    pub range: Range,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    #[serde(flatten)]
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range,
    #[serde(skip)]
    pub span: Span,
    pub new_text: String,
}

/// A machine-applicable fix: every edit lies in the diagnostic's own file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// For a template linted with several parameter files: the one whose values give this
    /// finding (the message says so too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
}

impl Diagnostic {
    /// The order every report uses: file, line, column, code.
    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (
            &self.location.file,
            self.location.range.start,
            &self.code,
            &self.location.pointer,
        )
    }
}

/// A file that was not linted, and why (unreadable, not a template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub file: String,
    pub message: String,
}

/// The lines of one file that its diagnostics show (primary and related ranges, fixes), kept
/// when the file's text is let go: blocks of whole lines, each with the byte offset and 1-based
/// line it starts at in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    blocks: Vec<ExcerptBlock>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ExcerptBlock {
    offset: u32,
    line: u32,
    text: String,
}

impl Excerpt {
    /// Whether `text` still has these lines where they were: a text read again is the one the
    /// excerpt was taken from, where its diagnostics and fixes point.
    pub fn agrees_with(&self, text: &str) -> bool {
        self.blocks.iter().all(|b| {
            let start = b.offset as usize;
            text.get(start..start + b.text.len()) == Some(b.text.as_str())
        })
    }

    /// The whole lines of `text` that `spans` touch, given where each line starts (`line_starts`,
    /// ascending, the first 0).
    pub fn of(text: &str, line_starts: &[u32], spans: impl IntoIterator<Item = Span>) -> Excerpt {
        let line_of = |offset: u32| line_starts.partition_point(|&s| s <= offset) - 1;
        let mut lines: Vec<(usize, usize)> = spans
            .into_iter()
            .filter(|s| s.start <= s.end && s.end as usize <= text.len())
            .map(|s| {
                (
                    line_of(s.start),
                    line_of(s.end.saturating_sub(1).max(s.start)),
                )
            })
            .collect();
        lines.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (first, last) in lines {
            match merged.last_mut() {
                Some((_, end)) if first <= *end + 1 => *end = (*end).max(last),
                _ => merged.push((first, last)),
            }
        }
        let end_of = |line: usize| {
            line_starts
                .get(line + 1)
                .map_or(text.len(), |&s| s as usize)
        };
        Excerpt {
            blocks: merged
                .into_iter()
                .map(|(first, last)| {
                    let start = line_starts[first] as usize;
                    ExcerptBlock {
                        offset: start as u32,
                        line: first as u32 + 1,
                        text: text[start..end_of(last)].to_string(),
                    }
                })
                .collect(),
        }
    }

    /// Joins another excerpt of the same file into this one.
    pub fn merge(&mut self, other: Excerpt) {
        for block in other.blocks {
            if !self.blocks.contains(&block) {
                self.blocks.push(block);
            }
        }
        self.blocks.sort_by_key(|b| b.offset);
    }

    /// The text of a span, when the excerpt holds it.
    pub fn slice(&self, span: Span) -> Option<&str> {
        let block = self.block_of(span)?;
        let start = (span.start - block.offset) as usize;
        block.text.get(start..(span.end - block.offset) as usize)
    }

    fn block_of(&self, span: Span) -> Option<&ExcerptBlock> {
        self.blocks.iter().find(|b| {
            b.offset <= span.start && span.end as usize <= b.offset as usize + b.text.len()
        })
    }

    /// A text with the file's line numbering in which only the excerpt's lines have their
    /// content (the others are empty), and a way to move the file's spans into it: what a
    /// snippet renderer needs to show the lines where they are.
    pub fn sparse(&self) -> (String, impl Fn(Span) -> Option<Span> + '_) {
        let mut text = String::new();
        let mut line = 1;
        let mut starts = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            // Blocks of one file never overlap; a merged copy may repeat lines, so skip those.
            if block.line < line {
                starts.push(None);
                continue;
            }
            text.extend(std::iter::repeat_n('\n', (block.line - line) as usize));
            starts.push(Some(text.len() as u32));
            text.push_str(&block.text);
            line = block.line + block.text.matches('\n').count() as u32;
            if !block.text.ends_with('\n') {
                text.push('\n');
                line += 1;
            }
        }
        let map = move |span: Span| {
            let at = self.blocks.iter().position(|b| {
                b.offset <= span.start && span.end as usize <= b.offset as usize + b.text.len()
            })?;
            let start = starts[at]?;
            Some(Span {
                start: span.start - self.blocks[at].offset + start,
                end: span.end - self.blocks[at].offset + start,
            })
        };
        (text, map)
    }
}

/// Places and fixes as the on-disk cache keeps them: every field, byte spans included (the
/// derives above give the report's shape, which leaves spans out). For `#[serde(with)]`.
pub mod stored {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Edit, Fix, Location, Range, Related, Span};

    type LocationFields = (String, String, Range, Span);
    type FixFields = (String, Vec<(Range, Span, String)>);

    fn location_fields(l: &Location) -> (&str, &str, Range, Span) {
        (&l.file, &l.pointer, l.range, l.span)
    }

    fn location_of((file, pointer, range, span): LocationFields) -> Location {
        Location {
            file,
            pointer,
            range,
            span,
        }
    }

    pub mod location {
        use super::*;

        pub fn serialize<S: Serializer>(l: &Location, s: S) -> Result<S::Ok, S::Error> {
            location_fields(l).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Location, D::Error> {
            LocationFields::deserialize(d).map(location_of)
        }
    }

    pub mod related {
        use super::*;

        pub fn serialize<S: Serializer>(r: &Related, s: S) -> Result<S::Ok, S::Error> {
            (location_fields(&r.location), &r.message).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Related, D::Error> {
            let (location, message) = <(LocationFields, String)>::deserialize(d)?;
            Ok(Related {
                location: location_of(location),
                message,
            })
        }
    }

    pub mod fix {
        use super::*;

        pub fn serialize<S: Serializer>(f: &Option<Fix>, s: S) -> Result<S::Ok, S::Error> {
            f.as_ref()
                .map(|f| {
                    let edits: Vec<_> = f
                        .edits
                        .iter()
                        .map(|e| (e.range, e.span, &e.new_text))
                        .collect();
                    (&f.description, edits)
                })
                .serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Fix>, D::Error> {
            let fix = Option::<FixFields>::deserialize(d)?;
            Ok(fix.map(|(description, edits)| Fix {
                description,
                edits: edits
                    .into_iter()
                    .map(|(range, span, new_text)| Edit {
                        range,
                        span,
                        new_text,
                    })
                    .collect(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_keeps_the_lines_it_shows_where_they_are() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n";
        let starts: Vec<u32> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
            .collect();
        let b = text.find("2").unwrap();
        let excerpt = Excerpt::of(text, &starts, [Span::new(b, b + 1)]);
        assert_eq!(excerpt.slice(Span::new(b, b + 1)), Some("2"));
        assert_eq!(excerpt.slice(Span::new(0, 1)), None);
        let (sparse, map) = excerpt.sparse();
        assert_eq!(sparse, "\n\n  \"b\": 2,\n");
        let moved = map(Span::new(b, b + 1)).unwrap();
        assert_eq!(&sparse[moved.range()], "2");
    }
}
