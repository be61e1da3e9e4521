//! The evaluation context of one deployment: parameters (parameter file, nested deployment's
//! `parameters`, default, or a symbol), variables (lazy, memoised, cycle-safe), user functions,
//! the deployment scope, the copy loop, and the outputs of nested deployments.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use super::{DeploymentId, ResourceIndex, Supplied, Template, VariableValue};
use crate::expr::parser::ParseError;
use crate::expr::{
    Context, DeploymentScope, Expr, Symbol, UserFunction, Value, eval_copy_loop, eval_node,
    from_json,
};

/// How many variables and parameters one value may pass through. Real templates chain a
/// handful; each link costs several stack frames.
const MAX_CHAIN: usize = 64;

/// Bytes the kept values of one template may take. One value stops at 1 MiB, and the largest
/// in the shared corpus is 100 KB, but every variable keeps its own: a thousand variables
/// copying one big value would take a gigabyte.
const MAX_CACHED_BYTES: usize = 64 << 20;

/// The values of variables and parameters evaluated so far, per deployment.
#[derive(Debug)]
pub(super) struct ValueCache {
    values: HashMap<(DeploymentId, String), Value>,
    bytes_left: usize,
}

impl ValueCache {
    pub(super) fn new() -> ValueCache {
        ValueCache {
            values: HashMap::new(),
            bytes_left: MAX_CACHED_BYTES,
        }
    }

    /// Keeps a value, or unknown in its place once the values kept would pass the limit. Which
    /// values are kept then depends on the order rules ask for them, but only past the limit.
    fn keep(&mut self, slot: (DeploymentId, String), value: Value) -> Value {
        let value = match value.size_within(self.bytes_left, usize::MAX) {
            Some(size) => {
                self.bytes_left -= size;
                value
            }
            None => Value::Unknown,
        };
        self.values.insert(slot, value.clone());
        value
    }
}

/// Copy loops at one instance each: the resource with the loop, and its index.
pub type Bindings = BTreeMap<ResourceIndex, i64>;

pub struct EvalScope<'t, 'a> {
    template: &'t Template<'a>,
    deployment: DeploymentId,
    /// The resource whose copy loop `copyIndex()` counts.
    copy_of: Option<ResourceIndex>,
    /// The instance of each copy loop being evaluated (the resource's own, its enclosing
    /// deployments'); a loop not bound here counts symbolically.
    bound: Bindings,
}

impl<'t, 'a> EvalScope<'t, 'a> {
    pub fn new(
        template: &'t Template<'a>,
        deployment: DeploymentId,
        copy_of: Option<ResourceIndex>,
    ) -> Self {
        EvalScope {
            template,
            deployment,
            copy_of,
            bound: Bindings::new(),
        }
    }

    /// The same scope with these copy loops at these instances.
    pub fn bound(mut self, bound: &Bindings) -> Self {
        self.bound = bound.clone();
        self
    }

    /// Another deployment's or resource's scope, with this one's instances.
    fn at(&self, deployment: DeploymentId, copy_of: Option<ResourceIndex>) -> Self {
        EvalScope::new(self.template, deployment, copy_of).bound(&self.bound)
    }

    /// The instances that values of this deployment may depend on (those of the deployments
    /// around it), for the cache key: other instances share the value.
    fn instance_key(&self) -> String {
        let t = self.template;
        let relevant: Vec<_> = self
            .bound
            .iter()
            .filter(|(r, _)| t.enclosing(self.deployment).any(|h| h == **r))
            .collect();
        if relevant.is_empty() {
            String::new()
        } else {
            format!("@{relevant:?}")
        }
    }

    /// Evaluates once per deployment and key, and cuts cycles (a variable that needs itself is
    /// unknown, as ARM would reject it) and chains too long to follow on a thread's stack.
    fn memoised(&self, key: String, compute: impl FnOnce() -> Value) -> Value {
        let lookup = self.template.deployments[self.deployment].lookup;
        let slot = (lookup, key + &self.instance_key());
        if let Some(v) = self
            .template
            .variable_cache
            .lock()
            .unwrap()
            .values
            .get(&slot)
        {
            return v.clone();
        }
        // Rules on other threads may evaluate this template at the same time; only this
        // thread's own chain is a cycle.
        let thread = std::thread::current().id();
        let frame = (thread, slot.clone());
        {
            let mut active = self.template.in_progress.lock().unwrap();
            let depth = active.iter().filter(|a| a.0 == thread).count();
            if depth >= MAX_CHAIN || active.contains(&frame) {
                return Value::Unknown;
            }
            active.push(frame.clone());
        }
        let value = compute();
        self.template
            .in_progress
            .lock()
            .unwrap()
            .retain(|a| a != &frame);
        self.template
            .variable_cache
            .lock()
            .unwrap()
            .keep(slot, value)
    }

    fn parameter_value(&self, name: &str) -> Option<Value> {
        let t = self.template;
        let parameter = t.parameter(self.deployment, name)?;
        let lookup = t.deployments[self.deployment].lookup;
        Some(
            self.memoised(format!("parameters:{}", name.to_ascii_lowercase()), || {
                match parameter.supplied {
                    Some(Supplied::ParameterFile(node)) => from_json(&node.to_json()),
                    Some(Supplied::SecretReference(_)) => Value::Unknown,
                    Some(Supplied::ParameterFileExpression(node)) => {
                        eval_node(node, &self.at(lookup, None))
                    }
                    Some(Supplied::Deployment(node)) => {
                        // Evaluated where the nested deployment resource itself is.
                        let holder = t.deployments[lookup]
                            .parent
                            .expect("a nested deployment has a parent");
                        let holder_scope = t.resource_scope(holder).bound(&self.bound);
                        eval_node(node, &holder_scope)
                    }
                    None => match parameter.default {
                        Some(default) => eval_node(default, &self.at(lookup, None)),
                        None => Value::Symbol(Symbol::owned(
                            &format!("parameters('{}')", parameter.name),
                            t.owner(lookup),
                        )),
                    },
                }
            }),
        )
    }
}

impl Context for EvalScope<'_, '_> {
    fn parameter(&self, name: &str) -> Option<Value> {
        self.parameter_value(name)
    }

    fn variable(&self, name: &str) -> Option<Value> {
        let t = self.template;
        let variable = t.variable(self.deployment, name)?;
        let lookup = t.deployments[self.deployment].lookup;
        let key = format!("variables:{}", name.to_ascii_lowercase());
        Some(self.memoised(key, || {
            let at = self.at(lookup, None);
            match variable.value {
                VariableValue::Node(node) => eval_node(node, &at),
                VariableValue::Loop(copy) => eval_copy_loop(copy, &at),
            }
        }))
    }

    fn function(&self, namespace: &str, name: &str) -> Option<UserFunction<'_>> {
        let f = self.template.function(self.deployment, namespace, name)?;
        Some(UserFunction {
            parameters: f.parameters.iter().map(|p| p.to_string()).collect(),
            output: f.output?,
        })
    }

    fn scope(&self) -> &DeploymentScope {
        &self.template.deployments[self.deployment].scope
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        let Some(index) = self.copy_of else {
            return Value::Unknown;
        };
        let copy = self.template.resources[index].copy_name.unwrap_or_default();
        match loop_name {
            Some(n) if !n.eq_ignore_ascii_case(copy) => Value::Unknown,
            _ if self.bound.contains_key(&index) => Value::Int(self.bound[&index]),
            _ => Value::Symbol(Symbol::owned(
                &format!("copyIndex('{copy}')"),
                format!("{}#{index}", self.template.owner(self.deployment)),
            )),
        }
    }

    fn parsed(&self, text: &str) -> Option<&Result<Expr, ParseError>> {
        self.template.parsed(text)
    }

    fn outputs(&self, target: &Value) -> Option<Value> {
        let (holder, instance) =
            self.template
                .deployment_named(self.deployment, &self.bound, target)?;
        let mut bound = self.bound.clone();
        if let Some(k) = instance {
            bound.insert(holder, k);
        }
        let key = format!("outputs:{holder}:{instance:?}");
        let value = self.memoised(key, || self.template.outputs_of(holder, &bound));
        (!value.is_unknown()).then_some(value)
    }
}
