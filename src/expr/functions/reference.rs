//! `reference()` of a nested deployment: its `outputs`, the one member known before deployment
//! when the template holds the deployment's template (what Bicep's `module.outputs.x` becomes).
//! Every other use of `reference()` is decided at deploy time (unknown).

use crate::expr::ast::{Expr, ExprKind};
use crate::expr::eval::Evaluator;
use crate::expr::value::Value;

/// The value of `base.member` when it is `reference(d).outputs` or
/// `reference(d, version, 'Full').properties.outputs`; `None` for anything else.
pub(crate) fn outputs(ev: &Evaluator, base: &Expr, member: &str) -> Option<Value> {
    if !member.eq_ignore_ascii_case("outputs") {
        return None;
    }
    let (call, full) = match &base.kind {
        ExprKind::Member { base, name } if name.eq_ignore_ascii_case("properties") => {
            (&**base, true)
        }
        _ => (base, false),
    };
    let ExprKind::Call {
        namespace: None,
        name,
        args,
    } = &call.kind
    else {
        return None;
    };
    if !name.eq_ignore_ascii_case("reference") {
        return None;
    }
    // Without 'Full', `reference()` returns the deployment's properties, `outputs` among them.
    let is_full = args.get(2).is_some_and(|a| {
        ev.eval(a)
            .as_literal_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("full"))
    });
    if full != is_full {
        return None;
    }
    let target = ev.eval(args.first()?);
    ev.ctx.outputs(&target)
}
