//! Azure Pipelines logging commands (`--format azure`), one per finding:
//! `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=CODE;]CODE
//! name: MESSAGE (URL)`.
//!
//! `task.logissue` knows only `error` and `warning`: info findings are logged as warnings whose
//! text starts with `info:`, so they show in the run's summary without a plain line that a
//! message could turn into a command. Files that were not linted are warnings on the file. The
//! exit status alone decides whether the step fails (no `task.complete`), so `--fail-on` keeps
//! its meaning.

use std::io::{self, Write};

use super::{ReportInput, message_with_url};
use crate::diagnostic::Level;

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    for d in input.diagnostics {
        let start = d.location.range.start;
        let (kind, prefix) = match d.level {
            Level::Error => ("error", ""),
            Level::Warning => ("warning", ""),
            Level::Info | Level::Off => ("warning", "info: "),
        };
        writeln!(
            out,
            "##vso[task.logissue type={kind};sourcepath={};linenumber={};columnnumber={};code={};]{}",
            property(&d.location.file),
            start.line,
            start.column,
            property(&d.code),
            data(&format!(
                "{prefix}{} {}: {}",
                d.code,
                d.name,
                message_with_url(input, d)
            ))
        )?;
    }
    for notice in input.notices {
        writeln!(
            out,
            "##vso[task.logissue type=warning;sourcepath={};]{}",
            property(&notice.file),
            data(&format!("{}: {}", super::TOOL_NAME, notice.message))
        )?;
    }
    Ok(())
}

/// Escapes a command's message: `%` first (Azure's `%AZP25`), then line breaks.
fn data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus the `;` that ends a property and the `]` that
/// ends the property list.
fn property(text: &str) -> String {
    data(text).replace(';', "%3B").replace(']', "%5D")
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::render;
    use super::*;

    #[test]
    fn exact_output() {
        assert_eq!(
            render(Format::Azure),
            "##vso[task.logissue type=warning;sourcepath=infra/café.json;linenumber=2;columnnumber=31;code=WPS301;]info: WPS301 metadata-text: description has 100%AZP25 <odd> & \"quoted\" text: a,b%0D%0Asecond line\u{1} (https://example.com/rules/metadata-text)\n\
             ##vso[task.logissue type=warning;sourcepath=infra/café.json;linenumber=2;columnnumber=61;code=WPS205;]WPS205 owner-not-email: owner `Zoë` is not an e-mail address\n\
             ##vso[task.logissue type=error;sourcepath=infra/wps.json;linenumber=10;columnnumber=20;code=WPS103;]WPS103 splr-group-id-mismatch: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault` (https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md)\n\
             ##vso[task.logissue type=warning;sourcepath=README.json;]wps-lint: not a deployment template\n"
        );
    }

    #[test]
    fn escapes_properties_and_messages() {
        assert_eq!(property("a;b]c%d\r\ne"), "a%3Bb%5Dc%AZP25d%0D%0Ae");
        // In the message `;` and `]` stand as themselves: the command's text is everything
        // after the first `]`.
        assert_eq!(data("a;b]c%d\r\ne"), "a;b]c%AZP25d%0D%0Ae");
        // Already escaped-looking text is escaped again, not passed through.
        assert_eq!(data("%0A"), "%AZP250A");
    }
}
