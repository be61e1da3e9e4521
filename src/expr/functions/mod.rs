//! Built-in functions, one file per family. Each takes the unevaluated arguments so that
//! `if()` can be lazy; the rest evaluate them first.

mod collection;
pub use collection::from_json;
mod deployment;
mod logical;
mod numeric;
mod resource;
mod string;

use super::ast::Expr;
use super::eval::Evaluator;
use super::value::Value;

pub(crate) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Value {
    let lower = name.to_ascii_lowercase();
    if let Some(value) = deployment::call(ev, &lower, args)
        .or_else(|| resource::call(ev, &lower, args))
        .or_else(|| logical::call(ev, &lower, args))
        .or_else(|| string::call(ev, &lower, args))
        .or_else(|| collection::call(ev, &lower, args))
        .or_else(|| numeric::call(ev, &lower, args))
    {
        return value;
    }
    // Everything else (`reference`, `list*`, `utcNow`, lambdas, ...) is decided at deploy time.
    Value::Unknown
}

/// The literal string an argument evaluates to, if it does.
fn literal_arg(ev: &Evaluator, arg: Option<&Expr>) -> Option<String> {
    ev.eval(arg?).as_literal_str().map(str::to_string)
}
