//! Writing suppressions: the edit that adds a rule to the `metadata.wps-lint.disable` of the
//! resource a finding lies in, and the `// wps-lint-disable-next-line` comment (in Bicep the
//! `#disable-next-line` directive). Pure functions
//! on text and the spanned tree, shared by `check --add-suppressions` and the language
//! server's code actions.

use crate::diagnostic::Span;
use crate::json::{Kind, Node};
use crate::source::Language;

/// One insertion or replacement: the byte span it replaces and the new text.
pub type TextEdit = (Span, String);

/// Adds `code` to `metadata.wps-lint.disable` of the resource that encloses `pointer`
/// (`/resources/2/properties/groupId` → `/resources/2`; nested resources and deployments give
/// the innermost). `None` when no resource encloses it or the rule is already listed.
pub fn disable_for_resource(
    text: &str,
    root: &Node,
    pointer: &str,
    code: &str,
) -> Option<TextEdit> {
    let resource = enclosing_resource(root, pointer)?;
    let quoted = format!("\"{code}\"");
    let Some(metadata) = resource.get("metadata") else {
        let member = format!("\"metadata\": {{\"wps-lint\": {{\"disable\": [{quoted}]}}}}");
        return Some(insert_member(text, resource, &member));
    };
    metadata.as_object()?;
    let Some(settings) = metadata.get("wps-lint") else {
        let member = format!("\"wps-lint\": {{\"disable\": [{quoted}]}}");
        return Some(insert_member(text, metadata, &member));
    };
    settings.as_object()?;
    let Some(disable) = settings.get("disable") else {
        return Some(insert_member(
            text,
            settings,
            &format!("\"disable\": [{quoted}]"),
        ));
    };
    let items = disable.as_array()?;
    if items
        .iter()
        .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(code)))
    {
        return None;
    }
    Some(match items.last() {
        Some(last) => (
            Span::new(last.span.end as usize, last.span.end as usize),
            format!(", {quoted}"),
        ),
        None => {
            let at = disable.span.start as usize + 1;
            (Span::new(at, at), quoted)
        }
    })
}

fn enclosing_resource<'n>(root: &'n Node<'n>, pointer: &str) -> Option<&'n Node<'n>> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut node = root;
    let mut resource = None;
    for (i, token) in tokens.iter().enumerate() {
        // A pointer may name a member the resource lacks (a missing property's finding).
        let next = match &node.kind {
            Kind::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            Kind::Object(members) => members
                .iter()
                .rev()
                .find(|m| *m.key == **token)
                .or_else(|| {
                    members
                        .iter()
                        .rev()
                        .find(|m| m.key.eq_ignore_ascii_case(token))
                })
                .map(|m| &m.value),
            _ => None,
        };
        let Some(next) = next else {
            return resource;
        };
        node = next;
        let under_resources = i > 0 && tokens[i - 1].eq_ignore_ascii_case("resources");
        if under_resources && node.as_object().is_some() {
            resource = Some(node);
        }
    }
    resource
}

/// Inserts `"key": value` as the first member of `object`, on its own line with the
/// indentation of the member it goes before.
fn insert_member(text: &str, object: &Node, member: &str) -> TextEdit {
    match object.as_object().and_then(<[_]>::first) {
        Some(first) => {
            let at = first.key_span.start as usize;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let before = &text[line_start..at];
            let separator = if before.trim().is_empty() {
                format!("{}{before}", newline(text))
            } else {
                " ".to_string()
            };
            (Span::new(at, at), format!("{member},{separator}"))
        }
        None => {
            let at = object.span.start as usize + 1;
            (Span::new(at, at), member.to_string())
        }
    }
}

/// Disables `code` for the line `offset` is on, with a line above it: in JSON a
/// `// wps-lint-disable-next-line CODE` comment, in Bicep a `#disable-next-line CODE`
/// directive. Bicep applies a directive to the line right after it only, so a directive
/// already above the line (the Bicep linter's) gains the code rather than being pushed away.
pub fn disable_next_line(text: &str, offset: usize, code: &str, language: Language) -> TextEdit {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let directive = match language {
        Language::Json => "// wps-lint-disable-next-line",
        Language::Bicep | Language::BicepParameters => {
            if let Some(end) = bicep_directive_above(text, line_start) {
                return (Span::new(end, end), format!(" {code}"));
            }
            "#disable-next-line"
        }
    };
    (
        Span::new(line_start, line_start),
        format!("{indent}{directive} {code}{}", newline(text)),
    )
}

/// The end (before any trailing blanks) of a `#disable-next-line` directive on the line before
/// the one starting at `line_start`.
fn bicep_directive_above(text: &str, line_start: usize) -> Option<usize> {
    let before = text[..line_start].strip_suffix('\n')?;
    let before = before.strip_suffix('\r').unwrap_or(before);
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before[start..].trim_end();
    line.trim_start()
        .starts_with("#disable-next-line")
        .then_some(start + line.len())
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn apply(text: &str, (span, new): TextEdit) -> String {
        let mut out = text.to_string();
        out.replace_range(span.range(), &new);
        out
    }

    fn disable(text: &str, pointer: &str) -> Option<String> {
        let doc = parse(text);
        let root = doc.root.as_ref().unwrap();
        disable_for_resource(text, root, pointer, "WPS103").map(|e| apply(text, e))
    }

    fn value(text: &str) -> serde_json::Value {
        parse(text).root.unwrap().to_json()
    }

    #[test]
    fn disable_for_resource_at_every_stage_of_metadata() {
        let bare = "{\"resources\": [\n  {\n    \"type\": \"t\",\n    \"properties\": {\"groupId\": \"x\"}\n  }\n]}";
        let added = disable(bare, "/resources/0/properties/groupId").unwrap();
        assert!(
            added.contains(
                "  {\n    \"metadata\": {\"wps-lint\": {\"disable\": [\"WPS103\"]}},\n    \"type\""
            ),
            "{added}"
        );
        let expected = serde_json::json!({"wps-lint": {"disable": ["WPS103"]}});
        assert_eq!(value(&added)["resources"][0]["metadata"], expected);
        for (text, want) in [
            (
                r#"{"resources": [{"metadata": {}}]}"#,
                serde_json::json!({"wps-lint": {"disable": ["WPS103"]}}),
            ),
            (
                r#"{"resources": [{"metadata": {"a": 1}}]}"#,
                serde_json::json!({"wps-lint": {"disable": ["WPS103"]}, "a": 1}),
            ),
            (
                r#"{"resources": [{"metadata": {"wps-lint": {"reason": "r"}}}]}"#,
                serde_json::json!({"wps-lint": {"disable": ["WPS103"], "reason": "r"}}),
            ),
            (
                r#"{"resources": [{"metadata": {"wps-lint": {"disable": []}}}]}"#,
                serde_json::json!({"wps-lint": {"disable": ["WPS103"]}}),
            ),
            (
                r#"{"resources": [{"metadata": {"wps-lint": {"disable": ["WPS201"]}}}]}"#,
                serde_json::json!({"wps-lint": {"disable": ["WPS201", "WPS103"]}}),
            ),
        ] {
            let out = disable(text, "/resources/0/name").unwrap();
            assert_eq!(value(&out)["resources"][0]["metadata"], want, "{out}");
        }
        let listed = r#"{"resources": [{"metadata": {"wps-lint": {"disable": ["wps103"]}}}]}"#;
        assert_eq!(disable(listed, "/resources/0"), None);
        assert_eq!(disable(bare, "/parameters/x/value"), None);
    }

    #[test]
    fn innermost_resource_of_nested_and_symbolic_resources() {
        let text = r#"{"resources": {"dep": {"properties": {"template": {"resources": [{"name": "inner"}]}}}}}"#;
        let out = disable(text, "/resources/dep/properties/template/resources/0/name").unwrap();
        let inner = &value(&out)["resources"]["dep"]["properties"]["template"]["resources"][0];
        assert_eq!(inner["metadata"]["wps-lint"]["disable"][0], "WPS103");
    }

    #[test]
    fn next_line_comment_keeps_indentation() {
        let text = "{\r\n    \"a\": 1\r\n}";
        let out = apply(
            text,
            disable_next_line(text, text.find("\"a\"").unwrap(), "WPS105", Language::Json),
        );
        assert_eq!(
            out,
            "{\r\n    // wps-lint-disable-next-line WPS105\r\n    \"a\": 1\r\n}"
        );
    }

    #[test]
    fn next_line_directive_in_bicep_joins_one_already_above() {
        let text =
            "resource r 'T@1' = {\r\n  properties: {\r\n    groupId: 'vaults'\r\n  }\r\n}\r\n";
        let at = text.find("groupId").unwrap();
        let added = apply(text, disable_next_line(text, at, "WPS103", Language::Bicep));
        assert!(
            added.contains("{\r\n    #disable-next-line WPS103\r\n    groupId: 'vaults'"),
            "{added}"
        );
        let at = added.find("groupId").unwrap();
        let joined = apply(
            &added,
            disable_next_line(&added, at, "WPS201", Language::Bicep),
        );
        assert!(
            joined.contains("    #disable-next-line WPS103 WPS201\r\n    groupId"),
            "{joined}"
        );
        // On the first line there is no line above to join.
        let first = apply(
            text,
            disable_next_line(text, 0, "WPS201", Language::BicepParameters),
        );
        assert!(
            first.starts_with("#disable-next-line WPS201\r\nresource r"),
            "{first}"
        );
    }
}
