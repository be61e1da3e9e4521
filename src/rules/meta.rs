//! Rule metadata as read from a rule file in `rules/`: TOML front matter between `+++` lines,
//! then the Markdown documentation page.

use serde::Deserialize;

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    code: String,
    name: String,
    level: String,
    summary: String,
    #[serde(default, rename = "check")]
    checks: Vec<Check>,
}

impl RuleMeta {
    /// Parses a rule file; the error says what is wrong, for users' own rule files.
    pub fn parse(text: &str) -> Result<RuleMeta, String> {
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .replace("\r\n", "\n");
        let rest = text
            .strip_prefix("+++\n")
            .ok_or("a rule file starts with a `+++` line, then TOML front matter")?;
        let (front, body) = rest
            .split_once("\n+++\n")
            .ok_or("the front matter is not closed by a `+++` line")?;
        let front: FrontMatter =
            toml::from_str(front).map_err(|e| format!("front matter: {}", e.message()))?;
        for check in &front.checks {
            check.validate()?;
        }
        let level = Level::parse(&front.level).ok_or_else(|| {
            format!(
                "level `{}` is not one of error, warning, info, off",
                front.level
            )
        })?;
        Ok(RuleMeta {
            code: front.code,
            name: front.name,
            level,
            summary: front.summary,
            documentation: body.trim().to_string(),
            checks: front.checks,
        })
    }
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
        assert!(RuleMeta::parse("code = 1").unwrap_err().contains("+++"));
        let bad_level = "+++\ncode = \"X\"\nname = \"x\"\nlevel = \"loud\"\nsummary = \"S\"\n+++\n";
        assert!(RuleMeta::parse(bad_level).unwrap_err().contains("loud"));
    }
}
