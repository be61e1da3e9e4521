//! The dependency graph of one template file: `dependsOn` entries (resource IDs, `resourceId()`
//! calls, names, symbolic names, copy-loop names), `reference()`/`list*()` calls, what nested
//! deployments inherit and contain.

use std::collections::HashSet;

use crate::expr::{Expr, ExprKind, ResourceId, StringForm, Value, classify, eval_expr};
use crate::json::{Kind, Node};
use crate::template::{ResourceIndex, Template};

pub struct Graph {
    /// Direct dependencies of each resource, including those its enclosing deployments have.
    direct: Vec<Vec<ResourceIndex>>,
    /// For a nested deployment resource: every resource it deploys, at any depth.
    contains: Vec<Vec<ResourceIndex>>,
    /// Resources with a `dependsOn` entry that names nothing here (unknown, or not in this
    /// file): a path may go through it.
    unresolved: Vec<bool>,
}

impl Graph {
    pub fn build(t: &Template) -> Graph {
        let n = t.resources.len();
        let mut contains = vec![Vec::new(); n];
        for (i, r) in t.resources.iter().enumerate() {
            for holder in t.enclosing(r.deployment) {
                contains[holder].push(i);
            }
        }
        // A `dependsOn` or `reference()` may name one instance of a loop by its own name.
        let instance_ids: Vec<Vec<ResourceId>> = (0..n)
            .map(|j| match t.resources[j].copy_name {
                Some(_) => t
                    .instances(j)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|bound| t.instance_id(j, bound))
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        let own: Vec<Vec<ResourceIndex>> = (0..n)
            .map(|i| own_dependencies(t, i, &instance_ids))
            .collect();
        let direct = (0..n)
            .map(|i| {
                let mut deps = own[i].clone();
                for holder in t.enclosing(t.resources[i].deployment) {
                    deps.extend(&own[holder]);
                }
                deps
            })
            .collect();
        let unresolved = (0..n)
            .map(|i| {
                t.resources[i]
                    .depends_on
                    .iter()
                    .any(|entry| resolve(t, i, &t.eval(i, entry), &instance_ids).is_empty())
            })
            .collect();
        Graph {
            direct,
            contains,
            unresolved,
        }
    }

    /// Whether a resource or a deployment that holds it has a `dependsOn` entry that names
    /// nothing in the file.
    pub fn has_unresolved(&self, t: &Template, i: ResourceIndex) -> bool {
        std::iter::once(i)
            .chain(t.enclosing(t.resources[i].deployment))
            .any(|r| self.unresolved[r])
    }

    /// Whether `from` depends on `to`, directly or through other resources. Depending on a
    /// nested deployment is depending on everything it deploys.
    pub fn depends_on(&self, from: ResourceIndex, to: ResourceIndex) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![from];
        while let Some(r) = stack.pop() {
            for &d in &self.direct[r] {
                if d == to || self.contains[d].contains(&to) {
                    return true;
                }
                if seen.insert(d) {
                    stack.push(d);
                    stack.extend(self.contains[d].iter().copied().filter(|c| seen.insert(*c)));
                }
            }
        }
        false
    }
}

fn own_dependencies(
    t: &Template,
    i: ResourceIndex,
    instance_ids: &[Vec<ResourceId>],
) -> Vec<ResourceIndex> {
    let r = &t.resources[i];
    let mut deps: Vec<ResourceIndex> = r
        .depends_on
        .iter()
        .flat_map(|entry| resolve(t, i, &t.eval(i, entry), instance_ids))
        .collect();
    // reference()/list*() to another resource orders it too; look only at this resource's own
    // values, not at nested templates (their resources have their own entries).
    let mut calls = Vec::new();
    for m in r.node.as_object().unwrap_or(&[]) {
        if !m.key.eq_ignore_ascii_case("resources") {
            collect_reference_targets(t, &m.value, &mut calls);
        }
    }
    let scope = t.resource_scope(i);
    for call in calls {
        deps.extend(resolve(t, i, &eval_expr(&call, &scope), instance_ids));
    }
    deps.sort_unstable();
    deps.dedup();
    deps.retain(|&d| d != i);
    deps
}

/// The first argument of every `reference()`, `references()` and `list*()` call.
fn collect_reference_targets(t: &Template, node: &Node, out: &mut Vec<Expr>) {
    match &node.kind {
        Kind::String(s) => {
            if let StringForm::Expression(text) = classify(s)
                && let Ok(expr) = t.expression(text).as_ref()
            {
                expr.walk(&mut |e| {
                    if let ExprKind::Call {
                        namespace: None,
                        name,
                        args,
                    } = &e.kind
                    {
                        let lower = name.to_ascii_lowercase();
                        if (lower == "reference" || lower.starts_with("list")) && !args.is_empty() {
                            out.push(args[0].clone());
                        }
                    }
                });
            }
        }
        Kind::Array(items) => items
            .iter()
            .for_each(|n| collect_reference_targets(t, n, out)),
        Kind::Object(members) => members
            .iter()
            .for_each(|m| collect_reference_targets(t, &m.value, out)),
        _ => {}
    }
}

/// The resources a dependency entry names: a symbolic name, a resource ID (of one instance of
/// a loop too), a resource's name or a copy loop's name. Unknown entries name nothing.
fn resolve(
    t: &Template,
    from: ResourceIndex,
    entry: &Value,
    instance_ids: &[Vec<ResourceId>],
) -> Vec<ResourceIndex> {
    let Some(text) = entry.as_text() else {
        return Vec::new();
    };
    let deployment = t.resources[from].deployment;
    let literal = text.as_literal();
    let id = ResourceId::parse(&text).ok();
    (0..t.resources.len())
        .filter(|&j| {
            let r = &t.resources[j];
            let symbolic = literal.is_some_and(|l| {
                r.deployment == deployment
                    && r.symbolic_name.is_some_and(|s| s.eq_ignore_ascii_case(l))
            });
            let copy =
                literal.is_some_and(|l| r.copy_name.is_some_and(|c| c.eq_ignore_ascii_case(l)));
            let by_id = id.as_ref().is_some_and(|a| {
                r.id.iter()
                    .chain(&instance_ids[j])
                    .any(|b| a.same_as(b) == Some(true))
            });
            let by_name = id.is_none()
                && r.name
                    .as_text()
                    .is_some_and(|n| n.equals(&text, true) == Some(true));
            symbolic || copy || by_id || by_name
        })
        .collect()
}
