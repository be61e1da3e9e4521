//! Report formats: how the findings of one run are written out.
//!
//! Every format renders the same [`ReportInput`]; they are part of the user-facing contract
//! (`docs/formats.md`), so change their output only on purpose.

mod azure;
mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

pub use crate::diagnostic::TOOL_NAME;
use crate::diagnostic::{Diagnostic, Excerpt, Level, Notice};
use crate::rules::RuleMeta;

/// The project page (SARIF `informationUri`).
pub const TOOL_URI: &str = "https://github.com/wps-lint/wps-lint";

/// An output format of `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    #[default]
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Azure,
    Gitlab,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Azure,
        Format::Gitlab,
    ];

    /// The names `--format` accepts, for e.g. clap's `PossibleValuesParser`.
    pub const NAMES: [&'static str; 8] = [
        "human", "concise", "json", "sarif", "github", "junit", "azure", "gitlab",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Azure => "azure",
            Format::Gitlab => "gitlab",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown `--format` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFormatError(pub String);

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format `{}` (expected one of: {})",
            self.0,
            Format::NAMES.join(", ")
        )
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;

    /// Case-insensitive, surrounding whitespace ignored.
    fn from_str(text: &str) -> Result<Format, ParseFormatError> {
        let wanted = text.trim();
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ParseFormatError(text.to_string()))
    }
}

/// Everything a report needs about one run.
pub struct ReportInput<'a> {
    /// Already sorted by file, line, column, code.
    pub diagnostics: &'a [Diagnostic],
    pub notices: &'a [Notice],
    /// Number of templates analysed.
    pub files_linted: usize,
    /// The lines of a file that its diagnostics show, by its display path (for snippets).
    pub source: &'a dyn Fn(&str) -> Option<&'a Excerpt>,
    /// Every known rule (SARIF `driver.rules`, help texts).
    pub rules: &'a [RuleMeta],
    pub tool_version: &'a str,
    /// Human format only: ANSI colour or not.
    pub color: bool,
    /// No summary line (human and concise).
    pub quiet: bool,
}

/// Writes the report of `input` in `format` to `out`.
pub fn render(format: Format, input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(input, out),
        Format::Concise => concise::render(input, out),
        Format::Json => json::render(input, out),
        Format::Sarif => sarif::render(input, out),
        Format::Github => github::render(input, out),
        Format::Junit => junit::render(input, out),
        Format::Azure => azure::render(input, out),
        Format::Gitlab => gitlab::render(input, out),
    }
}

/// The page of a built-in rule, in the repository's `rules/` folder.
pub fn builtin_rule_url(code: &str) -> String {
    format!("{TOOL_URI}/blob/main/rules/{code}.md")
}

/// Where a rule's page is: the `url` its front matter gives, else for a built-in rule its page
/// in the repository; a user's rule without a `url` has none.
pub fn rule_url(rule: &RuleMeta) -> Option<String> {
    if let Some(url) = &rule.url {
        return Some(url.clone());
    }
    let builtin = crate::rules::builtin_rules()
        .iter()
        .any(|b| b.code == rule.code && b.name == rule.name);
    builtin.then(|| builtin_rule_url(&rule.code))
}

impl ReportInput<'_> {
    /// The page of the rule with this code, when it has one.
    pub fn rule_url(&self, code: &str) -> Option<String> {
        self.rules
            .iter()
            .find(|r| r.code == code)
            .and_then(rule_url)
    }
}

/// A finding's message followed by its rule's page, for formats with one line of text.
pub(crate) fn message_with_url(input: &ReportInput, d: &Diagnostic) -> String {
    match input.rule_url(&d.code) {
        Some(url) => format!("{} ({url})", d.message),
        None => d.message.clone(),
    }
}

/// FNV-1a (64 bit) of code, file, pointer and message: no line or column, so the value stays
/// the same when unrelated lines move.
pub fn fingerprint(d: &Diagnostic) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [&d.code, &d.location.file, &d.location.pointer, &d.message] {
        for &byte in part.as_bytes().iter().chain(&[0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Counts of a run's findings by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(input: &ReportInput) -> Counts {
        let mut summary = Counts {
            files: input.files_linted,
            ..Counts::default()
        };
        for diagnostic in input.diagnostics {
            match diagnostic.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                // `Off` never reaches a report; count it with the mildest level if it does.
                Level::Info | Level::Off => summary.infos += 1,
            }
        }
        summary
    }

    pub fn problems(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// `Found 3 problems (1 error, 1 warning, 1 info) in 2 files.` or
    /// `No problems found in 2 files.`; levels with no finding are left out.
    pub fn line(&self) -> String {
        let files = plural(self.files, "file", "files");
        if self.problems() == 0 {
            return format!("No problems found in {files}.");
        }
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "infos"),
        ]
        .into_iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| plural(count, one, many))
        .collect();
        format!(
            "Found {} ({}) in {files}.",
            plural(self.problems(), "problem", "problems"),
            parts.join(", ")
        )
    }
}

/// Text for a terminal: line breaks become `\n`, and other control characters (which could move
/// the cursor or recolour the terminal) are shown escaped, e.g. `\u{1b}`.
pub(crate) fn printable(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\t' => shown.push(c),
            c if c.is_control() => shown.extend(c.escape_unicode()),
            c => shown.push(c),
        }
    }
    shown
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Hand-made findings shared by the format tests.

    use super::ReportInput;
    use crate::diagnostic::{
        Diagnostic, Edit, Fix, Level, Location, Notice, Position, Range, Related, Span,
    };
    use crate::rules::RuleMeta;

    pub const WPS: &str = "infra/wps.json";
    pub const CAFE: &str = "infra/café.json";

    pub const WPS_TEXT: &str = r#"{
  "resources": [
    {
      "type": "Microsoft.KeyVault/vaults",
      "name": "kv-main"
    },
    {
      "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
      "properties": {
        "groupId": "vaults"
      }
    }
  ]
}
"#;

    pub const CAFE_TEXT: &str = "{\r\n  \"metadata\": {\"description\": \"Zugriff für Tür ✓\", \"owner\": \"Zoë\"},\r\n  \"resources\": []\r\n}\r\n";

    /// Location of the `nth` occurrence of `needle` in `text`, with its 1-based line and
    /// column (Unicode scalar values) and byte span.
    pub fn locate(file: &str, text: &str, needle: &str, nth: usize, pointer: &str) -> Location {
        let (start, _) = text.match_indices(needle).nth(nth).expect("needle in text");
        let end = start + needle.len();
        Location {
            file: file.to_string(),
            pointer: pointer.to_string(),
            range: Range {
                start: position(text, start),
                end: position(text, end),
            },
            span: Span::new(start, end),
        }
    }

    fn position(text: &str, offset: usize) -> Position {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() as u32 + 1,
            column: text[line_start..offset].chars().count() as u32 + 1,
        }
    }

    pub fn diagnostics() -> Vec<Diagnostic> {
        let owner = locate(CAFE, CAFE_TEXT, "\"Zoë\"", 0, "/metadata/owner");
        let description = locate(
            CAFE,
            CAFE_TEXT,
            "\"Zugriff für Tür ✓\"",
            0,
            "/metadata/description",
        );
        let group = locate(
            WPS,
            WPS_TEXT,
            "\"vaults\"",
            0,
            "/resources/1/properties/groupId",
        );
        let vault = locate(WPS, WPS_TEXT, "\"kv-main\"", 0, "/resources/0/name");
        vec![
            Diagnostic {
                code: "WPS301".to_string(),
                name: "metadata-text".to_string(),
                level: Level::Info,
                message: "description has 100% <odd> & \"quoted\" text: a,b\r\nsecond line\u{1}"
                    .to_string(),
                location: description,
                related: vec![],
                help: None,
                fix: None,
                parameters: None,
            },
            Diagnostic {
                code: "WPS205".to_string(),
                name: "owner-not-email".to_string(),
                level: Level::Warning,
                message: "owner `Zoë` is not an e-mail address".to_string(),
                location: owner,
                related: vec![],
                help: None,
                fix: None,
                parameters: None,
            },
            Diagnostic {
                code: "WPS103".to_string(),
                name: "splr-group-id-mismatch".to_string(),
                level: Level::Error,
                message: "groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`".to_string(),
                parameters: None,
                fix: Some(Fix {
                    description: "Replace with `vault`".to_string(),
                    edits: vec![Edit {
                        range: group.range,
                        span: group.span,
                        new_text: "\"vault\"".to_string(),
                    }],
                }),
                location: group,
                related: vec![Related {
                    location: vault,
                    message: "the vault is declared here".to_string(),
                }],
                help: Some("the group ID of a Key Vault is `vault`".to_string()),
            },
        ]
    }

    pub fn notices() -> Vec<Notice> {
        vec![Notice {
            file: "README.json".to_string(),
            message: "not a deployment template".to_string(),
        }]
    }

    pub fn rules() -> Vec<RuleMeta> {
        let rule = |code: &str, name: &str, level, summary: &str| RuleMeta {
            code: code.to_string(),
            name: name.to_string(),
            level,
            summary: summary.to_string(),
            documentation: format!("# {code} {name}\n\n{summary}.\n"),
            checks: Vec::new(),
            url: None,
        };
        vec![
            rule(
                "WPS103",
                "splr-group-id-mismatch",
                Level::Error,
                "The groupId of a shared private link resource matches its target",
            ),
            rule(
                "WPS205",
                "owner-not-email",
                Level::Warning,
                "Owners are e-mail addresses",
            ),
            RuleMeta {
                url: Some("https://example.com/rules/metadata-text".to_string()),
                ..rule(
                    "WPS301",
                    "metadata-text",
                    Level::Info,
                    "Metadata text is plain",
                )
            },
            rule("WPS999", "retired", Level::Off, "A retired rule"),
        ]
    }

    /// The whole of each fixture's text, as an excerpt.
    pub fn source(path: &str) -> Option<&'static crate::diagnostic::Excerpt> {
        use crate::diagnostic::Excerpt;
        static EXCERPTS: std::sync::LazyLock<[Excerpt; 2]> = std::sync::LazyLock::new(|| {
            [WPS_TEXT, CAFE_TEXT].map(|text| {
                let lines = crate::json::LineIndex::new(text);
                Excerpt::of(text, lines.starts(), [Span::new(0, text.len())])
            })
        });
        match path {
            WPS => Some(&EXCERPTS[0]),
            CAFE => Some(&EXCERPTS[1]),
            _ => None,
        }
    }

    /// Renders with the shared fixtures; `edit` may change the input before rendering.
    pub fn render_with(format: super::Format, edit: impl FnOnce(&mut ReportInput)) -> String {
        let diagnostics = diagnostics();
        let notices = notices();
        let rules = rules();
        let mut input = ReportInput {
            diagnostics: &diagnostics,
            notices: &notices,
            files_linted: 2,
            source: &|path| source(path),
            rules: &rules,
            tool_version: "0.1.0",
            color: false,
            quiet: false,
        };
        edit(&mut input);
        render_input(format, &input)
    }

    pub fn render_input(format: super::Format, input: &ReportInput) -> String {
        let mut out = Vec::new();
        super::render(format, input, &mut out).expect("render");
        String::from_utf8(out).expect("utf-8 report")
    }

    pub fn render(format: super::Format) -> String {
        render_with(format, |_| {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_format_name() {
        for (format, name) in Format::ALL.into_iter().zip(Format::NAMES) {
            assert_eq!(name.parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), name);
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml` (expected one of: human, concise, json, sarif, github, junit, azure, gitlab)"
        );
    }

    #[test]
    fn summary_lines() {
        let mut summary = Counts {
            files: 2,
            errors: 1,
            warnings: 1,
            infos: 1,
        };
        assert_eq!(
            summary.line(),
            "Found 3 problems (1 error, 1 warning, 1 info) in 2 files."
        );
        summary = Counts {
            files: 1,
            errors: 2,
            warnings: 0,
            infos: 0,
        };
        assert_eq!(summary.line(), "Found 2 problems (2 errors) in 1 file.");
        summary = Counts {
            files: 3,
            errors: 0,
            warnings: 1,
            infos: 2,
        };
        assert_eq!(
            summary.line(),
            "Found 3 problems (1 warning, 2 infos) in 3 files."
        );
        assert_eq!(
            Counts {
                files: 2,
                ..Counts::default()
            }
            .line(),
            "No problems found in 2 files."
        );
    }

    #[test]
    fn printable_text() {
        assert_eq!(
            printable("a\r\nb\nc\td\u{1b}[31me\u{7f}\r"),
            "a\nb\nc\td\\u{1b}[31me\\u{7f}\\u{d}"
        );
    }

    #[test]
    fn rule_urls() {
        let builtin = &crate::rules::builtin_rules()[0];
        assert_eq!(
            rule_url(builtin).as_deref(),
            Some("https://github.com/wps-lint/wps-lint/blob/main/rules/WPS001.md")
        );
        // A user's rule: the front matter's url, or none (even when it reuses no code).
        let mut custom = builtin.clone();
        custom.name = "org-rule".to_string();
        assert_eq!(rule_url(&custom), None);
        custom.url = Some("https://example.com/ORG1".to_string());
        assert_eq!(
            rule_url(&custom).as_deref(),
            Some("https://example.com/ORG1")
        );
    }
}
