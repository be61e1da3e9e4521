//! rustc-style report with source snippets, by codespan-reporting.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity};
use codespan_reporting::files::{self, SimpleFiles};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Chars, Config, Renderer, WriteStyle};
use foldhash::{HashMap, HashMapExt};

use super::{Counts, ReportInput, printable};
use crate::diagnostic::{Diagnostic, Level, Location, Span};

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    let mut text = Vec::new();
    if input.color {
        render_to(input, &mut Ansi::new(&mut text))?;
    } else {
        render_to(input, &mut NoColor::new(&mut text))?;
    }
    out.write_all(&info_headers(&text))
}

/// codespan-reporting calls its lowest severity `note`; every other report calls that level
/// `info`, so the header of an info finding (`note[CODE]: ...`, after any colour codes) says so.
fn info_headers(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for line in text.split_inclusive(|&b| b == b'\n') {
        let mut start = 0;
        // Colour codes: ESC [ ... m.
        while line[start..].starts_with(b"\x1b[") {
            match line[start..].iter().position(|&b| b == b'm') {
                Some(end) => start += end + 1,
                None => break,
            }
        }
        out.extend_from_slice(&line[..start]);
        match line[start..].strip_prefix(b"note[".as_slice()) {
            Some(rest) => {
                out.extend_from_slice(b"info[");
                out.extend_from_slice(rest);
            }
            None => out.extend_from_slice(&line[start..]),
        }
    }
    out
}

fn render_to<W: WriteColor>(input: &ReportInput, writer: &mut W) -> io::Result<()> {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut sources = Sources::new(input);
    for d in input.diagnostics {
        let snippet = sources.snippet(d);
        let result = match &snippet {
            Some(snippet) => term::emit_to_write_style(writer, &config, &sources.files, snippet),
            None => without_source(writer, &config, d),
        };
        result.map_err(io_error)?;
    }
    for notice in input.notices {
        Renderer::new(writer, &config)
            .render_header(
                None,
                Severity::Note,
                None,
                &printable(&format!("{}: {}", notice.file, notice.message)),
            )
            .map_err(io_error)?;
    }
    if !input.quiet {
        writeln!(writer, "{}", Counts::of(input).line())?;
    }
    Ok(())
}

/// The lines of the files the diagnostics point into, as far as `source` has them: each as a
/// text with the file's line numbering, and the map of the file's spans into it.
struct Sources<'a, 'i> {
    input: &'i ReportInput<'a>,
    files: SimpleFiles<String, String>,
    ids: HashMap<&'i str, Option<(usize, SpanMap<'a>)>>,
}

type SpanMap<'a> = Box<dyn Fn(Span) -> Option<Span> + 'a>;

impl<'a, 'i> Sources<'a, 'i> {
    fn new(input: &'i ReportInput<'a>) -> Self {
        Sources {
            input,
            files: SimpleFiles::new(),
            ids: HashMap::new(),
        }
    }

    /// The file id for a location and its span there, when its lines are known.
    fn id(&mut self, location: &'i Location) -> Option<(usize, Span)> {
        let file = location.file.as_str();
        if !self.ids.contains_key(file) {
            let entry = (self.input.source)(file).map(|excerpt| {
                let (text, map) = excerpt.sparse();
                (
                    self.files.add(printable(file), text),
                    Box::new(map) as SpanMap,
                )
            });
            self.ids.insert(file, entry);
        }
        let (id, map) = self.ids.get(file)?.as_ref()?;
        let span = map(location.span)?;
        let text = self.files.get(*id).ok()?.source();
        fits(text, span).then_some((*id, span))
    }

    /// The codespan diagnostic, or `None` when the primary location's text is not at hand.
    fn snippet(&mut self, d: &'i Diagnostic) -> Option<Snippet<usize>> {
        let (id, span) = self.id(&d.location)?;
        let mut labels = vec![Label::primary(id, span.range())];
        let mut notes = Vec::new();
        for related in &d.related {
            match self.id(&related.location) {
                Some((id, span)) => labels.push(
                    Label::secondary(id, span.range()).with_message(printable(&related.message)),
                ),
                None => notes.push(related_note(&related.location, &related.message)),
            }
        }
        notes.extend(help_notes(d));
        Some(
            Snippet::new(severity(d.level))
                .with_code(d.code.clone())
                .with_message(printable(&d.message))
                .with_labels(labels)
                .with_notes(notes),
        )
    }
}

/// A span that codespan can show: inside the text, on character boundaries.
fn fits(text: &str, span: Span) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

/// `error[CODE]: message` and `--> file:line:col`, for a file whose text is not available.
fn without_source(
    writer: &mut dyn WriteStyle,
    config: &Config,
    d: &Diagnostic,
) -> Result<(), files::Error> {
    let start = d.location.range.start;
    let padding = start.line.to_string().len();
    let mut renderer = Renderer::new(writer, config);
    renderer.render_header(
        None,
        severity(d.level),
        Some(&d.code),
        &printable(&d.message),
    )?;
    // What `render_snippet_start` prints; its `Locus` argument is not public.
    write!(renderer, "{:padding$} ", "")?;
    renderer.set_source_border()?;
    write!(renderer, "{}", config.chars.snippet_start)?;
    renderer.reset()?;
    writeln!(
        renderer,
        " {}:{}:{}",
        printable(&d.location.file),
        start.line,
        start.column
    )?;
    let mut notes: Vec<String> = d
        .related
        .iter()
        .map(|related| related_note(&related.location, &related.message))
        .collect();
    notes.extend(help_notes(d));
    for note in notes {
        renderer.render_snippet_note(padding, &note)?;
    }
    renderer.render_empty()
}

fn related_note(location: &Location, message: &str) -> String {
    let start = location.range.start;
    printable(&format!(
        "note: {}:{}:{}: {message}",
        location.file, start.line, start.column
    ))
}

fn help_notes(d: &Diagnostic) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(printable(&format!("help: {help}")));
    }
    if let Some(fix) = &d.fix {
        notes.push(printable(&format!("fix: {}", fix.description)));
    }
    notes
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info | Level::Off => Severity::Note,
    }
}

fn io_error(error: files::Error) -> io::Error {
    match error {
        files::Error::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::ReportInput;
    use super::super::test_support::{
        CAFE, CAFE_TEXT, WPS, WPS_TEXT, diagnostics, locate, render_input, render_with, rules,
        source,
    };
    use crate::diagnostic::{Diagnostic, Related, Span};

    /// One diagnostic, with the fixtures' sources, no notices, no summary.
    fn render_one(d: Diagnostic) -> String {
        let rules = rules();
        let input = ReportInput {
            diagnostics: &[d],
            notices: &[],
            files_linted: 1,
            source: &|path| source(path),
            rules: &rules,
            tool_version: "0.1.0",
            color: false,
            quiet: true,
        };
        render_input(Format::Human, &input)
    }

    #[test]
    fn snippets_labels_and_notes() {
        let text = render_with(Format::Human, |_| {});
        assert!(!text.contains('\u{1b}'), "no colour: {text}");
        let expected_error = concat!(
            "error[WPS103]: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`\n",
            "   --> infra/wps.json:10:20\n",
            "   |\n",
            " 5 |       \"name\": \"kv-main\"\n",
            "   |               --------- the vault is declared here\n",
            "   .\n",
            "10 |         \"groupId\": \"vaults\"\n",
            "   |                    ^^^^^^^^\n",
            "   |\n",
            "   = help: the group ID of a Key Vault is `vault`\n",
            "   = fix: Replace with `vault`\n",
            "\n",
        );
        assert!(text.contains(expected_error), "{text}");
        // Non-ASCII line from a CRLF file: no `\r` in the snippet, carets under the value.
        assert!(text.contains(concat!(
            "warning[WPS205]: owner `Zoë` is not an e-mail address\n",
            "  --> infra/café.json:2:61\n",
            "  |\n",
            "2 |   \"metadata\": {\"description\": \"Zugriff für Tür ✓\", \"owner\": \"Zoë\"},\n",
            "  |                                                             ^^^^^\n",
        )));
        assert!(!text.contains('\r'));
        // The lowest level is `info` here as in every other format.
        assert!(text.contains("info[WPS301]: description has"), "{text}");
        assert!(!text.contains("note[WPS301]"));
        // Control characters in messages are shown escaped, never sent to the terminal.
        assert!(text.contains("a,b\nsecond line\\u{1}\n"));
        assert!(!text.contains('\u{1}'));
        assert!(text.ends_with(
            "note: README.json: not a deployment template\n\
             Found 3 problems (1 error, 1 warning, 1 info) in 2 files.\n"
        ));
    }

    #[test]
    fn colour_only_when_asked() {
        let text = render_with(Format::Human, |input| input.color = true);
        assert!(text.contains("\u{1b}[31m^^^^^^^^\u{1b}[0m"), "{text:?}");
        assert!(text.contains("error[WPS103]"));
        assert!(text.contains("info[WPS301]"), "{text:?}");
    }

    #[test]
    fn related_in_another_file() {
        let mut d = diagnostics().remove(2);
        d.related.push(Related {
            location: locate(CAFE, CAFE_TEXT, "\"Zoë\"", 0, "/metadata/owner"),
            message: "owned here".to_string(),
        });
        d.related.push(Related {
            location: locate("other.json", "{\"a\": 1}", "1", 0, "/a"),
            message: "used here".to_string(),
        });
        let text = render_one(d);
        assert!(text.contains("  --> infra/café.json:2:61\n"), "{text}");
        assert!(text.contains("----- owned here\n"), "{text}");
        assert!(
            text.contains("   = note: other.json:1:7: used here\n"),
            "{text}"
        );
    }

    #[test]
    fn without_source_text() {
        let text = render_with(Format::Human, |input| input.source = &|_| None);
        assert!(text.contains(concat!(
            "error[WPS103]: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`\n",
            "   --> infra/wps.json:10:20\n",
            "   = note: infra/wps.json:5:15: the vault is declared here\n",
            "   = help: the group ID of a Key Vault is `vault`\n",
            "   = fix: Replace with `vault`\n",
            "\n",
        )), "{text}");
        assert!(text.contains(
            "warning[WPS205]: owner `Zoë` is not an e-mail address\n  --> infra/café.json:2:61\n\n"
        ));
    }

    #[test]
    fn span_that_does_not_fit_falls_back() {
        let mut d = diagnostics().remove(2);
        d.location.span = Span::new(10_000, 10_008);
        let text = render_one(d);
        assert!(text.starts_with("error[WPS103]: groupId"));
        assert!(text.contains("   --> infra/wps.json:10:20\n   = note: infra/wps.json:5:15"));
        let mut d = diagnostics().remove(1);
        // Inside `ë`: not a character boundary.
        let inside = CAFE_TEXT.find('ë').unwrap() + 1;
        d.location.span = Span::new(inside, inside + 1);
        let text = render_one(d);
        assert_eq!(
            text,
            "warning[WPS205]: owner `Zoë` is not an e-mail address\n  --> infra/café.json:2:61\n\n"
        );
    }

    #[test]
    fn empty_and_multiline_spans() {
        let mut d = diagnostics().remove(2);
        d.location.span = Span::new(
            d.location.span.start as usize,
            d.location.span.start as usize,
        );
        let text = render_one(d);
        assert!(
            text.contains("10 |         \"groupId\": \"vaults\"\n"),
            "{text}"
        );
        let mut d = diagnostics().remove(2);
        let resources = WPS_TEXT.find('[').unwrap();
        d.location = locate(WPS, WPS_TEXT, "[", 0, "/resources");
        d.location.span = Span::new(resources, WPS_TEXT.rfind(']').unwrap() + 1);
        let text = render_one(d);
        assert!(text.contains(" 2 |     \"resources\": ["), "{text}");
        assert!(text.contains("13 | |   ]"), "{text}");
    }

    #[test]
    fn quiet_has_no_summary() {
        let text = render_with(Format::Human, |input| {
            input.quiet = true;
            input.diagnostics = &[];
        });
        assert_eq!(text, "note: README.json: not a deployment template\n");
        let text = render_with(Format::Human, |input| {
            input.diagnostics = &[];
            input.notices = &[];
        });
        assert_eq!(text, "No problems found in 2 files.\n");
    }
}
