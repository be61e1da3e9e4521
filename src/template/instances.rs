//! Copy loops whose count is known, one instance at a time: what each instance of a resource
//! (its own loop and those of the nested deployments around it) is named and what a nested
//! deployment's outputs are for each.

use super::build::{DEPLOYMENTS, resource_id};
use super::scope::{Bindings, EvalScope};
use super::{DeploymentId, ResourceIndex, Template};
use crate::expr::{ResourceId, Value, eval_node};

/// How many instances of one resource are evaluated one by one (all its loops together).
/// Azure's modules loop over arrays of a few items; past this, values stay what they are for
/// any instance (symbolic), never a guess.
pub const MAX_INSTANCES: usize = 32;

impl<'a> Template<'a> {
    /// Every instance of a resource: one binding per combination of its loops' indexes (one
    /// empty binding when it is in no loop). `None` when a count is unknown or there are more
    /// than `MAX_INSTANCES`.
    pub fn instances(&self, i: ResourceIndex) -> Option<Vec<Bindings>> {
        let r = &self.resources[i];
        let own = r.copy_name.map(|_| i);
        let mut loops: Vec<ResourceIndex> = self
            .enclosing(r.deployment)
            .filter(|&h| self.resources[h].copy_name.is_some())
            .collect();
        loops.reverse();
        loops.extend(own);
        let mut all = vec![Bindings::new()];
        for l in loops {
            let count_node = self.resources[l].node.path(&["copy", "count"])?;
            let mut next = Vec::new();
            for bound in &all {
                let scope = self.resource_scope(l).bound(bound);
                let count = eval_node(count_node, &scope).as_int()?;
                let count = usize::try_from(count).ok()?;
                if next.len() + count > MAX_INSTANCES {
                    return None;
                }
                next.extend((0..count).map(|k| {
                    let mut b = bound.clone();
                    b.insert(l, k as i64);
                    b
                }));
            }
            all = next;
        }
        Some(all)
    }

    /// The scope of a resource's values at one instance.
    pub fn instance_scope(&self, i: ResourceIndex, bound: &Bindings) -> EvalScope<'_, 'a> {
        self.resource_scope(i).bound(bound)
    }

    /// The full name of a resource at one instance.
    pub fn instance_name(&self, i: ResourceIndex, bound: &Bindings) -> Value {
        if bound.is_empty() {
            return self.resources[i].name.clone();
        }
        let r = &self.resources[i];
        let own = r.node.get("name").map_or(Value::Unknown, |n| {
            eval_node(n, &self.instance_scope(i, bound))
        });
        match (r.parent, own.as_text()) {
            (None, _) => own,
            (Some(p), Some(own)) => match self.instance_name(p, bound).as_text() {
                Some(mut full) => {
                    full.push_str("/");
                    full.push_text(&own);
                    Value::String(full)
                }
                None => Value::Unknown,
            },
            (Some(_), None) => Value::Unknown,
        }
    }

    /// The resource ID of a resource at one instance.
    pub fn instance_id(&self, i: ResourceIndex, bound: &Bindings) -> Option<ResourceId> {
        if bound.is_empty() {
            return self.resources[i].id.clone();
        }
        resource_id(self, i, &self.instance_name(i, bound).as_text()?)
    }

    /// Whether a resource is deployed at one instance: `false` only when its condition (or an
    /// enclosing deployment's) is certainly false there.
    pub fn instance_deployed(&self, i: ResourceIndex, bound: &Bindings) -> bool {
        let r = &self.resources[i];
        if !r.deployed {
            return false;
        }
        let holders = std::iter::once(i).chain(self.enclosing(r.deployment));
        holders.into_iter().all(|h| {
            self.resources[h].node.get("condition").is_none_or(|c| {
                eval_node(c, &self.instance_scope(h, bound)).as_bool() != Some(false)
            })
        })
    }

    /// The nested deployment resource (with an inline template) that a `reference()` target
    /// names, seen from `from`: its symbolic name (`name[2]` for one instance of a loop), its
    /// resource ID or its name; and the instance it names, if it is in a loop.
    pub(super) fn deployment_named(
        &self,
        from: DeploymentId,
        outer: &Bindings,
        target: &Value,
    ) -> Option<(ResourceIndex, Option<i64>)> {
        let text = target.as_text()?;
        let candidates = self
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_type(DEPLOYMENTS) && r.nested.is_some());
        if let Some(literal) = text.as_literal() {
            let (symbol, index) = match literal.strip_suffix(']').and_then(|s| s.split_once('[')) {
                Some((s, k)) => (s, Some(k.parse::<i64>().ok()?)),
                None => (literal, None),
            };
            let by_symbol = candidates.clone().find(|(_, r)| {
                r.deployment == from
                    && r.symbolic_name
                        .is_some_and(|s| s.eq_ignore_ascii_case(symbol))
            });
            if let Some((h, r)) = by_symbol {
                // A loop's symbolic name alone names every instance (an array): not followed.
                return (r.copy_name.is_some() == index.is_some()).then_some((h, index));
            }
        }
        let id = ResourceId::parse(&text).ok();
        let mut found = None;
        for (h, r) in candidates {
            let named = |bound: &Bindings| match &id {
                Some(id) => self
                    .instance_id(h, bound)
                    .is_some_and(|own| own.same_as(id) == Some(true)),
                None => {
                    r.deployment == from
                        && self
                            .instance_name(h, bound)
                            .as_text()
                            .is_some_and(|n| n.equals(&text, true) == Some(true))
                }
            };
            let hit = if r.copy_name.is_none() {
                named(outer).then_some((h, None))
            } else {
                // A loop of unknown count may hold the deployment named: which one is not known.
                self.instances(h)?
                    .into_iter()
                    .filter(|b| {
                        b.iter()
                            .all(|(l, k)| *l == h || outer.get(l).is_none_or(|o| o == k))
                    })
                    .find(|b| named(b))
                    .map(|b| (h, Some(b[&h])))
            };
            if hit.is_some() {
                // Two deployments of one name: which one is meant is not known.
                if found.is_some() {
                    return None;
                }
                found = hit;
            }
        }
        found
    }

    /// The `outputs` of a nested deployment at the instance `bound` gives it, as `reference()`
    /// returns them: each `{"type", "value"}`. Unknown when it is not deployed there; an output
    /// with an unknown condition or an output loop is unknown.
    pub(super) fn outputs_of(&self, holder: ResourceIndex, bound: &Bindings) -> Value {
        let Some(nested) = self.resources[holder].nested else {
            return Value::Unknown;
        };
        if !self.instance_deployed(holder, bound) {
            return Value::Unknown;
        }
        let scope = EvalScope::new(self, nested, None).bound(bound);
        let mut outputs = Vec::new();
        for (name, node) in &self.deployments[nested].outputs {
            let condition = node
                .get("condition")
                .map(|c| eval_node(c, &scope).as_bool());
            let value = match (condition, node.get("value")) {
                (Some(Some(false)), _) => continue,
                (Some(None), _) | (_, None) => Value::Unknown,
                (_, Some(value)) if node.get("copy").is_none() => eval_node(value, &scope),
                _ => Value::Unknown,
            };
            let kind = node
                .get("type")
                .and_then(|t| t.as_str())
                .map_or(Value::Unknown, Value::str);
            outputs.push((
                name.to_string(),
                Value::Object(vec![("type".into(), kind), ("value".into(), value)]),
            ));
        }
        Value::Object(outputs)
    }
}
