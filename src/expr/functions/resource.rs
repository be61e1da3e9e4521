//! resourceId, subscriptionResourceId, tenantResourceId, extensionResourceId,
//! managementGroupResourceId. `reference()` and `list*()` are deploy-time values (unknown).

use crate::expr::ast::Expr;
use crate::expr::eval::{Evaluator, ScopeKind};
use crate::expr::resource_id::{IdScope, ResourceId};
use crate::expr::value::{Text, Value};

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let scope = ev.ctx.scope();
    let values = || ev.args(args);
    Some(match name {
        "resourceid" => {
            let values = values();
            let Some(type_at) = type_position(&values) else {
                return Some(Value::Unknown);
            };
            let text = |v: &Value| v.as_text();
            let id_scope = match (type_at, scope.kind) {
                (0, ScopeKind::ResourceGroup) => IdScope::ResourceGroup {
                    subscription: scope.subscription.clone(),
                    group: scope.resource_group.clone(),
                },
                (0, ScopeKind::Subscription) => IdScope::Subscription {
                    subscription: scope.subscription.clone(),
                },
                (0, _) => IdScope::Tenant,
                (1, _) => match text(&values[0]) {
                    Some(group) => IdScope::ResourceGroup {
                        subscription: scope.subscription.clone(),
                        group,
                    },
                    None => return Some(Value::Unknown),
                },
                (2, _) => match (text(&values[0]), text(&values[1])) {
                    (Some(subscription), Some(group)) => IdScope::ResourceGroup {
                        subscription,
                        group,
                    },
                    _ => return Some(Value::Unknown),
                },
                _ => return Some(Value::Unknown),
            };
            build(id_scope, &values[type_at..])
        }
        "subscriptionresourceid" => {
            let values = values();
            match type_position(&values) {
                Some(0) => build(
                    IdScope::Subscription {
                        subscription: scope.subscription.clone(),
                    },
                    &values,
                ),
                Some(1) => match values[0].as_text() {
                    Some(subscription) => {
                        build(IdScope::Subscription { subscription }, &values[1..])
                    }
                    None => Value::Unknown,
                },
                _ => Value::Unknown,
            }
        }
        "tenantresourceid" => build(IdScope::Tenant, &values()),
        "managementgroupresourceid" => {
            // The management group's own ID is a scope we do not model; keep it unknown.
            Value::Unknown
        }
        "extensionresourceid" => {
            let values = values();
            let Some(base) = values.first().and_then(Value::as_text) else {
                return Some(Value::Unknown);
            };
            // The base is a resource, or a resource group or subscription: Bicep writes a
            // resource in another group as `extensionResourceId(format('/subscriptions/{0}/
            // resourceGroups/{1}', ...), type, name)`, the same ID `resourceId()` gives.
            match ResourceId::parse(&base) {
                Ok(parent) => build(IdScope::Resource(Box::new(parent)), &values[1..]),
                Err(_) => match IdScope::parse(&base) {
                    Some(scope) => build(scope, &values[1..]),
                    None => Value::Unknown,
                },
            }
        }
        _ => return None,
    })
}

/// The first argument that is a literal `Namespace/type` string.
fn type_position(values: &[Value]) -> Option<usize> {
    values
        .iter()
        .take(3)
        .position(|v| v.as_literal_str().is_some_and(|s| s.contains('/')))
}

/// `type` is `Namespace/t1/t2...`; then one name per type segment. A name may hold several
/// segments itself (`'vnet/subnet'`) as ARM allows.
fn build(scope: IdScope, values: &[Value]) -> Value {
    let Some(full_type) = values.first().and_then(Value::as_literal_str) else {
        return Value::Unknown;
    };
    let mut segments = full_type.split('/');
    let namespace = segments.next().unwrap_or_default().to_string();
    let types: Vec<String> = segments.map(str::to_string).collect();
    let mut names: Vec<Text> = Vec::new();
    for value in &values[1..] {
        let Some(text) = value.as_text() else {
            return Value::Unknown;
        };
        names.extend(text.split('/'));
    }
    if types.is_empty() || names.len() != types.len() {
        return Value::Unknown;
    }
    Value::String(
        ResourceId {
            scope,
            namespace,
            types,
            names,
        }
        .to_text(),
    )
}
