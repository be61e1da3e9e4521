//! JUnit XML: one failing test case per finding, or one passing case when there is none.

use std::io::{self, Write};

use super::{ReportInput, TOOL_NAME};

pub(super) fn render(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    let failures = input.diagnostics.len();
    let tests = failures.max(1);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{TOOL_NAME}" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{TOOL_NAME}" tests="{tests}" failures="{failures}" errors="0" skipped="0">"#
    )?;
    for d in input.diagnostics {
        let start = d.location.range.start;
        let location = format!("{}:{}:{}", d.location.file, start.line, start.column);
        let mut body = format!(
            "{}: {}\nat {} ({})",
            d.level.as_str(),
            d.message,
            location,
            d.location.pointer
        );
        for related in &d.related {
            let start = related.location.range.start;
            body.push_str(&format!(
                "\nrelated: {}:{}:{}: {}",
                related.location.file, start.line, start.column, related.message
            ));
        }
        if let Some(help) = &d.help {
            body.push_str(&format!("\nhelp: {help}"));
        }
        if let Some(fix) = &d.fix {
            body.push_str(&format!("\nfix: {}", fix.description));
        }
        writeln!(
            out,
            r#"    <testcase classname="{}" name="{} {}:{}" file="{}" line="{}">"#,
            escape(&d.location.file),
            escape(&d.code),
            start.line,
            start.column,
            escape(&d.location.file),
            start.line
        )?;
        writeln!(
            out,
            r#"      <failure type="{}" message="{}">{}</failure>"#,
            escape(&d.code),
            escape(&format!("{} {}: {}", d.code, d.name, d.message)),
            escape(&body)
        )?;
        writeln!(out, "    </testcase>")?;
    }
    if input.diagnostics.is_empty() {
        writeln!(
            out,
            r#"    <testcase name="{TOOL_NAME}" classname="{TOOL_NAME}"/>"#
        )?;
    }
    if !input.notices.is_empty() {
        let notices: Vec<String> = input
            .notices
            .iter()
            .map(|notice| format!("{}: notice: {}", notice.file, notice.message))
            .collect();
        writeln!(
            out,
            "    <system-out>{}</system-out>",
            escape(&notices.join("\n"))
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Escapes text for an XML 1.0 attribute value or element content; characters XML 1.0 does not
/// allow are dropped, and line breaks and tabs are kept as character references (attribute value
/// normalisation would otherwise turn them into spaces).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            c if allowed(c) => escaped.push(c),
            _ => {}
        }
    }
    escaped
}

/// XML 1.0 `Char`, less what `escape` handles itself.
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::test_support::{render, render_with};
    use super::*;
    use quick_xml::Reader;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;

    type Element = (String, Vec<(String, String)>);

    /// Parses the whole document, checking it is well formed; returns the elements as
    /// `(name, attributes)` in document order, and the non-blank text of each element.
    fn parse(xml: &str) -> (Vec<Element>, Vec<String>) {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut elements = Vec::new();
        let mut texts = Vec::new();
        let mut text = String::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().expect("attribute value").into_owned(),
                            )
                        })
                        .collect();
                    elements.push((name, attrs));
                    text.clear();
                }
                Event::Text(t) => text.push_str(&t.decode().expect("text")),
                Event::GeneralRef(r) => match r.resolve_char_ref().expect("character reference") {
                    Some(c) => text.push(c),
                    None => {
                        let name = r.decode().expect("entity name");
                        let resolved = resolve_predefined_entity(&name).expect("known entity");
                        text.push_str(resolved);
                    }
                },
                Event::End(_) => {
                    if !text.trim().is_empty() {
                        texts.push(std::mem::take(&mut text));
                    }
                    text.clear();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        (elements, texts)
    }

    #[test]
    fn exact_and_well_formed() {
        let xml = render(Format::Junit);
        assert_eq!(
            xml,
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<testsuites name=\"wps-lint\" tests=\"3\" failures=\"3\" errors=\"0\">\n",
                "  <testsuite name=\"wps-lint\" tests=\"3\" failures=\"3\" errors=\"0\" skipped=\"0\">\n",
                "    <testcase classname=\"infra/café.json\" name=\"WPS301 2:31\" file=\"infra/café.json\" line=\"2\">\n",
                "      <failure type=\"WPS301\" message=\"WPS301 metadata-text: description has 100% &lt;odd&gt; &amp; &quot;quoted&quot; text: a,b&#13;&#10;second line\">info: description has 100% &lt;odd&gt; &amp; &quot;quoted&quot; text: a,b&#13;&#10;second line&#10;at infra/café.json:2:31 (/metadata/description)</failure>\n",
                "    </testcase>\n",
                "    <testcase classname=\"infra/café.json\" name=\"WPS205 2:61\" file=\"infra/café.json\" line=\"2\">\n",
                "      <failure type=\"WPS205\" message=\"WPS205 owner-not-email: owner `Zoë` is not an e-mail address\">warning: owner `Zoë` is not an e-mail address&#10;at infra/café.json:2:61 (/metadata/owner)</failure>\n",
                "    </testcase>\n",
                "    <testcase classname=\"infra/wps.json\" name=\"WPS103 10:20\" file=\"infra/wps.json\" line=\"10\">\n",
                "      <failure type=\"WPS103\" message=\"WPS103 splr-group-id-mismatch: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`\">error: groupId `vaults` does not match target type Microsoft.KeyVault/vaults; use `vault`&#10;at infra/wps.json:10:20 (/resources/1/properties/groupId)&#10;related: infra/wps.json:5:15: the vault is declared here&#10;help: the group ID of a Key Vault is `vault`&#10;fix: Replace with `vault`</failure>\n",
                "    </testcase>\n",
                "    <system-out>README.json: notice: not a deployment template</system-out>\n",
                "  </testsuite>\n",
                "</testsuites>\n",
            )
        );
        let (elements, texts) = parse(&xml);
        let names: Vec<&str> = elements.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "testsuites",
                "testsuite",
                "testcase",
                "failure",
                "testcase",
                "failure",
                "testcase",
                "failure",
                "system-out"
            ]
        );
        // Escapes round-trip, the control character is gone.
        let (_, attrs) = &elements[3];
        assert_eq!(
            attrs[1],
            (
                "message".to_string(),
                "WPS301 metadata-text: description has 100% <odd> & \"quoted\" text: a,b\r\nsecond line".to_string()
            )
        );
        assert!(texts[0].starts_with("info: description has 100% <odd> & \"quoted\""));
    }

    #[test]
    fn passing_case_without_findings() {
        let xml = render_with(Format::Junit, |input| {
            input.diagnostics = &[];
            input.notices = &[];
        });
        let (elements, _) = parse(&xml);
        assert_eq!(elements[1].1[1], ("tests".to_string(), "1".to_string()));
        assert_eq!(
            elements[2],
            (
                "testcase".to_string(),
                vec![
                    ("name".to_string(), "wps-lint".to_string()),
                    ("classname".to_string(), "wps-lint".to_string())
                ]
            )
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a<b>&\"'\u{0}\u{B}\u{FFFE}\t😀"),
            "a&lt;b&gt;&amp;&quot;&apos;&#9;😀"
        );
    }
}
