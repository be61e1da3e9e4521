//! The dependency graph of one template file: `dependsOn` entries (resource IDs, `resourceId()`
//! calls, names, symbolic names, copy-loop names), `reference()`/`list*()` calls, what nested
//! deployments inherit and contain.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use foldhash::{HashSet, HashSetExt};

use crate::expr::{
    Expr, ExprKind, ResourceId, StringForm, Value, classify, eval_expr, fold_case_into,
};
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
    if !calls.is_empty() {
        let scope = t.resource_scope(i);
        for call in calls {
            deps.extend(targets.resolve(i, &eval_expr(&call, &scope)));
        }
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
                && may_reference(text)
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

/// Whether an expression may call `reference()`, `references()` or a `list*()` function: its
/// text holds `refe` or `list` in some case (function names ignore case). Most expressions
/// hold neither and are not walked.
fn may_reference(text: &str) -> bool {
    text.as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"refe") || w.eq_ignore_ascii_case(b"list"))
}

/// The resources of a template by what a dependency entry may name them with, so that an entry
/// is compared only with the few resources it may name, not with every one (a template of
/// thousands of resources would take the square of that).
///
/// Each index is a sorted list of (key, resource), the key a digest of the texts in the case
/// they compare in (`Key`): one allocation per index, where maps of strings to lists took
/// several per resource. A digest two texts share only adds a candidate: `resolve` compares
/// every candidate itself.
struct Targets<'t> {
    template: &'t Template<'t>,
    /// A `dependsOn` or `reference()` may name one instance of a loop by its own ID.
    instance_ids: &'t [Vec<ResourceId>],
    /// By deployment and symbolic name.
    symbolic: Index,
    /// By copy loop name.
    copies: Index,
    /// By the type of any of their IDs.
    types: Index,
    /// By the type and names of any of their IDs whose names are all literal: an ID whose
    /// names are all literal is certainly only one of these (a name with symbols in it is
    /// never certainly a literal).
    typed_names: Index,
    /// By literal name: a name with symbols in it is never certainly a literal.
    names: Index,
}

impl<'t> Targets<'t> {
    fn new(template: &'t Template<'t>, instance_ids: &'t [Vec<ResourceId>]) -> Targets<'t> {
        let mut key = Key::default();
        let (mut symbolic, mut copies, mut types, mut typed_names, mut names) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (j, r) in template.resources.iter().enumerate() {
            if let Some(symbol) = r.symbolic_name {
                symbolic.push((key.symbolic(r.deployment, symbol), j));
            }
            if let Some(copy) = r.copy_name {
                copies.push((key.of([copy]), j));
            }
            for id in r.id.iter().chain(&instance_ids[j]) {
                if let Some(digest) = key.typed_names(id) {
                    typed_names.push((digest, j));
                }
                types.push((key.type_of(id), j));
            }
            if let Some(name) = r.name.as_literal_str() {
                names.push((key.of([name]), j));
            }
        }
        Targets {
            template,
            instance_ids,
            symbolic: Index::new(symbolic),
            copies: Index::new(copies),
            types: Index::new(types),
            typed_names: Index::new(typed_names),
            names: Index::new(names),
        }
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
        let mut key = Key::default();
        let mut candidates: Vec<ResourceIndex> = Vec::new();
        if let Some(l) = literal {
            candidates.extend(self.symbolic.get(key.symbolic(deployment, l)));
            candidates.extend(self.copies.get(key.of([l])));
        }
        match (&id, literal) {
            (Some(id), _) => match key.typed_names(id) {
                Some(digest) => candidates.extend(self.typed_names.get(digest)),
                None => candidates.extend(self.types.get(key.type_of(id))),
            },
            (None, Some(l)) => candidates.extend(self.names.get(key.of([l]))),
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

/// Resources by key, sorted: those under one key are a run of the list.
struct Index(Vec<(u64, ResourceIndex)>);

impl Index {
    fn new(mut entries: Vec<(u64, ResourceIndex)>) -> Index {
        entries.sort_unstable();
        entries.dedup();
        Index(entries)
    }

    fn get(&self, key: u64) -> impl Iterator<Item = ResourceIndex> + '_ {
        let from = self.0.partition_point(|&(k, _)| k < key);
        self.0[from..]
            .iter()
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, j)| j)
    }
}

/// The digest of texts as they compare: in the case `fold_case` gives (texts equal ignoring
/// ASCII case are equal folded too), each text ended by a byte no UTF-8 text holds. `folded`
/// is kept from one key to the next, so that keys take no allocation.
#[derive(Default)]
struct Key {
    folded: String,
}

impl Key {
    /// The digest of `texts`, in order.
    fn of<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) -> u64 {
        let mut hasher = foldhash::fast::FixedState::default().build_hasher();
        for text in texts {
            self.folded.clear();
            fold_case_into(&mut self.folded, text);
            hasher.write(self.folded.as_bytes());
            hasher.write_u8(0xff);
        }
        hasher.finish()
    }

    fn symbolic(&mut self, deployment: DeploymentId, symbol: &str) -> u64 {
        self.of([symbol]) ^ (deployment as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn type_of(&mut self, id: &ResourceId) -> u64 {
        self.of(id.type_segments())
    }

    /// The type and names of an ID whose names are all literal.
    fn typed_names(&mut self, id: &ResourceId) -> Option<u64> {
        if !id.names.iter().all(|n| n.as_literal().is_some()) {
            return None;
        }
        let names = id.names.iter().filter_map(|n| n.as_literal());
        Some(self.of(id.type_segments().chain(names)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// What the resource named `of` depends on, by name, in the template `text`.
    fn dependencies(text: &str, of: &str) -> Vec<String> {
        let document = parse(text);
        let t = Template::build(document.root.as_ref().unwrap(), None);
        let of = t
            .resources
            .iter()
            .position(|r| r.name.describe() == of)
            .unwrap_or_else(|| panic!("no resource named {of}"));
        Graph::build(&t)
            .dependencies(of)
            .iter()
            .map(|&d| t.resources[d].name.describe())
            .collect()
    }

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
        assert_eq!(
            dependencies(text, "kv-äb/approval"),
            [
                "wps-b/kv-link",
                "kv-äb",
                "{parameters('vaultName')}",
                "kv-ΟΣ"
            ],
            "the link under wps-a has the same last name, and is not named; a final capital \
             sigma is a small sigma, as names compare"
        );
    }

    #[test]
    fn reference_and_list_calls_order_resources_whatever_their_case() {
        let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "resources": [
              {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "sa"},
              {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv"},
              {"type": "Microsoft.Web/sites", "apiVersion": "2023-01-01", "name": "app"},
              {"type": "Microsoft.Web/sites", "apiVersion": "2023-01-01", "name": "reads",
               "properties": {
                 "key": "[LISTKEYS(resourceId('Microsoft.Storage/storageAccounts', 'sa'), '2023-01-01').keys[0].value]",
                 "uri": "[Reference(resourceId('Microsoft.KeyVault/vaults', 'kv')).vaultUri]",
                 "host": "[concat(resourceId('Microsoft.Web/sites', 'app'), '.azurewebsites.net')]"
               }}
            ]}"#;
        assert_eq!(
            dependencies(text, "reads"),
            ["sa", "kv"],
            "a resource ID alone, outside reference() and list*(), orders nothing"
        );
    }
}
