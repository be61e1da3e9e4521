//! Links of every producer (shared private links, managed private endpoints,
//! private origins, outbound rules) and what they target: each link's producer and service,
//! the resource its target ID names, classified once for every rule, its group IDs and request
//! message, and where findings on each point.

use super::azure::SERVICES;
use super::producers::{Presence, Producer, producer_of};
use super::template_facts::{ResourceRef, TemplateFacts};
use crate::expr::{
    IdError, IdScope, Part, ResourceId, Text, Value, eval_node, property_loops,
    resource_id::is_guid,
};
use crate::json::Node;
use crate::template::{Bindings, EvalScope, Template};

/// What an SPLR's `privateLinkResourceId` is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    /// The property is absent.
    Missing,
    /// It cannot be known before deployment.
    Unknown,
    /// A documentation placeholder is still in it (which one).
    Placeholder(String),
    /// Not a well-formed resource ID (why).
    Malformed(String),
    Id(ResourceId),
}

/// A value of a link, where findings on it point: the node that holds it (the property itself,
/// or the expression whose value holds it), and its evaluated value.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub node: &'a Node<'a>,
    pub value: Value,
}

impl Field<'_> {
    /// The value's literal text, when it is a known string.
    pub fn literal(&self) -> Option<String> {
        self.value
            .as_text()
            .and_then(|t| t.as_literal().map(str::to_string))
    }
}

/// A link of any producer: one resource, or one item of a resource's list.
#[derive(Debug)]
pub struct SharedLink<'a> {
    pub at: ResourceRef,
    pub producer: &'static Producer,
    /// The service type, as the catalog spells it.
    pub service_type: &'static str,
    /// The service's ID, when the link's own name is known.
    pub service: Option<ResourceId>,
    /// The link's own resource ID, when it is a resource of its own and its name is known:
    /// two instances or declarations with one ID are one link, deployed again.
    pub id: Option<ResourceId>,
    /// Which instance of its copy loops this is (a name or `[2]`), when it is one of several
    /// whose values were worked out one by one.
    pub instance: Option<String>,
    /// The object the link's values sit in (the resource, or the item of its list).
    pub base: &'a Node<'a>,
    /// The object that holds the group ID, where a missing one is reported.
    pub group_holder: Option<&'a Node<'a>>,
    pub target: Target,
    pub target_field: Option<Field<'a>>,
    /// The group ID property (the list itself for `groupIds[]`).
    pub group_field: Option<Field<'a>>,
    /// Each group ID: the one, or every entry of the list.
    pub groups: Vec<Field<'a>>,
    /// The request message property, when the producer has one and the link sets it.
    pub message: Option<Field<'a>>,
    /// The read-only properties the link sets (`Producer::read_only`): each path, the property
    /// as written and its value at this instance.
    pub read_only: Vec<(&'static [&'static str], Field<'a>)>,
}

impl SharedLink<'_> {
    /// The target's ID when it is a well-formed ID of a supported resource of `full_type`.
    pub fn target_of_type(&self, full_type: &str) -> Option<&ResourceId> {
        match &self.target {
            Target::Id(id) if id.is_type(full_type) => Some(id),
            _ => None,
        }
    }

    /// The literal group IDs (empty when none is known).
    pub fn group_ids(&self) -> Vec<String> {
        self.groups.iter().filter_map(Field::literal).collect()
    }
}

/// The service type of a type `{service}/{child}` of a Web PubSub or SignalR service.
pub fn service_of_child(type_name: &str, child: &str) -> Option<&'static str> {
    SERVICES.into_iter().find(|s| {
        type_name
            .get(..s.len())
            .is_some_and(|service| service.eq_ignore_ascii_case(s))
            && type_name[s.len()..]
                .strip_prefix('/')
                .is_some_and(|rest| rest.eq_ignore_ascii_case(child))
    })
}

/// Where a link's values are looked up: a node, and for an item of a list that an expression
/// holds, the item's value.
#[derive(Clone, Copy)]
struct Base<'a, 'v> {
    node: &'a Node<'a>,
    value: Option<&'v Value>,
}

/// The value at `path` below `base`, `None` when it is absent or null. The field's node is the
/// deepest node the path reaches: where an expression holds the rest, that expression.
fn lookup<'a>(scope: &EvalScope, base: Base<'a, '_>, path: &[&str]) -> Option<Field<'a>> {
    if let Some(value) = base.value {
        return walk(value.clone(), path).map(|value| Field {
            node: base.node,
            value,
        });
    }
    let mut node = base.node;
    for (k, key) in path.iter().enumerate() {
        match node.get(key) {
            Some(n) => node = n,
            // A property copy loop may build the member: its items, each evaluated at its index,
            // found at the loop's `input`.
            None if node.as_object().is_some() => {
                let input = node
                    .get("copy")
                    .and_then(|copy| property_loops("copy", copy))
                    .and_then(|mut loops| {
                        loops.find(|l| {
                            l.get("name")
                                .and_then(Node::as_str)
                                .is_some_and(|n| n.eq_ignore_ascii_case(key))
                        })
                    })
                    .and_then(|l| l.get("input"))?;
                let value = walk(eval_node(node, scope), &path[k..])?;
                return Some(Field { node: input, value });
            }
            None => {
                return walk(eval_node(node, scope), &path[k..]).map(|value| Field { node, value });
            }
        }
    }
    walk(eval_node(node, scope), &[]).map(|value| Field { node, value })
}

/// Members of a value by key; `None` where a known value has no such member.
fn walk(mut value: Value, path: &[&str]) -> Option<Value> {
    for key in path {
        value = match value {
            Value::Object(members) => members
                .into_iter()
                .rev()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)?,
            Value::Unknown => Value::Unknown,
            Value::Symbol(symbol) => Value::Symbol(symbol.member(key)),
            _ => return None,
        };
    }
    (!matches!(value, Value::Null)).then_some(value)
}

/// The items of a list or map: each item's node when it is written out, else the node of the
/// expression that holds the list, with the item's value.
fn items<'a>(list: &Field<'a>) -> Vec<(&'a Node<'a>, Option<Value>)> {
    if let Some(array) = list.node.as_array() {
        return array.iter().map(|n| (n, None)).collect();
    }
    // A map written out; an object node holding a list is a property loop's `input`.
    if let (Some(members), Value::Object(_)) = (list.node.as_object(), &list.value) {
        return members.iter().map(|m| (&m.value, None)).collect();
    }
    match &list.value {
        Value::Array(values) => values
            .iter()
            .map(|v| (list.node, Some(v.clone())))
            .collect(),
        Value::Object(members) => members
            .iter()
            .map(|(_, v)| (list.node, Some(v.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a list is the array a property copy loop builds: `lookup` finds it at the loop's
/// `input`, an object, with the items' values.
fn built_by_loop(list: &Field) -> bool {
    list.node.as_object().is_some() && matches!(list.value, Value::Array(_))
}

pub fn collect<'a>(facts: &TemplateFacts<'a>) -> Vec<SharedLink<'a>> {
    let mut links = Vec::new();
    for (u, unit) in facts.units.iter().enumerate() {
        let t = &unit.template;
        for (i, r) in t.resources.iter().enumerate() {
            let Some(producer) = producer_of(&r.type_name) else {
                continue;
            };
            // A resource whose condition is false gets no finding.
            if r.existing || !r.deployed {
                continue;
            }
            // Each instance of its copy loops on its own when their counts are known, else
            // once, with the loops' indexes symbolic.
            let instances = t.instances(i).unwrap_or_else(|| vec![Bindings::new()]);
            let several = instances.len() > 1;
            for bound in instances.iter().filter(|b| t.instance_deployed(i, b)) {
                // Findings name the instance by its loops' indexes (`[2]`): names may repeat.
                let instance = several.then(|| bound.values().map(|k| format!("[{k}]")).collect());
                collect_instance(t, (u, i), producer, bound, instance, &mut links);
            }
        }
    }
    links
}

/// The links of one resource at one instance.
fn collect_instance<'a>(
    t: &Template<'a>,
    at: ResourceRef,
    producer: &'static Producer,
    bound: &Bindings,
    instance: Option<String>,
    links: &mut Vec<SharedLink<'a>>,
) {
    let r = &t.resources[at.1];
    let scope = &t.instance_scope(at.1, bound);
    let own_id = t.instance_id(at.1, bound);
    let service = own_id.clone().map(|id| {
        if id.types.len() > 1 {
            id.ancestor(1)
        } else {
            id
        }
    });
    let id = own_id.filter(|_| producer.is_resource());
    let whole = Base {
        node: r.node,
        value: None,
    };
    let (bases, looped): (Vec<(&'a Node<'a>, Option<Value>)>, bool) = match producer.each {
        None => (vec![(r.node, None)], false),
        Some(path) => lookup(scope, whole, path)
            .map(|list| (items(&list), built_by_loop(&list)))
            .unwrap_or_default(),
    };
    // The items a property copy loop builds are its instances: each is named by its index
    // (after the resource's own instance), as the instances of a resource's loops are.
    let several = looped && bases.len() > 1;
    for (k, (node, value)) in bases.iter().enumerate() {
        let instance = if several {
            Some(format!("{}[{k}]", instance.as_deref().unwrap_or_default()))
        } else {
            instance.clone()
        };
        let base = Base {
            node,
            value: value.as_ref(),
        };
        let present = match producer.presence {
            Presence::Always => true,
            Presence::Has(path) => lookup(scope, base, path).is_some(),
            Presence::Equals(path, word) => lookup(scope, base, path)
                .and_then(|f| f.literal())
                .is_some_and(|w| w.eq_ignore_ascii_case(word)),
        };
        if !present {
            continue;
        }
        let target_field = lookup(scope, base, producer.target);
        let group_field = lookup(scope, base, producer.group);
        let groups = match &group_field {
            Some(list) if producer.group_is_list => items(list)
                .into_iter()
                .map(|(node, v)| Field {
                    node,
                    value: v.unwrap_or_else(|| eval_node(node, scope)),
                })
                .collect(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        };
        // Only a property written in the link: one of a list an expression holds has no place
        // of its own. An item of a property loop has its own value at its index.
        let read_only = producer
            .read_only
            .iter()
            .filter_map(|&path| {
                let node = node.path(path)?;
                let value = match value {
                    Some(item) => walk(item.clone(), path).unwrap_or(Value::Null),
                    None => eval_node(node, scope),
                };
                Some((path, Field { node, value }))
            })
            .collect();
        let holder_path = &producer.group[..producer.group.len() - 1];
        let group_holder = match value {
            Some(_) => Some(*node),
            None => node.path(holder_path),
        };
        links.push(SharedLink {
            at,
            producer,
            service_type: producer.service_type,
            service: service.clone(),
            id: id.clone(),
            instance,
            base: node,
            group_holder,
            target: target_field
                .as_ref()
                .map_or(Target::Missing, |f| classify_target(&f.value)),
            target_field,
            group_field,
            groups,
            message: producer
                .request_message
                .and_then(|path| lookup(scope, base, path)),
            read_only,
        });
    }
}

/// Classifies a `privateLinkResourceId` value. Placeholders win over other problems, so that a
/// documentation sample gets one finding.
pub fn classify_target(value: &Value) -> Target {
    let Some(text) = value.as_text() else {
        return Target::Unknown;
    };
    if let Some(placeholder) = placeholder(&text) {
        return Target::Placeholder(placeholder);
    }
    match ResourceId::parse(&text) {
        Err(IdError::Unknown) => Target::Unknown,
        Err(IdError::Malformed(why)) => Target::Malformed(why),
        Ok(id) => match problem(&id) {
            Some(why) => Target::Malformed(why),
            None => Target::Id(id),
        },
    }
}

const ZERO_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

fn placeholder(text: &Text) -> Option<String> {
    text.split('/').into_iter().find_map(|segment| {
        let s = segment.as_literal()?.trim();
        let bracketed =
            (s.starts_with('{') && s.ends_with('}')) || (s.starts_with('<') && s.ends_with('>'));
        (bracketed && s.len() >= 2 || s == ZERO_SUBSCRIPTION).then(|| s.to_string())
    })
}

/// What the parser accepts but a target ID must not have.
fn problem(id: &ResourceId) -> Option<String> {
    let IdScope::ResourceGroup {
        subscription,
        group,
    } = &id.scope
    else {
        return Some(
            "it must start with `/subscriptions/{guid}/resourceGroups/{name}/providers/`".into(),
        );
    };
    let mut parts = vec![subscription, group];
    parts.extend(&id.names);
    for text in parts {
        if text
            .parts()
            .iter()
            .any(|p| matches!(p, Part::Lit(s) if s.contains(char::is_whitespace)))
        {
            return Some(format!("`{text}` has stray white space"));
        }
    }
    if let Some(s) = subscription.as_literal().filter(|s| !is_guid(s)) {
        return Some(format!("the subscription `{s}` is not a GUID"));
    }
    group
        .as_literal()
        .and_then(|g| super::azure::resource_group_problem(g).map(|why| format!("{why} (`{g}`)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> Target {
        classify_target(&Value::str(s))
    }

    #[test]
    fn classifies_targets() {
        let good = "/subscriptions/0f1e2d3c-0000-4000-8000-000000000001/resourcegroups/rg/providers/Microsoft.KeyVault/vaults/kv-one";
        assert!(matches!(target(good), Target::Id(_)));
        assert!(
            matches!(target(&format!("{good} ")), Target::Malformed(w) if w.contains("white space"))
        );
        assert!(matches!(target(&format!("_{good}")), Target::Malformed(w) if w.contains("`_`")));
        assert!(
            matches!(target(&good.replace("0f1e2d3c-0000-4000-8000-000000000001", "sub")), Target::Malformed(w) if w.contains("GUID"))
        );
        assert!(
            matches!(target(&good.replace("/rg/", "/rg./")), Target::Malformed(w) if w.contains("`.`"))
        );
        assert!(
            matches!(target(&good.replace("0f1e2d3c-0000-4000-8000-000000000001", "{subscriptionId}")), Target::Placeholder(p) if p == "{subscriptionId}")
        );
        assert!(matches!(
            target(&good.replace("0f1e2d3c-0000-4000-8000-000000000001", ZERO_SUBSCRIPTION)),
            Target::Placeholder(_)
        ));
        assert!(matches!(
            target(&good.replace("kv-one", "<vault-name>")),
            Target::Placeholder(_)
        ));
        assert_eq!(
            producer_of("microsoft.signalrservice/WEBPUBSUB/sharedprivatelinkresources")
                .map(|p| p.service_type),
            Some(super::super::azure::WEB_PUBSUB)
        );
        assert_eq!(
            producer_of("Microsoft.SignalRService/webPubSub/replicas/sharedPrivateLinkResources")
                .map(|p| p.service_type),
            None
        );
        // As long as a link type, with a two-byte character where the service type ends.
        assert_eq!(
            producer_of("Microsoft.SignalRService/webPubSu\u{e9}sharedPrivateLinkResources")
                .map(|p| p.service_type),
            None
        );
        assert_eq!(
            producer_of("Microsoft.SignalRService/webPubSub|sharedPrivateLinkResources")
                .map(|p| p.service_type),
            None
        );
    }
}
