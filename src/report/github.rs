//! GitHub Actions workflow commands (contract):
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE name::MESSAGE (URL)`, the
//! URL being the rule's page when it has one. Info findings use `::notice`, GitHub's name for
//! that level.

use std::io::{self, Write};

use super::{ReportInput, message_with_url};
use crate::diagnostic::Level;

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    for d in input.diagnostics {
        let range = d.location.range;
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(d.level),
            property(&d.location.file),
            range.start.line,
            range.start.column,
            range.end.line,
            range.end.column,
            property(&format!("{} {}", d.code, d.name)),
            data(&message_with_url(input, d))
        )?;
    }
    // Files that were not linted: an annotation on the file, no line.
    for notice in input.notices {
        writeln!(
            out,
            "::notice file={},title={}::{}",
            property(&notice.file),
            super::TOOL_NAME,
            data(&notice.message)
        )?;
    }
    Ok(())
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Off => "notice",
    }
}

/// Escapes a command's message (`%`, `\r`, `\n`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::render;
    use super::*;

    #[test]
    fn exact_output() {
        assert_eq!(
            render(Format::Github),
            "::notice file=infra/café.json,line=2,col=31,endLine=2,endColumn=50,title=WPS301 metadata-text::description has 100%25 <odd> & \"quoted\" text: a,b%0D%0Asecond line\u{1} (https://example.com/rules/metadata-text)\n\
             ::warning file=infra/café.json,line=2,col=61,endLine=2,endColumn=66,title=WPS205 owner-not-email::owner `Zoë` is not an e-mail address\n\
             ::error file=infra/wps.json,line=10,col=20,endLine=10,endColumn=28,title=WPS103 splr-group-id-mismatch::groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault` (https://github.com/wps-lint/wps-lint/blob/main/rules/WPS103.md)\n\
             ::notice file=README.json,title=wps-lint::not a deployment template\n"
        );
    }

    #[test]
    fn escapes_properties() {
        assert_eq!(property("a:b,c%d\r\ne"), "a%3Ab%2Cc%25d%0D%0Ae");
        assert_eq!(data("a:b,c%d\r\ne"), "a:b,c%25d%0D%0Ae");
    }
}
