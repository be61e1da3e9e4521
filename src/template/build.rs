//! Building the model: one walk collects deployments, resources and expression sites; then
//! nested deployments' scopes and every resource's name, ID and condition are evaluated in
//! document order, so parents are always done before what they contain.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::scope::ValueCache;
use super::{
    Deployment, DeploymentId, ExpressionSite, Function, Parameter, Resource, ResourceIndex,
    Supplied, Template, Variable, VariableValue,
};
use crate::expr::{
    DeploymentScope, IdScope, ResourceId, ScopeKind, StringForm, Symbol, Text, Value, classify,
};
use crate::json::Node;

pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// A linked template's root by the `templateLink.relativePath` that names it, when it was read.
pub type Linked<'l, 'a> = &'l dyn Fn(&str) -> Option<&'a Node<'a>>;

pub fn build<'a>(
    root: &'a Node<'a>,
    parameter_file: Option<&'a Node<'a>>,
    linked: Linked<'_, 'a>,
) -> Template<'a> {
    let symbol = |key: &str| Text::symbol(Symbol::new(key));
    let scope = DeploymentScope {
        kind: schema_scope(root).unwrap_or(ScopeKind::ResourceGroup),
        subscription: symbol("subscription().subscriptionId"),
        resource_group: symbol("resourceGroup().name"),
        tenant: symbol("tenant().tenantId"),
    };
    // Each template gets its own number, so that its symbols stay its own.
    static TEMPLATES: AtomicUsize = AtomicUsize::new(0);
    let mut t = Template {
        root,
        number: TEMPLATES.fetch_add(1, Ordering::Relaxed),
        deployments: Vec::new(),
        resources: Vec::new(),
        expressions: Vec::new(),
        sites: foldhash::HashMap::default(),
        variable_cache: Mutex::new(ValueCache::new()),
        in_progress: Mutex::new(Vec::new()),
    };
    let from_file = parameter_file.and_then(|f| f.get("parameters"));
    let supplied = |name: &str| {
        supplied_value(from_file, name, Supplied::ParameterFile).or_else(|| {
            let expression = from_file?.get(name)?.get("expression")?;
            Some(Supplied::ParameterFileExpression(expression))
        })
    };
    let own = add_deployment(&mut t, root, None, true, scope, &supplied);
    walk_template(&mut t, own, root);
    add_linked_deployments(&mut t, linked);
    for d in 1..t.deployments.len() {
        t.deployments[d].scope = nested_scope(&t, d);
    }
    for i in 0..t.resources.len() {
        evaluate_resource(&mut t, i);
    }
    t
}

/// A parameter's entry in a `parameters` object (a parameter file's or a nested deployment's):
/// `{"value": ...}`, or a Key Vault `{"reference": ...}` known only at deploy time.
fn supplied_value<'a>(
    parameters: Option<&'a Node<'a>>,
    name: &str,
    value: fn(&'a Node<'a>) -> Supplied<'a>,
) -> Option<Supplied<'a>> {
    let entry = parameters?.get(name)?;
    match (entry.get("value"), entry.get("reference")) {
        (Some(v), _) => Some(value(v)),
        (None, Some(reference)) => Some(Supplied::SecretReference(reference)),
        _ => None,
    }
}

fn schema_scope(template: &Node) -> Option<ScopeKind> {
    let schema = template.get("$schema")?.as_str()?.to_ascii_lowercase();
    Some(if schema.contains("subscriptiondeploymenttemplate") {
        ScopeKind::Subscription
    } else if schema.contains("managementgroupdeploymenttemplate") {
        ScopeKind::ManagementGroup
    } else if schema.contains("tenantdeploymenttemplate") {
        ScopeKind::Tenant
    } else {
        ScopeKind::ResourceGroup
    })
}

fn add_deployment<'a>(
    t: &mut Template<'a>,
    node: &'a Node<'a>,
    parent: Option<ResourceIndex>,
    inner: bool,
    scope: DeploymentScope,
    supplied: &dyn Fn(&str) -> Option<Supplied<'a>>,
) -> DeploymentId {
    let id = t.deployments.len();
    let lookup = match parent {
        Some(p) if !inner => t.deployments[t.resources[p].deployment].lookup,
        _ => id,
    };
    let members = |key: &'a str| node.get_all(key).flat_map(|n| n.as_object().unwrap_or(&[]));
    let parameters = members("parameters")
        .map(|m| Parameter {
            name: &m.key,
            declaration: &m.value,
            default: m.value.get("defaultValue"),
            supplied: supplied(&m.key),
        })
        .collect();
    let mut variables: Vec<Variable> = Vec::new();
    for m in members("variables") {
        if m.key.eq_ignore_ascii_case("copy") {
            // `copy` declares array variables by name.
            for copy in m.value.as_array().unwrap_or(&[]) {
                if let Some(name) = copy.get("name").and_then(Node::as_str) {
                    variables.push(Variable {
                        name,
                        value: VariableValue::Loop(copy),
                    });
                }
            }
        } else {
            variables.push(Variable {
                name: &m.key,
                value: VariableValue::Node(&m.value),
            });
        }
    }
    let mut functions = Vec::new();
    for namespace in node
        .get_all("functions")
        .flat_map(|n| n.as_array().unwrap_or(&[]))
    {
        let ns = namespace
            .get("namespace")
            .and_then(Node::as_str)
            .unwrap_or_default();
        for member in namespace
            .get("members")
            .and_then(Node::as_object)
            .unwrap_or(&[])
        {
            let parameters = member
                .value
                .get("parameters")
                .and_then(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|p| p.get("name").and_then(Node::as_str))
                .collect();
            functions.push(Function {
                namespace: ns,
                name: &member.key,
                parameters,
                output: member.value.path(&["output", "value"]),
            });
        }
    }
    t.deployments.push(Deployment {
        node,
        parent,
        lookup,
        scope,
        parameters,
        variables,
        functions,
        outputs: members("outputs").map(|m| (&*m.key, &m.value)).collect(),
    });
    id
}

/// The literal `templateLink.relativePath` of a deployment resource's node.
pub fn relative_path<'a>(deployment: &'a Node<'a>) -> Option<&'a str> {
    let path = deployment
        .path(&["properties", "templateLink", "relativePath"])?
        .as_str()?;
    (!path.starts_with('[')).then_some(path)
}

/// Every literal `templateLink.relativePath` of a template's deployments, at any depth.
pub fn linked_paths<'a>(root: &'a Node<'a>) -> Vec<&'a str> {
    let mut paths = Vec::new();
    root.walk(&mut |n| {
        let is_deployment = n
            .get("type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case(DEPLOYMENTS));
        if is_deployment && let Some(path) = relative_path(n) {
            paths.push(path);
        }
    });
    paths
}

/// The templates deployments link by `relativePath`, where they were read: each is a
/// deployment of the model, with the parameters passed to it (always `inner`, as a linked
/// template sees only those), for its `outputs` alone. Its resources and expressions are not
/// walked: they lie in another file's text, which is linted on its own. Parameters given by
/// `parametersLink` are not known, so such a deployment stays unknown.
fn add_linked_deployments<'a>(t: &mut Template<'a>, linked: Linked<'_, 'a>) {
    for holder in 0..t.resources.len() {
        let r = &t.resources[holder];
        let node: &'a Node<'a> = r.node;
        let properties = node.get("properties");
        if !r.is_type(DEPLOYMENTS)
            || r.nested.is_some()
            || properties.is_some_and(|p| p.get("parametersLink").is_some())
        {
            continue;
        }
        let Some(root) = relative_path(node).and_then(linked) else {
            continue;
        };
        let passed = properties.and_then(|p| p.get("parameters"));
        let supplied = |name: &str| supplied_value(passed, name, Supplied::Deployment);
        let scope = t.deployments[r.deployment].scope.clone();
        let nested = add_deployment(t, root, Some(holder), true, scope, &supplied);
        t.resources[holder].nested = Some(nested);
    }
}

/// Members of a template that hold no expressions ARM evaluates.
fn is_inert(key: &str) -> bool {
    [
        "$schema",
        "contentVersion",
        "languageVersion",
        "metadata",
        "definitions",
        "comments",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}

fn walk_template<'a>(t: &mut Template<'a>, d: DeploymentId, node: &'a Node<'a>) {
    for m in node.as_object().unwrap_or(&[]) {
        let key: &str = &m.key;
        if is_inert(key) {
            continue;
        }
        if key.eq_ignore_ascii_case("resources") {
            walk_resources(t, d, &m.value, None);
        } else if key.eq_ignore_ascii_case("functions") {
            let mut index = 0;
            for namespace in m.value.as_array().unwrap_or(&[]) {
                for member in namespace
                    .get("members")
                    .and_then(Node::as_object)
                    .unwrap_or(&[])
                {
                    if let Some(output) = member.value.get("output") {
                        record_sites(t, d, Some((d, index)), output);
                    }
                    index += 1;
                }
            }
        } else if key.eq_ignore_ascii_case("parameters") {
            for p in m.value.as_object().unwrap_or(&[]) {
                for field in p.value.as_object().unwrap_or(&[]) {
                    if !is_inert(&field.key) {
                        record_sites(t, d, None, &field.value);
                    }
                }
            }
        } else {
            record_sites(t, d, None, &m.value);
        }
    }
}

fn walk_resources<'a>(
    t: &mut Template<'a>,
    d: DeploymentId,
    node: &'a Node<'a>,
    parent: Option<ResourceIndex>,
) {
    if let Some(items) = node.as_array() {
        for item in items {
            add_resource(t, d, item, parent, None);
        }
    } else if let Some(members) = node.as_object() {
        for m in members {
            add_resource(t, d, &m.value, parent, Some(&m.key));
        }
    }
}

fn add_resource<'a>(
    t: &mut Template<'a>,
    d: DeploymentId,
    node: &'a Node<'a>,
    parent: Option<ResourceIndex>,
    symbolic_name: Option<&'a str>,
) {
    let own_type = node.get("type").and_then(Node::as_str).unwrap_or_default();
    let type_name = match parent {
        // Inside its parent a child may give just its own segment.
        Some(p) if !own_type.split('/').next().unwrap_or_default().contains('.') => {
            format!("{}/{}", t.resources[p].type_name, own_type)
        }
        _ => own_type.to_string(),
    };
    let index = t.resources.len();
    t.resources.push(Resource {
        node,
        deployment: d,
        parent,
        symbolic_name,
        type_name,
        api_version: node.get("apiVersion").and_then(Node::as_str),
        existing: node.get("existing").and_then(Node::as_bool) == Some(true),
        name: Value::Unknown,
        id: None,
        deployed: true,
        depends_on: node
            .get("dependsOn")
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .collect(),
        copy_name: node.path(&["copy", "name"]).and_then(Node::as_str),
        nested: None,
    });
    let is_deployment = t.resources[index].is_type(DEPLOYMENTS);
    for m in node.as_object().unwrap_or(&[]) {
        let key: &str = &m.key;
        if is_inert(key) {
            continue;
        }
        if key.eq_ignore_ascii_case("resources") {
            walk_resources(t, d, &m.value, Some(index));
        } else if key.eq_ignore_ascii_case("properties") && is_deployment {
            for p in m.value.as_object().unwrap_or(&[]) {
                if p.key.eq_ignore_ascii_case("template") && p.value.as_object().is_some() {
                    let inner = m
                        .value
                        .path(&["expressionEvaluationOptions", "scope"])
                        .and_then(Node::as_str)
                        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
                    let passed = m.value.get("parameters");
                    let supplied = |name: &str| supplied_value(passed, name, Supplied::Deployment);
                    let scope = t.deployments[d].scope.clone();
                    let nested = add_deployment(t, &p.value, Some(index), inner, scope, &supplied);
                    walk_template(t, nested, &p.value);
                    t.resources[index].nested = Some(nested);
                } else {
                    record_sites(t, d, None, &p.value);
                }
            }
        } else {
            record_sites(t, d, None, &m.value);
        }
    }
}

fn record_sites<'a>(
    t: &mut Template<'a>,
    d: DeploymentId,
    function: Option<(DeploymentId, usize)>,
    node: &'a Node<'a>,
) {
    node.walk(&mut |n| {
        if let Some(s) = n.as_str()
            && let StringForm::Expression(text) = classify(s)
        {
            t.sites.insert(text.as_ptr() as usize, t.expressions.len());
            t.expressions.push(ExpressionSite {
                node: n,
                text,
                parsed: crate::expr::parser::parse_kept(text),
                deployment: d,
                function,
            });
        }
    });
}

/// Where a nested deployment deploys: its `subscriptionId`, `resourceGroup` and `scope`
/// properties, evaluated where the deployment resource is, else the enclosing scope.
fn nested_scope(t: &Template, d: DeploymentId) -> DeploymentScope {
    let holder = t.deployments[d]
        .parent
        .expect("nested deployments have a parent");
    let outer = &t.deployments[t.resources[holder].deployment].scope;
    let resource = &t.resources[holder];
    let eval = |key: &str| resource.get(key).map(|n| t.eval(holder, n));
    let mut scope = outer.clone();
    if let Some(kind) = schema_scope(t.deployments[d].node) {
        scope.kind = kind;
    }
    if let Some(subscription) = eval("subscriptionId") {
        scope.subscription = subscription
            .as_text()
            .unwrap_or_else(|| unknown_text(t, "subscriptionId", d));
        if scope.kind == ScopeKind::ResourceGroup && resource.get("resourceGroup").is_none() {
            scope.resource_group = unknown_text(t, "resourceGroup", d);
        }
    }
    if let Some(group) = eval("resourceGroup") {
        scope.kind = ScopeKind::ResourceGroup;
        scope.resource_group = group
            .as_text()
            .unwrap_or_else(|| unknown_text(t, "resourceGroup", d));
    }
    if let Some(target) = eval("scope") {
        match target.as_literal_str() {
            Some("/") => scope.kind = ScopeKind::Tenant,
            _ if target.as_text().is_some_and(|t| {
                t.to_string()
                    .to_ascii_lowercase()
                    .contains("managementgroups")
            }) =>
            {
                scope.kind = ScopeKind::ManagementGroup
            }
            _ => {}
        }
    }
    scope
}

/// A value we cannot know but that stays equal to itself within this deployment.
fn unknown_text(t: &Template, what: &str, d: DeploymentId) -> Text {
    Text::symbol(Symbol::owned(what, t.owner(d)))
}

fn evaluate_resource(t: &mut Template, i: ResourceIndex) {
    let r = &t.resources[i];
    let own_name = r.node.get("name").map_or(Value::Unknown, |n| t.eval(i, n));
    let name = match (r.parent, own_name.as_text()) {
        (Some(p), Some(own)) => match t.resources[p].name.as_text() {
            Some(mut full) => {
                full.push_str("/");
                full.push_text(&own);
                Value::String(full)
            }
            None => Value::Unknown,
        },
        (_, _) => own_name,
    };
    let condition = r.node.get("condition").map(|n| t.eval(i, n).as_bool());
    let enclosing_deployed = t.deployments[r.deployment]
        .parent
        .is_none_or(|h| t.resources[h].deployed);
    // A copy loop of count 0 deploys nothing, like a false condition.
    let none_copied = r
        .node
        .path(&["copy", "count"])
        .is_some_and(|n| matches!(t.eval(i, n), Value::Int(0)));
    let deployed = enclosing_deployed && condition.flatten() != Some(false) && !none_copied;
    let id = name.as_text().and_then(|n| resource_id(t, i, &n));
    let r = &mut t.resources[i];
    r.name = name;
    r.id = id;
    r.deployed = deployed;
}

pub(super) fn resource_id(t: &Template, i: ResourceIndex, name: &Text) -> Option<ResourceId> {
    let r = &t.resources[i];
    let mut segments = r.type_name.split('/');
    let namespace = segments.next()?.to_string();
    let types: Vec<String> = segments.map(str::to_string).collect();
    let names = name.split('/');
    if types.is_empty() || names.len() != types.len() {
        return None;
    }
    let deployment = &t.deployments[r.deployment].scope;
    let eval_text = |key: &str| r.get(key).and_then(|n| t.eval(i, n).as_text());
    let scope = if let Some(target) = eval_text("scope") {
        extension_scope(&target, deployment)?
    } else {
        let subscription =
            eval_text("subscriptionId").unwrap_or_else(|| deployment.subscription.clone());
        match (eval_text("resourceGroup"), deployment.kind) {
            (Some(group), _) => IdScope::ResourceGroup {
                subscription,
                group,
            },
            (None, ScopeKind::ResourceGroup) => IdScope::ResourceGroup {
                subscription,
                group: deployment.resource_group.clone(),
            },
            (None, ScopeKind::Subscription) => IdScope::Subscription { subscription },
            (None, _) => IdScope::Tenant,
        }
    };
    Some(ResourceId {
        scope,
        namespace,
        types,
        names,
    })
}

/// An extension resource's `scope`: a full resource ID, or (classic templates) a relative
/// `Namespace/type/name` in the deployment's resource group.
fn extension_scope(target: &Text, deployment: &DeploymentScope) -> Option<IdScope> {
    if target.as_literal() == Some("/") {
        return Some(IdScope::Tenant);
    }
    if let Ok(id) = ResourceId::parse(target) {
        return Some(IdScope::Resource(Box::new(id)));
    }
    let mut absolute = Text::literal("/subscriptions/");
    absolute.push_text(&deployment.subscription);
    absolute.push_str("/resourceGroups/");
    absolute.push_text(&deployment.resource_group);
    absolute.push_str("/providers/");
    absolute.push_text(target);
    ResourceId::parse(&absolute)
        .ok()
        .map(|id| IdScope::Resource(Box::new(id)))
}
