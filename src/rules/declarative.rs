//! Declarative property checks, written in rule files as `[[check]]` tables: the resource
//! types, a JSONPath into the resource as written, and a condition on the evaluated value.
//! Built-in rules and users' own rules (`--rules DIR`, `rules-dirs`) run through this engine.

use jsonpath_rust::parser::model::JpQuery;
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use regex::Regex;
use serde::{Deserialize, Deserializer, de};

use super::RuleMeta;
use super::engine::unresolved_value::UNRESOLVED_HELP;
use crate::expr::Value;
use crate::expr::value::{all3, any3};
use crate::facts::Finding;
use crate::facts::Unit;
use crate::json::Node;
use crate::template::Resource;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Full resource types, compared case-insensitively; at least one.
    #[serde(deserialize_with = "types")]
    types: Vec<String>,
    /// A JSONPath into the resource object, e.g. `$.properties.requestMessage`.
    #[serde(deserialize_with = "json_path")]
    path: JpQuery,
    /// Where findings point: the first of these paths that exists (default: the value found,
    /// or the resource's `name` when `path` matches nothing).
    #[serde(default, deserialize_with = "json_paths")]
    anchor: Vec<JpQuery>,
    /// The finding is reported when this holds.
    when: Condition,
    /// May use `{value}`, `{type}`, `{name}` and `{length}`, as may `help`.
    message: String,
    #[serde(default)]
    help: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Condition {
    Exists(bool),
    Equals(Scalar),
    In(Vec<Scalar>),
    Regex(#[serde(deserialize_with = "regex")] Regex),
    Length(Bounds),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Str(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    min: Option<usize>,
    max: Option<usize>,
}

// Values are checked as they are read, so that errors carry the line they are on.

fn regex<'de, D: Deserializer<'de>>(d: D) -> Result<Regex, D::Error> {
    let pattern = String::deserialize(d)?;
    Regex::new(&pattern).map_err(de::Error::custom)
}

fn types<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let types = Vec::<String>::deserialize(d)?;
    if types.is_empty() {
        return Err(de::Error::custom(
            "`types` is empty: list the full resource types to check, e.g. [\"Microsoft.KeyVault/vaults\"]",
        ));
    }
    Ok(types)
}

// A path is parsed once, when its rule is read, not for every resource it is run on.

fn json_path<'de, D: Deserializer<'de>>(d: D) -> Result<JpQuery, D::Error> {
    parsed_json_path(&String::deserialize(d)?).map_err(de::Error::custom)
}

fn json_paths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<JpQuery>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|path| parsed_json_path(path))
        .collect::<Result<_, _>>()
        .map_err(de::Error::custom)
}

fn parsed_json_path(path: &str) -> Result<JpQuery, String> {
    parse_json_path(path).map_err(|e| format!("JSONPath `{path}`: {e}"))
}

/// What a path found.
enum Observed<'v> {
    Missing,
    Value(&'v Value),
}

impl Condition {
    /// `None` when the value cannot be known well enough to decide.
    fn holds(&self, observed: &Observed) -> Option<bool> {
        let value = match observed {
            Observed::Missing => return Some(self.missing_default()),
            Observed::Value(v) => *v,
        };
        match self {
            Condition::Exists(expected) => Some(*expected),
            Condition::Equals(s) => s.matches(value),
            Condition::In(items) => {
                let answers: Vec<Option<bool>> = items.iter().map(|s| s.matches(value)).collect();
                any3(answers.into_iter())
            }
            // A known value that is not a string matches no pattern.
            Condition::Regex(re) => match value.as_literal_str() {
                Some(text) => Some(re.is_match(text)),
                None => known(value).then_some(false),
            },
            // A known value without a length (a number, a bool, null) fits no bounds.
            Condition::Length(bounds) => match length(value) {
                Some(n) => {
                    Some(bounds.min.is_none_or(|m| n >= m) && bounds.max.is_none_or(|m| n <= m))
                }
                None => known(value).then_some(false),
            },
            Condition::And(all) => all3(all.iter().map(|c| c.holds(observed))),
            Condition::Or(any) => any3(any.iter().map(|c| c.holds(observed))),
            Condition::Not(inner) => inner.holds(observed).map(|b| !b),
        }
    }

    /// On a missing value every leaf but `exists` is false; combinators combine that.
    fn missing_default(&self) -> bool {
        match self {
            Condition::Exists(expected) => !expected,
            Condition::And(all) => all.iter().all(Condition::missing_default),
            Condition::Or(any) => any.iter().any(Condition::missing_default),
            Condition::Not(inner) => !inner.missing_default(),
            _ => false,
        }
    }
}

/// Whether the value's type and content are known: not `Unknown`, not a bare symbol, and not a
/// string with symbols in it.
fn known(value: &Value) -> bool {
    match value {
        Value::Unknown | Value::Symbol(_) => false,
        Value::String(text) => text.is_literal(),
        _ => true,
    }
}

/// Characters of a literal string, items of an array, members of an object; `None` for
/// anything else, including values that are not known.
fn length(value: &Value) -> Option<usize> {
    match value {
        Value::Array(items) => Some(items.len()),
        Value::Object(members) => Some(members.len()),
        other => Some(other.as_literal_str()?.chars().count()),
    }
}

impl Scalar {
    fn matches(&self, value: &Value) -> Option<bool> {
        match (self, value) {
            (_, Value::Unknown | Value::Symbol(_)) => None,
            (Scalar::Bool(b), Value::Bool(v)) => Some(b == v),
            (Scalar::Int(i), Value::Int(v)) => Some(i == v),
            (Scalar::Str(s), Value::String(t)) => Some(t.as_literal()?.eq_ignore_ascii_case(s)),
            _ => Some(false),
        }
    }
}

/// Runs a rule's checks over one template.
pub fn check(unit: &Unit, rule: &RuleMeta) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, r) in unit.template.resources.iter().enumerate() {
        // A resource whose condition is false is not deployed and gets no finding.
        if r.existing || !r.deployed {
            continue;
        }
        // Made once per resource, and only for one that some check is about.
        let json = std::cell::OnceCell::new();
        for check in rule
            .checks
            .iter()
            .filter(|c| c.types.iter().any(|t| r.is_type(t)))
        {
            let json = json.get_or_init(|| r.node.to_json());
            let found: Vec<&Node> = matches(json, &check.path)
                .iter()
                .filter_map(|p| node_at(r.node, p))
                .collect();
            let anchor_node = check
                .anchor
                .iter()
                .find_map(|p| matches(json, p).first().and_then(|p| node_at(r.node, p)));
            let report = |node: &Node, value: Option<&Value>| {
                let fill = |text: &str| fill(text, r, value);
                let finding = Finding::at(&rule.code, unit.anchor(i, node), fill(&check.message));
                match &check.help {
                    Some(help) => finding.help(fill(help)),
                    None => finding,
                }
            };
            if found.is_empty() {
                if check.when.holds(&Observed::Missing) == Some(true) {
                    let node = anchor_node.or_else(|| r.node.get("name")).unwrap_or(r.node);
                    findings.push(report(node, None));
                }
                continue;
            }
            for node in found {
                let value = unit.template.eval(i, node);
                match check.when.holds(&Observed::Value(&value)) {
                    Some(true) => findings.push(report(anchor_node.unwrap_or(node), Some(&value))),
                    Some(false) => {}
                    None => findings.push(
                        Finding::at(
                            super::engine::unresolved_value::RULE.code,
                            unit.anchor(i, node),
                            format!(
                                "{} skipped this value: it cannot be known before deployment",
                                rule.code
                            ),
                        )
                        .help(UNRESOLVED_HELP),
                    ),
                }
            }
        }
    }
    findings
}

/// Fills `{type}`, `{name}`, `{length}` and `{value}` into a message or help text; a missing
/// value, or one with no length, leaves its placeholder empty. The value goes last so that
/// braces in it are never taken for placeholders.
fn fill(text: &str, resource: &Resource, value: Option<&Value>) -> String {
    let length = value.and_then(length).map(|n| n.to_string());
    text.replace("{type}", &resource.type_name)
        .replace("{name}", &resource.name.describe())
        .replace("{length}", length.as_deref().unwrap_or_default())
        .replace("{value}", &value.map(Value::describe).unwrap_or_default())
}

/// The normalised paths (`$['a'][0]`) a JSONPath matches.
fn matches(json: &serde_json::Value, path: &JpQuery) -> Vec<String> {
    js_path_process(path, json)
        .map(|found| found.into_iter().map(|q| q.path()).collect())
        .unwrap_or_default()
}

/// The spanned node at a normalised path.
fn node_at<'n>(root: &'n Node<'n>, path: &str) -> Option<&'n Node<'n>> {
    let mut node = root;
    let mut rest = path.strip_prefix('$')?;
    while let Some(inner) = rest.strip_prefix('[') {
        if let Some(quoted) = inner.strip_prefix('\'') {
            let end = quoted.find("']")?;
            node = node.get(&quoted[..end].replace("\\'", "'"))?;
            rest = &quoted[end + 2..];
        } else {
            let end = inner.find(']')?;
            node = node.as_array()?.get(inner[..end].parse::<usize>().ok()?)?;
            rest = &inner[end + 1..];
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Symbol, Text};
    use crate::run::Cancel;
    use crate::run::RuleSettings;
    use crate::run::{Caches, analyse};
    use crate::source::{Inputs, LoadOptions, SourceFile};

    fn condition(toml_text: &str) -> Condition {
        #[derive(Deserialize)]
        struct Holder {
            when: Condition,
        }
        toml::from_str::<Holder>(toml_text).unwrap().when
    }

    #[test]
    fn conditions_are_three_valued() {
        let present = Value::str("Please approve");
        let blank = Value::str("  ");
        let symbolic = Value::String(Text::symbol(Symbol::new("parameters('m')")));
        let missing_or_blank =
            condition("when = { or = [{ exists = false }, { not = { regex = '\\S' } }] }");
        assert_eq!(missing_or_blank.holds(&Observed::Missing), Some(true));
        assert_eq!(missing_or_blank.holds(&Observed::Value(&blank)), Some(true));
        assert_eq!(
            missing_or_blank.holds(&Observed::Value(&present)),
            Some(false)
        );
        assert_eq!(missing_or_blank.holds(&Observed::Value(&symbolic)), None);
        let too_long =
            condition("when = { and = [{ exists = true }, { not = { length = { max = 5 } } }] }");
        assert_eq!(too_long.holds(&Observed::Missing), Some(false));
        assert_eq!(too_long.holds(&Observed::Value(&present)), Some(true));
        assert_eq!(
            too_long.holds(&Observed::Value(&Value::Array(vec![]))),
            Some(false)
        );
        let one_of = condition("when = { in = ['Free_F1', 3, true] }");
        assert_eq!(
            one_of.holds(&Observed::Value(&Value::str("free_f1"))),
            Some(true)
        );
        assert_eq!(one_of.holds(&Observed::Value(&Value::Int(3))), Some(true));
        assert_eq!(one_of.holds(&Observed::Value(&Value::Unknown)), None);
        assert_eq!(
            condition("when = { equals = 'x' }").holds(&Observed::Value(&Value::Int(1))),
            Some(false)
        );
    }

    #[test]
    fn known_values_of_another_type_do_not_match_and_are_not_unknown() {
        let pattern = condition("when = { regex = '^a' }");
        let bounded = condition("when = { length = { max = 3 } }");
        for other in [Value::Int(1), Value::Bool(true), Value::Null] {
            assert_eq!(pattern.holds(&Observed::Value(&other)), Some(false));
            assert_eq!(bounded.holds(&Observed::Value(&other)), Some(false));
        }
        let items = Value::Array(vec![Value::Unknown]);
        assert_eq!(pattern.holds(&Observed::Value(&items)), Some(false));
        assert_eq!(bounded.holds(&Observed::Value(&items)), Some(true));
        assert_eq!(
            condition("when = { not = { regex = '\\S' } }")
                .holds(&Observed::Value(&Value::Int(42))),
            Some(true)
        );
        // Only what cannot be known stays unknown.
        let symbolic = Value::String(Text::symbol(Symbol::new("parameters('m')")));
        let bare = Value::Symbol(Symbol::new("parameters('m')"));
        for unknown in [Value::Unknown, symbolic, bare] {
            assert_eq!(pattern.holds(&Observed::Value(&unknown)), None);
            assert_eq!(bounded.holds(&Observed::Value(&unknown)), None);
        }
    }

    #[test]
    fn messages_and_help_fill_in_placeholders() {
        let rule = RuleMeta::parse(
            r#"+++
code = "T1"
name = "t-one"
level = "warning"
summary = "S"
[[check]]
types = ["Microsoft.KeyVault/vaults"]
path = "$.tags.*"
when = { exists = true }
message = "{type} {name}: tag `{value}` has {length} characters"
help = "shorten `{value}` ({length}) on {name}"
[[check]]
types = ["Microsoft.KeyVault/vaults"]
path = "$.properties"
when = { exists = false }
message = "{name} has no properties{value}{length}"
+++
"#,
        )
        .unwrap();
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv-a",
            "tags": {"owner": "team {name}", "size": 5}}]}"#;
        let inputs = Inputs {
            files: vec![SourceFile::new("t.json".into(), None, template.into())],
            units: vec![(0, None)],
            notices: Vec::new(),
            skipped: Default::default(),
            places: Default::default(),
        };
        let settings = RuleSettings {
            rules: std::slice::from_ref(&rule),
            select: Vec::new(),
            ignore: Vec::new(),
            configs: Vec::new(),
        };
        let filled: Vec<(String, Option<String>)> = analyse(
            &inputs,
            &settings,
            &LoadOptions::default(),
            Caches::default(),
            &Cancel::default(),
        )
        .unwrap()
        .diagnostics
        .into_iter()
        .map(|d| (d.message, d.help))
        .collect();
        assert_eq!(
            filled,
            [
                ("kv-a has no properties".into(), None),
                (
                    "Microsoft.KeyVault/vaults kv-a: tag `team {name}` has 11 characters".into(),
                    Some("shorten `team {name}` (11) on kv-a".into())
                ),
                (
                    "Microsoft.KeyVault/vaults kv-a: tag `5` has  characters".into(),
                    Some("shorten `5` () on kv-a".into())
                ),
            ]
        );
    }

    #[test]
    fn paths_map_back_to_spanned_nodes() {
        let doc = crate::json::parse(r#"{"a": {"it's": [1, {"b": "x"}]}}"#);
        let root = doc.root.unwrap();
        let json = root.to_json();
        let found = matches(&json, &parsed_json_path("$.a[\"it's\"][1].b").unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(node_at(&root, &found[0]).and_then(Node::as_str), Some("x"));
    }
}
