//! createArray, createObject, union, shallowMerge, flatten, first, last, length, empty,
//! contains, json, array, skip, take, range, tryGet, join.

use crate::expr::ast::Expr;
use crate::expr::eval::Evaluator;
use crate::expr::value::{Text, Value, any3};

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let values = || ev.args(args);
    Some(match name {
        "createarray" => Value::Array(values()),
        "array" => match values().into_iter().next() {
            Some(Value::Array(items)) => Value::Array(items),
            Some(Value::Unknown) | None => Value::Unknown,
            Some(other) => Value::Array(vec![other]),
        },
        "createobject" => {
            let values = values();
            let mut members = Vec::new();
            for pair in values.chunks(2) {
                match pair {
                    [k, v] => match k.as_literal_str() {
                        Some(k) => members.push((k.to_string(), v.clone())),
                        None => return Some(Value::Unknown),
                    },
                    _ => return Some(Value::Unknown),
                }
            }
            Value::Object(members)
        }
        "union" => union(values()),
        // What Bicep writes for an object and an array with `...` spread in them.
        "shallowmerge" => match values().into_iter().next() {
            Some(Value::Array(items)) => merge(items, false),
            _ => Value::Unknown,
        },
        "flatten" => match values().into_iter().next() {
            Some(Value::Array(items)) => concatenated(items),
            _ => Value::Unknown,
        },
        "first" | "last" => match values().into_iter().next() {
            Some(Value::Array(items)) => {
                let item = if name == "first" {
                    items.first()
                } else {
                    items.last()
                };
                item.cloned().unwrap_or(Value::Null)
            }
            Some(v) => match v.as_literal_str() {
                Some(s) => {
                    let c = if name == "first" {
                        s.chars().next()
                    } else {
                        s.chars().last()
                    };
                    Value::str(c.map(String::from).unwrap_or_default())
                }
                None => Value::Unknown,
            },
            None => Value::Unknown,
        },
        "length" => match values().first() {
            Some(Value::Array(items)) => Value::Int(items.len() as i64),
            Some(Value::Object(members)) => Value::Int(members.len() as i64),
            Some(v) => v
                .as_literal_str()
                .map_or(Value::Unknown, |s| Value::Int(s.chars().count() as i64)),
            None => Value::Unknown,
        },
        "empty" => match values().first() {
            Some(Value::Array(items)) => Value::Bool(items.is_empty()),
            Some(Value::Object(members)) => Value::Bool(members.is_empty()),
            Some(Value::Null) => Value::Bool(true),
            Some(Value::String(t)) => match t.as_literal() {
                Some(s) => Value::Bool(s.is_empty()),
                // A text with literal characters in it is not empty, whatever its symbols are.
                None if t
                    .parts()
                    .iter()
                    .any(|p| matches!(p, crate::expr::Part::Lit(_))) =>
                {
                    Value::Bool(false)
                }
                None => Value::Unknown,
            },
            _ => Value::Unknown,
        },
        "contains" => match values().as_slice() {
            [Value::Array(items), item] => {
                any3(items.iter().map(|i| i.equals(item))).map_or(Value::Unknown, Value::Bool)
            }
            [container @ Value::Object(_), key] => match key.as_literal_str() {
                Some(k) => Value::Bool(!container.get(k).is_unknown()),
                None => Value::Unknown,
            },
            [s, needle] => match (s.as_literal_str(), needle.as_literal_str()) {
                (Some(s), Some(n)) => Value::Bool(s.contains(n)),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
        "json" => match values().first().and_then(Value::as_literal_str) {
            Some(text) => serde_json::from_str::<serde_json::Value>(text)
                .map_or(Value::Unknown, |j| from_json(&j)),
            None => Value::Unknown,
        },
        "skip" | "take" => match values().as_slice() {
            [Value::Array(items), Value::Int(n)] => {
                let n = (*n).clamp(0, items.len() as i64) as usize;
                Value::Array(if name == "skip" {
                    items[n..].to_vec()
                } else {
                    items[..n].to_vec()
                })
            }
            _ => Value::Unknown,
        },
        "range" => match values().as_slice() {
            // ARM rejects a range that ends past the largest integer; so does `checked_add`.
            [Value::Int(start), Value::Int(count)]
                if (0..=800).contains(count) && start.checked_add(*count).is_some() =>
            {
                Value::Array((0..*count).map(|i| Value::Int(start + i)).collect())
            }
            _ => Value::Unknown,
        },
        "tryget" => {
            let values = values();
            let mut current = values.first().cloned().unwrap_or(Value::Unknown);
            for key in &values[1.min(values.len())..] {
                current = match (&current, key) {
                    (Value::Null, _) => return Some(Value::Null),
                    (Value::Object(_), k) => match k.as_literal_str() {
                        Some(k) => {
                            let v = current.get(k);
                            if v.is_unknown() { Value::Null } else { v }
                        }
                        None => Value::Unknown,
                    },
                    (Value::Array(items), Value::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .unwrap_or(Value::Null),
                    _ => Value::Unknown,
                };
            }
            current
        }
        "join" => match values().as_slice() {
            [Value::Array(items), sep] => match sep.as_literal_str() {
                // The separator is repeated between every two items.
                Some(sep) if sep.len().saturating_mul(items.len()) <= super::MAX_VALUE_BYTES => {
                    let mut text = Text::default();
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            text.push_str(sep);
                        }
                        match item.as_text() {
                            Some(t) => text.push_text(&t),
                            None => return Some(Value::Unknown),
                        }
                    }
                    Value::String(text)
                }
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
        _ => return None,
    })
}

/// `union`: of objects, merged, nested objects too (arrays in them are replaced, not merged);
/// of arrays, the items of each not already in it.
fn union(values: Vec<Value>) -> Value {
    if values.iter().all(|v| matches!(v, Value::Array(_))) {
        let mut items: Vec<Value> = Vec::new();
        for v in values {
            let Value::Array(more) = v else {
                unreachable!()
            };
            for item in more {
                if !items.iter().any(|i| i.equals(&item) == Some(true)) {
                    items.push(item);
                }
            }
        }
        Value::Array(items)
    } else {
        merge(values, true)
    }
}

/// Objects merged in order, a later one's property replacing an earlier one's of the same name
/// (case-insensitive, in its place); with `deep`, two objects under one name are merged in turn.
/// Unknown unless every value is an object.
fn merge(values: Vec<Value>, deep: bool) -> Value {
    let mut members: Vec<(String, Value)> = Vec::new();
    for value in values {
        let Value::Object(more) = value else {
            return Value::Unknown;
        };
        for (key, value) in more {
            match members
                .iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case(&key))
            {
                Some((_, earlier @ Value::Object(_)))
                    if deep && matches!(value, Value::Object(_)) =>
                {
                    *earlier = merge(vec![std::mem::replace(earlier, Value::Null), value], true);
                }
                Some((_, earlier)) => *earlier = value,
                None => members.push((key, value)),
            }
        }
    }
    Value::Object(members)
}

/// The items of arrays, one after another (one level deep). Unknown unless every value is an
/// array.
fn concatenated(values: Vec<Value>) -> Value {
    let mut items = Vec::new();
    for value in values {
        let Value::Array(more) = value else {
            return Value::Unknown;
        };
        items.extend(more);
    }
    Value::Array(items)
}

/// A plain JSON value (from `json()` or a parameter file) as an evaluator value; strings are
/// not expressions there.
pub fn from_json(json: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n.as_i64().map_or(Value::Unknown, Value::Int),
        J::String(s) => Value::str(s.clone()),
        J::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        J::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}
