//! Small helpers the native checks share: property lookups with anchors, related locations
//! and literal replacements.

use crate::expr::{Text, Value};
use crate::facts::Finding;
use crate::facts::{Anchor, ResourceRef, TemplateFacts, Unit};
use crate::json::Node;

/// A property of a resource of the set, with the unit it lives in.
pub struct Property<'s, 'a> {
    pub unit: &'s Unit<'a>,
    pub index: usize,
    pub node: &'a Node<'a>,
}

impl<'s, 'a> Property<'s, 'a> {
    pub fn get(
        facts: &'s TemplateFacts<'a>,
        at: ResourceRef,
        path: &[&str],
    ) -> Option<Property<'s, 'a>> {
        let unit = &facts.units[at.0];
        let node = unit.template.resources[at.1].node.path(path)?;
        Some(Property {
            unit,
            index: at.1,
            node,
        })
    }

    pub fn anchor(&self) -> Anchor {
        self.unit.anchor(self.index, self.node)
    }

    /// The node the anchor is on: the parameter file's value, or the property itself.
    pub fn anchored_node(&self) -> &'a Node<'a> {
        self.unit.anchored_value(self.index, self.node)
    }

    /// The evaluated value's text, when it is a string.
    pub fn text(&self) -> Option<Text> {
        self.unit.template.eval(self.index, self.node).as_text()
    }
}

/// A resource's name as a message names it after its noun (`the shared private link `kv``):
/// ` `name``, or nothing when the name is unknown (a user function with a lambda builds it).
pub fn quoted_name(name: &Value) -> String {
    match name {
        Value::Unknown => String::new(),
        known => format!(" `{}`", known.describe()),
    }
}

/// A fix replacing a literal JSON string with another string; none for an expression.
pub fn replace_string(
    finding: Finding,
    node: &Node,
    description: &str,
    new_value: &str,
) -> Finding {
    let is_literal = node.as_str().is_some_and(|s| {
        matches!(
            crate::expr::classify(s),
            crate::expr::StringForm::Literal(_)
        ) && !s.starts_with('[')
    });
    if !is_literal {
        return finding;
    }
    let text = serde_json::to_string(new_value).expect("a string serialises");
    finding.fix(description, vec![(node.span, text)])
}
