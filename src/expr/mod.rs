//! Layer 4, `expr`: the template expression language. `parser` turns the text of `"[...]"` into an
//! `Expr`; `eval` computes a `Value` in a `Context` that a template scope provides; one file per
//! function family under `functions/`.

pub mod ast;
mod eval;
mod functions;
pub mod parser;
pub mod resource_id;
pub mod value;

pub use ast::{Expr, ExprKind, StringForm, classify};
pub use eval::{
    Context, DeploymentScope, MAX_PROPERTY_ITEMS, ScopeKind, UserFunction, eval_copy_loop,
    eval_expr, eval_node, property_loops,
};
pub use functions::from_json;
pub use resource_id::{IdError, IdScope, ResourceId};
pub use value::{Part, Symbol, Text, Value, fold_case, fold_case_into};
