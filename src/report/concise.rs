//! `path:line:col: level[CODE] message`, one line per finding (contract).

use std::io::{self, Write};

use super::{Counts, ReportInput};

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    for d in input.diagnostics {
        let start = d.location.range.start;
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            one_line(&d.location.file),
            start.line,
            start.column,
            d.level.as_str(),
            d.code,
            one_line(&d.message)
        )?;
    }
    for notice in input.notices {
        writeln!(
            out,
            "{}: notice: {}",
            one_line(&notice.file),
            one_line(&notice.message)
        )?;
    }
    if !input.quiet {
        writeln!(out, "{}", Counts::of(input).line())?;
    }
    Ok(())
}

/// Keeps one finding on one line: each line break (`\r\n`, `\n`, `\r`) becomes a space, and
/// other control characters are shown escaped.
fn one_line(text: &str) -> String {
    super::printable(&text.replace("\r\n", " ").replace(['\n', '\r'], " "))
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::{render, render_with};

    #[test]
    fn exact_output() {
        assert_eq!(
            render(Format::Concise),
            "infra/café.json:2:31: info[WPS301] description has 100% <odd> & \"quoted\" text: a,b second line\\u{1}\n\
             infra/café.json:2:61: warning[WPS205] owner `Zoë` is not an e-mail address\n\
             infra/wps.json:10:20: error[WPS103] groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`\n\
             README.json: notice: not a deployment template\n\
             Found 3 problems (1 error, 1 warning, 1 info) in 2 files.\n"
        );
    }

    #[test]
    fn quiet_and_empty() {
        let text = render_with(Format::Concise, |input| {
            input.quiet = true;
            input.notices = &[];
        });
        assert_eq!(text.lines().count(), 3);
        let text = render_with(Format::Concise, |input| {
            input.diagnostics = &[];
            input.notices = &[];
        });
        assert_eq!(text, "No problems found in 2 files.\n");
    }
}
