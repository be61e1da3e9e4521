//! The dependency graph of one template file: `dependsOn` entries (resource IDs, `resourceId()`
//! calls, names, symbolic names, copy-loop names), `reference()`/`list*()` calls, what nested
//! deployments inherit and contain.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::expr::{Expr, ExprKind, ResourceId, StringForm, Value, classify, eval_expr, fold_case};
use crate::json::{Kind, Node};
use crate::template::{DeploymentId, ResourceIndex, Template};

pub struct Graph {
    /// Direct dependencies of each resource, including those its enclosing deployments have.
    direct: Vec<Vec<ResourceIndex>>,
    /// For a nested deployment resource: every resource it deploys, at any depth.
    contains: Vec<Vec<ResourceIndex>>,
    /// Resources with a `dependsOn` entry that names nothing here (unknown, or not in this
    /// file): a path may go through it.
    unresolved: Vec<bool>,
    /// What each resource depends on, at any depth, sorted; worked out when first asked, since
    /// rules ask about the same few resources (links, approvals) again and again.
    reach: Vec<OnceLock<Box<[ResourceIndex]>>>,
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
        let targets = Targets::new(t, &instance_ids);
        let (own, unresolved): (Vec<Vec<ResourceIndex>>, Vec<bool>) =
            (0..n).map(|i| own_dependencies(&targets, i)).unzip();
        let direct = (0..n)
            .map(|i| {
                let mut deps = own[i].clone();
                for holder in t.enclosing(t.resources[i].deployment) {
                    deps.extend(&own[holder]);
                }
                deps
            })
            .collect();
        Graph {
            direct,
            contains,
            unresolved,
            reach: (0..n).map(|_| OnceLock::new()).collect(),
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
        self.dependencies(from).binary_search(&to).is_ok()
    }

    /// Everything `from` depends on, at any depth, in index order.
    pub fn dependencies(&self, from: ResourceIndex) -> &[ResourceIndex] {
        self.reach[from].get_or_init(|| self.reachable(from))
    }

    fn reachable(&self, from: ResourceIndex) -> Box<[ResourceIndex]> {
        let mut seen = HashSet::new();
        let mut stack = vec![from];
        while let Some(r) = stack.pop() {
            for &d in &self.direct[r] {
                if seen.insert(d) {
                    stack.push(d);
                    stack.extend(self.contains[d].iter().copied().filter(|c| seen.insert(*c)));
                }
            }
        }
        let mut reach: Vec<ResourceIndex> = seen.into_iter().collect();
        reach.sort_unstable();
        reach.into()
    }
}

/// A resource's own dependencies, and whether one of its `dependsOn` entries names nothing here.
fn own_dependencies(targets: &Targets, i: ResourceIndex) -> (Vec<ResourceIndex>, bool) {
    let t = targets.template;
    let r = &t.resources[i];
    let mut unresolved = false;
    let mut deps = Vec::new();
    for entry in &r.depends_on {
        let named = targets.resolve(i, &t.eval(i, entry));
        unresolved |= named.is_empty();
        deps.extend(named);
    }
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
        deps.extend(targets.resolve(i, &eval_expr(&call, &scope)));
    }
    deps.sort_unstable();
    deps.dedup();
    deps.retain(|&d| d != i);
    (deps, unresolved)
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

/// The resources of a template by what a dependency entry may name them with, so that an entry
/// is compared only with the few resources it may name, not with every one (a template of
/// thousands of resources would take the square of that).
struct Targets<'t> {
    template: &'t Template<'t>,
    /// A `dependsOn` or `reference()` may name one instance of a loop by its own ID.
    instance_ids: &'t [Vec<ResourceId>],
    /// By deployment and symbolic name, in ASCII lower case.
    symbolic: HashMap<(DeploymentId, String), Vec<ResourceIndex>>,
    /// By copy loop name, in ASCII lower case.
    copies: HashMap<String, Vec<ResourceIndex>>,
    /// By the type of any of their IDs, in ASCII lower case.
    types: HashMap<String, Vec<ResourceIndex>>,
    /// By the type and names of any of their IDs whose names are all literal (`literal_names`):
    /// an ID whose names are all literal is certainly only one of these (a name with symbols in
    /// it is never certainly a literal).
    typed_names: HashMap<(String, Vec<String>), Vec<ResourceIndex>>,
    /// By literal name, in the case names are compared in (`fold_case`): a name with symbols
    /// in it is never certainly a literal.
    names: HashMap<String, Vec<ResourceIndex>>,
}

impl<'t> Targets<'t> {
    fn new(template: &'t Template<'t>, instance_ids: &'t [Vec<ResourceId>]) -> Targets<'t> {
        let mut targets = Targets {
            template,
            instance_ids,
            symbolic: HashMap::new(),
            copies: HashMap::new(),
            types: HashMap::new(),
            typed_names: HashMap::new(),
            names: HashMap::new(),
        };
        // Indexes are filled in index order, so a resource listed again (a loop's instances
        // share a type) is the last entry.
        let add = |list: &mut Vec<ResourceIndex>, j| {
            if list.last() != Some(&j) {
                list.push(j);
            }
        };
        for (j, r) in template.resources.iter().enumerate() {
            if let Some(symbol) = r.symbolic_name {
                let key = (r.deployment, symbol.to_ascii_lowercase());
                targets.symbolic.entry(key).or_default().push(j);
            }
            if let Some(copy) = r.copy_name {
                targets
                    .copies
                    .entry(copy.to_ascii_lowercase())
                    .or_default()
                    .push(j);
            }
            for id in r.id.iter().chain(&instance_ids[j]) {
                let type_name = id.type_name().to_ascii_lowercase();
                if let Some(names) = literal_names(id) {
                    let key = (type_name.clone(), names);
                    add(targets.typed_names.entry(key).or_default(), j);
                }
                add(targets.types.entry(type_name).or_default(), j);
            }
            if let Some(name) = r.name.as_literal_str() {
                targets.names.entry(fold_case(name)).or_default().push(j);
            }
        }
        targets
    }

    /// The resources a dependency entry names: a symbolic name, a resource ID (of one instance
    /// of a loop too), a resource's name or a copy loop's name. Unknown entries name nothing.
    fn resolve(&self, from: ResourceIndex, entry: &Value) -> Vec<ResourceIndex> {
        let Some(text) = entry.as_text() else {
            return Vec::new();
        };
        let t = self.template;
        let deployment = t.resources[from].deployment;
        let literal = text.as_literal();
        let id = ResourceId::parse(&text).ok();
        let mut candidates: Vec<ResourceIndex> = Vec::new();
        if let Some(l) = literal {
            let key = l.to_ascii_lowercase();
            candidates.extend(
                self.symbolic
                    .get(&(deployment, key.clone()))
                    .into_iter()
                    .flatten(),
            );
            candidates.extend(found(&self.copies, &key));
        }
        match (&id, literal) {
            (Some(id), _) => {
                let type_name = id.type_name().to_ascii_lowercase();
                match literal_names(id) {
                    Some(names) => {
                        let named = self.typed_names.get(&(type_name, names));
                        candidates.extend(named.into_iter().flatten());
                    }
                    None => candidates.extend(found(&self.types, &type_name)),
                }
            }
            (None, Some(l)) => candidates.extend(found(&self.names, &fold_case(l))),
            // A name made of symbols may be any resource's.
            (None, None) => candidates.extend(0..t.resources.len()),
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&j| {
            let r = &t.resources[j];
            let symbolic = literal.is_some_and(|l| {
                r.deployment == deployment
                    && r.symbolic_name.is_some_and(|s| s.eq_ignore_ascii_case(l))
            });
            let copy =
                literal.is_some_and(|l| r.copy_name.is_some_and(|c| c.eq_ignore_ascii_case(l)));
            let by_id = id.as_ref().is_some_and(|a| {
                r.id.iter()
                    .chain(&self.instance_ids[j])
                    .any(|b| a.same_as(b) == Some(true))
            });
            let by_name = id.is_none()
                && r.name
                    .as_text()
                    .is_some_and(|n| n.equals(&text, true) == Some(true));
            symbolic || copy || by_id || by_name
        });
        candidates
    }
}

/// An ID's names when all are literal, in the case `ResourceId::same_as` ignores.
fn literal_names(id: &ResourceId) -> Option<Vec<String>> {
    id.names
        .iter()
        .map(|name| name.as_literal().map(fold_case))
        .collect()
}

/// The resources a map holds under `key`.
fn found<'m>(
    map: &'m HashMap<String, Vec<ResourceIndex>>,
    key: &str,
) -> impl Iterator<Item = ResourceIndex> + 'm {
    map.get(key).into_iter().flatten().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn an_entry_names_the_resource_with_all_its_names_whatever_their_case() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "parameters": {"vaultName": {"type": "string"}},
            "resources": [
              {"type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources", "apiVersion": "2024-03-01", "name": "wps-a/kv-link"},
              {"type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources", "apiVersion": "2024-03-01", "name": "wps-b/kv-link"},
              {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-äb"},
              {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "[parameters('vaultName')]"},
              {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-ΟΣ"},
              {"type": "Microsoft.KeyVault/vaults/privateEndpointConnections", "apiVersion": "2023-07-01", "name": "kv-äb/approval",
               "dependsOn": [
                 "[resourceId('Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources', 'WPS-B', 'KV-Link')]",
                 "[resourceId('microsoft.keyvault/VAULTS', 'KV-ÄB')]",
                 "[resourceId('Microsoft.KeyVault/vaults', parameters('vaultName'))]",
                 "kv-οσ"
               ]}
            ]}"#;
        let document = parse(text);
        let t = Template::build(document.root.as_ref().unwrap(), None);
        let index = |name: &str| {
            t.resources
                .iter()
                .position(|r| r.name.describe() == name)
                .unwrap_or_else(|| panic!("no resource named {name}"))
        };
        assert_eq!(
            Graph::build(&t).dependencies(index("kv-äb/approval")),
            [
                index("wps-b/kv-link"),
                index("kv-äb"),
                index("{parameters('vaultName')}"),
                index("kv-ΟΣ")
            ],
            "the link under wps-a has the same last name, and is not named; a final capital \
             sigma is a small sigma, as names compare"
        );
    }
}
