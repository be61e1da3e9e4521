//! A resource's name segments written back as `resourceId()` arguments, for fixes that add a
//! `dependsOn` entry. The arguments keep the template's own expressions, so the entry means the
//! same thing wherever the name comes from.

use super::{ResourceIndex, Template};
use crate::expr::{Expr, ExprKind, StringForm, classify, parser};

impl Template<'_> {
    /// `None` when the name is not a string. A nested child's own name follows its parent's.
    pub fn name_arguments(&self, i: ResourceIndex) -> Option<Vec<String>> {
        let r = &self.resources[i];
        let (mut args, segments) = match r.parent {
            Some(parent) => (self.name_arguments(parent)?, 1),
            None => (Vec::new(), r.type_name.matches('/').count()),
        };
        match classify(r.node.get("name")?.as_str()?) {
            StringForm::Literal(name) => args.extend(name.split('/').map(quote)),
            StringForm::Expression(text) if segments == 1 => args.push(text.trim().to_string()),
            StringForm::Expression(text) => {
                args.extend(joined_parts(text, segments).unwrap_or_else(|| {
                    (0..segments)
                        .map(|k| format!("split({}, '/')[{k}]", text.trim()))
                        .collect()
                }))
            }
        }
        Some(args)
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The parts of `format('{0}/{1}', a, b)` or `concat(a, '/', b)`, when the name is written so.
fn joined_parts(text: &str, segments: usize) -> Option<Vec<String>> {
    let expr = parser::parse(text).ok()?;
    let ExprKind::Call {
        namespace: None,
        args,
        ..
    } = &expr.kind
    else {
        return None;
    };
    let source = |e: &Expr| text[e.start as usize..e.end as usize].to_string();
    if expr.is_call_to("format") {
        let placeholders: Vec<String> = (0..segments).map(|k| format!("{{{k}}}")).collect();
        let (pattern, values) = args.split_first()?;
        (pattern.as_literal_str()? == placeholders.join("/") && values.len() == segments)
            .then(|| values.iter().map(source).collect())
    } else if expr.is_call_to("concat") {
        let separated = args.len() == 2 * segments - 1
            && args
                .iter()
                .skip(1)
                .step_by(2)
                .all(|a| a.as_literal_str() == Some("/"));
        separated.then(|| args.iter().step_by(2).map(source).collect())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::joined_parts;

    #[test]
    fn splits_joined_names_into_their_parts() {
        let parts = |text, n| joined_parts(text, n);
        assert_eq!(
            parts("format('{0}/{1}', parameters('s'), 'kv-link')", 2),
            Some(vec!["parameters('s')".into(), "'kv-link'".into()])
        );
        assert_eq!(
            parts("concat(variables('s'), '/', 'it''s')", 2),
            Some(vec!["variables('s')".into(), "'it''s'".into()])
        );
        assert_eq!(parts("format('{0}-{1}', 'a', 'b')", 2), None);
        assert_eq!(parts("concat('a', '-', 'b')", 2), None);
        assert_eq!(parts("parameters('name')", 2), None);
    }
}
