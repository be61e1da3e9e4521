//! WPS003 undefined-reference: the check. Its page, `rules/WPS003.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS003`).

use crate::expr::{Expr, ExprKind};
use crate::facts::Finding;
use crate::facts::Unit;
use crate::rules::NativeRule;
use crate::template::ExpressionSite;

/// Registered by this code; the rule's page is `rules/WPS003.md`.
pub const RULE: NativeRule = NativeRule::unit("WPS003", check);

pub fn check(input: &Unit) -> Vec<Finding> {
    let mut findings = Vec::new();
    for site in &input.template.expressions {
        let Ok(expr) = site.parsed() else {
            continue;
        };
        let mut problems: Vec<String> = Vec::new();
        walk_evaluated(expr, &mut |e| {
            if let Some(problem) = undefined(input, site, &e.kind) {
                problems.push(problem);
            }
        });
        problems.dedup();
        for problem in problems {
            findings.push(
                Finding::new(RULE.code, input.file, site.node.span, problem.clone())
                    .help(help(input, site)),
            );
        }
    }
    findings
}

/// Visits what ARM certainly evaluates: `if()` evaluates only the branch its condition picks,
/// so templates legitimately name things in a branch that is never taken.
fn walk_evaluated<'e>(expr: &'e Expr, visit: &mut impl FnMut(&'e Expr)) {
    visit(expr);
    match &expr.kind {
        ExprKind::Call { args, .. } if expr.is_call_to("if") => {
            if let Some(condition) = args.first() {
                walk_evaluated(condition, visit);
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk_evaluated(a, visit)),
        ExprKind::Member { base, .. } => walk_evaluated(base, visit),
        ExprKind::Index { base, index } => {
            walk_evaluated(base, visit);
            walk_evaluated(index, visit);
        }
        _ => {}
    }
}

fn undefined(input: &Unit, site: &ExpressionSite, kind: &ExprKind) -> Option<String> {
    let t = &input.template;
    let ExprKind::Call {
        namespace,
        name,
        args,
    } = kind
    else {
        return None;
    };
    if let Some(ns) = namespace {
        return t.function(site.deployment, ns, name).is_none().then(|| {
            format!("the function `{ns}.{name}` is not declared in this template's `functions`")
        });
    }
    let what = if name.eq_ignore_ascii_case("parameters") {
        "parameter"
    } else if name.eq_ignore_ascii_case("variables") {
        "variable"
    } else {
        return None;
    };
    let key = args.first()?.as_literal_str()?;
    let declared = match site.function {
        Some((d, index)) => {
            let lookup = t.deployments[d].lookup;
            let function = t.deployments[lookup].functions.get(index)?;
            // A function sees its own parameters and, as Bicep emits for compile-time imports
            // (`variables('_1.x')`) and ARM accepts, its template's variables.
            if what == "parameter" {
                function
                    .parameters
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(key))
            } else {
                t.variable(d, key).is_some()
            }
        }
        None if what == "parameter" => t.parameter(site.deployment, key).is_some(),
        None => t.variable(site.deployment, key).is_some(),
    };
    (!declared).then(|| {
        format!(
            "the {what} `{key}` is not declared in {}",
            scope_name(input, site, what)
        )
    })
}

fn scope_name(input: &Unit, site: &ExpressionSite, what: &str) -> &'static str {
    if site.function.is_some() && what == "variable" {
        "the template of this user-defined function"
    } else if site.function.is_some() {
        "this user-defined function (functions see only their own parameters)"
    } else if input.template.deployments[site.deployment].lookup == 0 {
        "this template"
    } else {
        "this nested template (its scope is `inner`, so it sees only its own parameters and variables)"
    }
}

fn help(input: &Unit, site: &ExpressionSite) -> String {
    let d = &input.template.deployments[site.deployment];
    if site.function.is_none() && d.lookup != 0 && d.parent.is_some() {
        "declare it in the nested template and pass its value through the deployment's `properties.parameters`, or use `\"expressionEvaluationOptions\": {\"scope\": \"outer\"}`".into()
    } else {
        "declare it, or correct the name (names are case-insensitive)".into()
    }
}
