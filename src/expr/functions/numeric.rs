//! int, add, sub, mul, div, mod, min, max.

use crate::expr::ast::Expr;
use crate::expr::eval::Evaluator;
use crate::expr::value::Value;

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let ints = || {
        ev.args(args)
            .iter()
            .map(Value::as_int)
            .collect::<Option<Vec<_>>>()
    };
    let pair = |f: fn(i64, i64) -> Option<i64>| match ints().as_deref() {
        Some([a, b]) => f(*a, *b).map_or(Value::Unknown, Value::Int),
        _ => Value::Unknown,
    };
    Some(match name {
        "int" => match ev.args(args).first() {
            Some(Value::Int(i)) => Value::Int(*i),
            Some(v) => v
                .as_literal_str()
                .and_then(|s| s.trim().parse().ok())
                .map_or(Value::Unknown, Value::Int),
            None => Value::Unknown,
        },
        "add" => pair(i64::checked_add),
        "sub" => pair(i64::checked_sub),
        "mul" => pair(i64::checked_mul),
        "div" => pair(i64::checked_div),
        "mod" => pair(i64::checked_rem),
        "min" | "max" => {
            let values = ev.args(args);
            let items = match values.as_slice() {
                [Value::Array(items)] => items.clone(),
                _ => values,
            };
            let ints: Option<Vec<i64>> = items.iter().map(Value::as_int).collect();
            let best = if name == "min" {
                ints.and_then(|v| v.into_iter().min())
            } else {
                ints.and_then(|v| v.into_iter().max())
            };
            best.map_or(Value::Unknown, Value::Int)
        }
        _ => return None,
    })
}
