//! Rule metadata as read from a rule file in `rules/`: TOML front matter between `+++` lines,
//! then the Markdown documentation page.

use std::ops::Range;

use serde::{Deserialize, Deserializer};
use toml::de::{DeTable, DeValue};

use super::declarative::Check;
use crate::diagnostic::Level;

#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub summary: String,
    /// The Markdown page: what it does, why it matters, examples, references.
    pub documentation: String,
    /// Declarative property checks (`[[check]]` tables); empty for native and doc-only rules.
    pub checks: Vec<Check>,
    /// The front matter's optional `url`: where the rule's page is published. Built-in rules
    /// leave it out (reports derive theirs from the repository); users' own rules may give one.
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    code: String,
    name: String,
    #[serde(deserialize_with = "level")]
    level: Level,
    summary: String,
    #[serde(default, rename = "check")]
    checks: Vec<Check>,
}

fn level<'de, D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let level = String::deserialize(d)?;
    Level::parse(&level).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "level `{level}` is not one of error, warning, info, off"
        ))
    })
}

/// Why a rule file does not load, with the line and the `[[check]]` table at fault when known.
#[derive(Debug)]
pub struct RuleFileError {
    /// 1-based, in the whole file.
    line: Option<usize>,
    /// 1-based number of the `[[check]]` table.
    check: Option<usize>,
    message: String,
}

impl RuleFileError {
    pub fn new(message: impl Into<String>) -> RuleFileError {
        RuleFileError {
            line: None,
            check: None,
            message: message.into(),
        }
    }

    /// `FILE:LINE: [[check]] #N: MESSAGE`, leaving out what is not known.
    pub fn in_file(&self, file: &str) -> String {
        let line = self.line.map(|l| format!(":{l}")).unwrap_or_default();
        let check = self
            .check
            .map(|n| format!(" [[check]] #{n}:"))
            .unwrap_or_default();
        format!("{file}{line}:{check} {}", self.message)
    }
}

impl RuleMeta {
    /// Parses a rule file; the error says what is wrong and where, for users' own rule files.
    pub fn parse(text: &str) -> Result<RuleMeta, RuleFileError> {
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .replace("\r\n", "\n");
        let rest = text.strip_prefix("+++\n").ok_or_else(|| {
            RuleFileError::new("a rule file starts with a `+++` line, then TOML front matter")
        })?;
        let (front, body) = rest
            .split_once("\n+++\n")
            .ok_or_else(|| RuleFileError::new("the front matter is not closed by a `+++` line"))?;
        let (front, url) = front_matter(front)?;
        Ok(RuleMeta {
            code: front.code,
            name: front.name,
            level: front.level,
            summary: front.summary,
            documentation: body.trim().to_string(),
            checks: front.checks,
            url,
        })
    }

    /// Whether `key` is this rule's code or name, compared case-insensitively.
    pub fn is_called(&self, key: &str) -> bool {
        self.code.eq_ignore_ascii_case(key) || self.name.eq_ignore_ascii_case(key)
    }
}

/// Reads the TOML between the `+++` lines (which start on line 2 of the file), and its `url`.
fn front_matter(front: &str) -> Result<(FrontMatter, Option<String>), RuleFileError> {
    let (mut table, syntax_errors) = DeTable::parse_recoverable(front);
    let checks = check_extents(table.get_ref());
    let line_of = |at: usize| 2 + front[..at].matches('\n').count();
    // `url` is only a link for reports: read on its own, beside the keys the rule is made of.
    let url = match table.get_mut().remove("url") {
        None => None,
        Some(value) => match value.get_ref() {
            DeValue::String(url) => Some(url.to_string()),
            _ => {
                return Err(RuleFileError {
                    line: Some(line_of(value.span().start)),
                    check: None,
                    message: "`url` is a string: the address of the rule's page".to_string(),
                });
            }
        },
    };
    let error = match syntax_errors.into_iter().next() {
        Some(error) => error,
        None => match FrontMatter::deserialize(toml::de::Deserializer::from(table)) {
            Ok(front) => return Ok((front, url)),
            Err(error) => error,
        },
    };
    let at = error.span().map(|span| span.start);
    Err(RuleFileError {
        line: at.map(line_of),
        check: at.and_then(|at| checks.iter().position(|c| c.contains(&at)).map(|i| i + 1)),
        message: error.message().to_string(),
    })
}

/// Where each `[[check]]` table runs in the front matter: from its header (or its inline
/// table) to the next check or the next other top-level key, which can only be a table header.
fn check_extents(table: &DeTable) -> Vec<Range<usize>> {
    let mut starts: Vec<(usize, bool)> = Vec::new();
    for (key, value) in table.iter() {
        match value.get_ref() {
            DeValue::Array(items) if key.get_ref() == "check" => {
                starts.extend(items.iter().map(|item| (item.span().start, true)));
            }
            _ => starts.push((key.span().start, false)),
        }
    }
    starts.sort();
    let ends = starts
        .iter()
        .skip(1)
        .map(|(start, _)| *start)
        .chain([usize::MAX]);
    starts
        .iter()
        .zip(ends)
        .filter(|((_, is_check), _)| *is_check)
        .map(|((start, _), end)| *start..end)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_and_page() {
        let rule = RuleMeta::parse(
            "+++\ncode = \"X1\"\nname = \"x-one\"\nlevel = \"info\"\nsummary = \"S\"\n+++\n\n## What it does\n",
        )
        .unwrap();
        assert_eq!((rule.code.as_str(), rule.level), ("X1", Level::Info));
        assert_eq!(rule.documentation, "## What it does");
        assert_eq!(rule.url, None);
    }

    #[test]
    fn a_url_is_read_beside_the_front_matter() {
        let rule = RuleMeta::parse(
            "+++\ncode = \"X1\"\nname = \"x-one\"\nlevel = \"info\"\nsummary = \"S\"\nurl = \"https://example.com/X1\"\n+++\n",
        )
        .unwrap();
        assert_eq!(rule.url.as_deref(), Some("https://example.com/X1"));
        let error = RuleMeta::parse(
            "+++\ncode = \"X1\"\nname = \"x-one\"\nlevel = \"info\"\nsummary = \"S\"\nurl = 1\n+++\n",
        )
        .unwrap_err();
        assert_eq!(
            error.in_file("X1.md"),
            "X1.md:6: `url` is a string: the address of the rule's page"
        );
    }
}
