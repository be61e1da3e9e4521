//! if, equals, not, and, or, bool, coalesce and the comparisons.

use crate::expr::ast::Expr;
use crate::expr::eval::Evaluator;
use crate::expr::value::{Value, all3, any3};

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let bools = || ev.args(args).iter().map(Value::as_bool).collect::<Vec<_>>();
    Some(match name {
        "if" => {
            let [condition, yes, no] = args else {
                return Some(Value::Unknown);
            };
            match ev.eval(condition).as_bool() {
                Some(true) => ev.eval(yes),
                Some(false) => ev.eval(no),
                None => {
                    // Both branches the same means the answer is known anyway.
                    let (a, b) = (ev.eval(yes), ev.eval(no));
                    if a.equals(&b) == Some(true) {
                        a
                    } else {
                        Value::Unknown
                    }
                }
            }
        }
        "equals" => match ev.args(args).as_slice() {
            [a, b] => a.equals(b).map_or(Value::Unknown, Value::Bool),
            _ => Value::Unknown,
        },
        "not" => match bools().as_slice() {
            [Some(b)] => Value::Bool(!b),
            _ => Value::Unknown,
        },
        "and" => all3(bools().into_iter()).map_or(Value::Unknown, Value::Bool),
        "or" => any3(bools().into_iter()).map_or(Value::Unknown, Value::Bool),
        "bool" => match ev.args(args).first() {
            Some(Value::Int(i)) => Value::Bool(*i != 0),
            Some(v) => v.as_bool().map_or(Value::Unknown, Value::Bool),
            None => Value::Unknown,
        },
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        "coalesce" => {
            for arg in args {
                match ev.eval(arg) {
                    Value::Null => continue,
                    Value::Unknown | Value::Symbol(_) => return Some(Value::Unknown),
                    v => return Some(v),
                }
            }
            Value::Null
        }
        "greater" | "greaterorequals" | "less" | "lessorequals" => {
            let ordering = match ev.args(args).as_slice() {
                [Value::Int(a), Value::Int(b)] => a.cmp(b),
                [a, b] => match (a.as_literal_str(), b.as_literal_str()) {
                    (Some(a), Some(b)) => a.cmp(b),
                    _ => return Some(Value::Unknown),
                },
                _ => return Some(Value::Unknown),
            };
            Value::Bool(match name {
                "greater" => ordering.is_gt(),
                "greaterorequals" => ordering.is_ge(),
                "less" => ordering.is_lt(),
                _ => ordering.is_le(),
            })
        }
        _ => return None,
    })
}
