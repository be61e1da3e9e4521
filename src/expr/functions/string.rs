//! concat, format, toLower, toUpper, trim, replace, substring, split, startsWith, endsWith,
//! string, uniqueString, guid, padLeft.

use crate::expr::ast::Expr;
use crate::expr::eval::Evaluator;
use crate::expr::value::{Part, Symbol, Text, Value};

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let values = || ev.args(args);
    let literals = || {
        values()
            .iter()
            .map(|v| v.as_literal_str().map(str::to_string))
            .collect::<Option<Vec<String>>>()
    };
    Some(match name {
        "concat" => concat(values()),
        "format" => format(&values()),
        "tolower" => map_text(values(), |s| s.to_lowercase()),
        "toupper" => map_text(values(), |s| s.to_uppercase()),
        "trim" => match values().first().and_then(Value::as_text) {
            Some(t) if t.is_literal() => Value::str(t.as_literal().unwrap().trim()),
            // Trimming only touches the ends: a text with literal ends keeps its symbols.
            Some(t) => {
                let parts = t.parts();
                let ends_literal = matches!(parts.first(), Some(Part::Lit(s)) if !s.starts_with(char::is_whitespace))
                    && matches!(parts.last(), Some(Part::Lit(s)) if !s.ends_with(char::is_whitespace));
                if ends_literal {
                    Value::String(t)
                } else {
                    Value::Unknown
                }
            }
            None => Value::Unknown,
        },
        "replace" => match values().as_slice() {
            [subject, old, new] => match (
                subject.as_text(),
                old.as_literal_str(),
                new.as_literal_str(),
            ) {
                (Some(t), Some(old), Some(new)) if !old.is_empty() => {
                    match t.as_literal() {
                        // A long `new` in a text with many matches multiplies their sizes.
                        Some(text)
                            if text.matches(old).count().saturating_mul(new.len())
                                > super::MAX_VALUE_BYTES =>
                        {
                            Value::Unknown
                        }
                        Some(text) => Value::str(text.replace(old, new)),
                        // What a symbol stands for may hold `old`, or `old` may span a symbol
                        // and the text beside it: the result is a value of its own.
                        None => Value::String(Text::symbol(Symbol::new(format!(
                            "replace({}, {}, {})",
                            subject.key()?,
                            Value::str(old).key()?,
                            Value::str(new).key()?
                        )))),
                    }
                }
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
        "substring" => match values().as_slice() {
            [s, Value::Int(start), rest @ ..] => {
                let Some(s) = s.as_literal_str() else {
                    return Some(Value::Unknown);
                };
                let chars: Vec<char> = s.chars().collect();
                let start = (*start).clamp(0, chars.len() as i64) as usize;
                let len = match rest.first() {
                    Some(Value::Int(len)) => (*len).clamp(0, (chars.len() - start) as i64) as usize,
                    None => chars.len() - start,
                    _ => return Some(Value::Unknown),
                };
                Value::str(chars[start..start + len].iter().collect::<String>())
            }
            _ => Value::Unknown,
        },
        "split" => match values().as_slice() {
            [s, delimiters] => {
                let delimiters: Vec<String> = match delimiters {
                    Value::Array(items) => match items
                        .iter()
                        .map(|d| d.as_literal_str().map(str::to_string))
                        .collect()
                    {
                        Some(d) => d,
                        None => return Some(Value::Unknown),
                    },
                    other => match other.as_literal_str() {
                        Some(d) => vec![d.to_string()],
                        None => return Some(Value::Unknown),
                    },
                };
                split(s, &delimiters)
            }
            _ => Value::Unknown,
        },
        "startswith" | "endswith" => match literals().as_deref() {
            Some([s, affix]) => {
                let (s, affix) = (s.to_lowercase(), affix.to_lowercase());
                Value::Bool(if name == "startswith" {
                    s.starts_with(&affix)
                } else {
                    s.ends_with(&affix)
                })
            }
            _ => Value::Unknown,
        },
        "string" => match values().first() {
            Some(Value::String(t)) => Value::String(t.clone()),
            Some(Value::Int(i)) => Value::str(i.to_string()),
            Some(Value::Bool(b)) => Value::str(if *b { "True" } else { "False" }),
            Some(Value::Symbol(s)) => Value::String(Text::symbol(s.clone())),
            _ => Value::Unknown,
        },
        // Deterministic hashes: equal inputs give equal outputs, which is all rules need.
        "uniquestring" | "guid" => {
            match values().iter().map(Value::key).collect::<Option<Vec<_>>>() {
                Some(inputs) => Value::String(Text::symbol(Symbol::new(format!(
                    "{name}({})",
                    inputs.join(", ")
                )))),
                None => Value::Unknown,
            }
        }
        "padleft" => match values().as_slice() {
            [v, Value::Int(width), rest @ ..] => {
                let s = match v {
                    Value::Int(i) => i.to_string(),
                    other => match other.as_literal_str() {
                        Some(s) => s.to_string(),
                        None => return Some(Value::Unknown),
                    },
                };
                let pad = rest
                    .first()
                    .and_then(Value::as_literal_str)
                    .and_then(|p| p.chars().next())
                    .unwrap_or(' ');
                let width = usize::try_from(*width).unwrap_or(0);
                if width > super::MAX_VALUE_BYTES {
                    return Some(Value::Unknown);
                }
                let missing = width.saturating_sub(s.chars().count());
                Value::str(std::iter::repeat_n(pad, missing).collect::<String>() + &s)
            }
            _ => Value::Unknown,
        },
        _ => return None,
    })
}

fn concat(values: Vec<Value>) -> Value {
    if values.iter().any(|v| matches!(v, Value::Array(_))) {
        let mut items = Vec::new();
        for v in values {
            match v {
                Value::Array(more) => items.extend(more),
                _ => return Value::Unknown,
            }
        }
        return Value::Array(items);
    }
    let mut text = Text::default();
    for v in &values {
        match v {
            Value::Int(i) => text.push_str(&i.to_string()),
            Value::Bool(b) => text.push_str(if *b { "True" } else { "False" }),
            Value::Null => {}
            other => match other.as_text() {
                Some(t) => text.push_text(&t),
                None => return Value::Unknown,
            },
        }
    }
    Value::String(text)
}

/// `format('{0}/{1}', a, b)`: numbered placeholders and `{{`/`}}` escapes. Placeholders with a
/// format specifier (`{0:N2}`) are left unknown.
fn format(values: &[Value]) -> Value {
    let Some(pattern) = values.first().and_then(Value::as_literal_str) else {
        return Value::Unknown;
    };
    let mut text = Text::default();
    let mut rest = pattern;
    // The same long argument may be placed many times.
    let mut placed = 0usize;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            text.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let Some(close) = tail.find('}').filter(|_| tail.starts_with('{')) else {
            return Value::Unknown;
        };
        let Ok(index) = tail[1..close].trim().parse::<usize>() else {
            return Value::Unknown;
        };
        match values[1..].get(index) {
            Some(Value::Int(n)) => text.push_str(&n.to_string()),
            Some(Value::Bool(b)) => text.push_str(if *b { "True" } else { "False" }),
            Some(v) => match v.as_text() {
                Some(t) => {
                    placed += t.size();
                    if placed > super::MAX_VALUE_BYTES {
                        return Value::Unknown;
                    }
                    text.push_text(&t)
                }
                None => return Value::Unknown,
            },
            None => return Value::Unknown,
        }
        rest = &tail[close + 1..];
    }
    text.push_str(rest);
    Value::String(text)
}

fn map_text(values: Vec<Value>, f: impl Fn(&str) -> String) -> Value {
    match values.first().and_then(Value::as_text) {
        // Case functions change what a symbol stands for; keep it recognisable but distinct.
        Some(t) => {
            let mut out = Text::default();
            for part in t.parts() {
                match part {
                    Part::Lit(s) => out.push_str(&f(s)),
                    Part::Sym(sym) => out.push_text(&Text::symbol(Symbol::new(format!(
                        "{}:{}",
                        f("case"),
                        sym.key()
                    )))),
                }
            }
            Value::String(out)
        }
        None => Value::Unknown,
    }
}

fn split(s: &Value, delimiters: &[String]) -> Value {
    let Some(text) = s.as_literal_str() else {
        return Value::Unknown;
    };
    let mut pieces = vec![text.to_string()];
    for d in delimiters.iter().filter(|d| !d.is_empty()) {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(d.as_str()).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    Value::Array(pieces.into_iter().map(Value::str).collect())
}
