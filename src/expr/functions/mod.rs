//! Built-in functions, one file per family. Each takes the unevaluated arguments so that
//! `if()` can be lazy; the rest evaluate them first.

mod collection;
pub use collection::from_json;
mod deployment;
mod logical;
mod numeric;
mod reference;
pub(crate) use reference::outputs;
mod resource;
mod string;

use super::ast::Expr;
use super::eval::Evaluator;
use super::value::Value;

/// The largest value in 112 MB of real templates (the shared corpus) is 100 KB; a value far
/// beyond that comes from runaway expressions (`replace()` doubling a string thirty times) and
/// is given up as unknown, so that each step allocates at most twice this. Every variable keeps
/// its value and every evaluation copies values around, so this multiplies: keep it small.
pub(crate) const MAX_VALUE_BYTES: usize = 1 << 20;
/// As deep as JSON in a template can be. Variables and functions that wrap each other's values
/// nest them deeper at every step, and comparing, cloning and dropping a value recurse.
pub(crate) const MAX_VALUE_DEPTH: usize = 512;

pub(crate) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Value {
    if ev.spent() {
        return Value::Unknown;
    }
    let lower = name.to_ascii_lowercase();
    let value = deployment::call(ev, &lower, args)
        .or_else(|| resource::call(ev, &lower, args))
        .or_else(|| logical::call(ev, &lower, args))
        .or_else(|| string::call(ev, &lower, args))
        .or_else(|| collection::call(ev, &lower, args))
        .or_else(|| numeric::call(ev, &lower, args));
    match value {
        Some(value) => ev.charge(value),
        // Everything else (`reference`, `list*`, `utcNow`, lambdas, ...) is decided at deploy
        // time.
        None => Value::Unknown,
    }
}

/// The literal string an argument evaluates to, if it does.
fn literal_arg(ev: &Evaluator, arg: Option<&Expr>) -> Option<String> {
    ev.eval(arg?).as_literal_str().map(str::to_string)
}
