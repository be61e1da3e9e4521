//! parameters, variables, deployment, environment, subscription, resourceGroup, tenant,
//! managementGroup, copyIndex.

use super::literal_arg;
use crate::expr::ast::Expr;
use crate::expr::eval::{Evaluator, ScopeKind};
use crate::expr::resource_id::{IdScope, scope_id};
use crate::expr::value::{Symbol, Text, Value};

pub(super) fn call(ev: &Evaluator, name: &str, args: &[Expr]) -> Option<Value> {
    let scope = ev.ctx.scope();
    Some(match name {
        "parameters" => match literal_arg(ev, args.first()) {
            Some(p) => ev.ctx.parameter(&p).unwrap_or(Value::Unknown),
            None => Value::Unknown,
        },
        "variables" => match literal_arg(ev, args.first()) {
            Some(v) => ev.ctx.variable(&v).unwrap_or(Value::Unknown),
            None => Value::Unknown,
        },
        "copyindex" => {
            let values = ev.args(args);
            let (loop_name, offset) = match values.as_slice() {
                [] => (None, None),
                [Value::Int(o)] => (None, Some(*o)),
                [n] => (n.as_literal_str().map(str::to_string), None),
                [n, Value::Int(o), ..] => (n.as_literal_str().map(str::to_string), Some(*o)),
                _ => return Some(Value::Unknown),
            };
            let index = ev.ctx.copy_index(loop_name.as_deref());
            match (index, offset) {
                (Value::Int(i), Some(o)) => i.checked_add(o).map_or(Value::Unknown, Value::Int),
                (Value::Symbol(s), Some(o)) if o != 0 => {
                    Value::Symbol(Symbol::new(format!("{}+{o}", s.key())))
                }
                (index, _) => index,
            }
        }
        "subscription" => object(&[
            (
                "id",
                Value::String(scope_id(&IdScope::Subscription {
                    subscription: scope.subscription.clone(),
                })),
            ),
            ("subscriptionId", Value::String(scope.subscription.clone())),
            ("tenantId", Value::String(scope.tenant.clone())),
            ("displayName", sym("subscription().displayName")),
        ]),
        "resourcegroup" => object(&[
            (
                "id",
                Value::String(scope_id(&IdScope::ResourceGroup {
                    subscription: scope.subscription.clone(),
                    group: scope.resource_group.clone(),
                })),
            ),
            ("name", Value::String(scope.resource_group.clone())),
            ("type", Value::str("Microsoft.Resources/resourceGroups")),
            ("location", sym("resourceGroup().location")),
            ("tags", sym("resourceGroup().tags")),
            ("properties", sym("resourceGroup().properties")),
            ("managedBy", sym("resourceGroup().managedBy")),
        ]),
        "tenant" => object(&[
            ("tenantId", Value::String(scope.tenant.clone())),
            ("displayName", sym("tenant().displayName")),
            ("countryCode", sym("tenant().countryCode")),
        ]),
        "managementgroup" => sym("managementGroup()"),
        "deployment" => sym("deployment()"),
        "environment" => environment(scope.kind),
        _ => return None,
    })
}

fn sym(key: &str) -> Value {
    Value::Symbol(Symbol::new(key))
}

fn object(members: &[(&str, Value)]) -> Value {
    Value::Object(
        members
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The cloud is not known before deployment. Suffixes are given for Azure public cloud, since
/// rules only need their shape (a sovereign cloud's Key Vault suffix is also a vault suffix);
/// the cloud's name stays symbolic so that conditions on it are not decided wrongly.
fn environment(_kind: ScopeKind) -> Value {
    let text = |s: &str| Value::String(Text::literal(s));
    object(&[
        ("name", sym("environment().name")),
        ("gallery", text("https://gallery.azure.com/")),
        ("graph", text("https://graph.windows.net/")),
        ("portal", text("https://portal.azure.com")),
        ("resourceManager", text("https://management.azure.com/")),
        (
            "activeDirectoryDataLake",
            text("https://datalake.azure.net/"),
        ),
        (
            "authentication",
            object(&[
                ("loginEndpoint", text("https://login.microsoftonline.com/")),
                (
                    "audiences",
                    Value::Array(vec![
                        text("https://management.core.windows.net/"),
                        text("https://management.azure.com/"),
                    ]),
                ),
                ("tenant", text("common")),
                ("identityProvider", text("AAD")),
            ]),
        ),
        (
            "suffixes",
            object(&[
                ("acrLoginServer", text(".azurecr.io")),
                (
                    "azureDatalakeAnalyticsCatalogAndJob",
                    text("azuredatalakeanalytics.net"),
                ),
                (
                    "azureDatalakeStoreFileSystem",
                    text("azuredatalakestore.net"),
                ),
                ("azureFrontDoorEndpointSuffix", text("azurefd.net")),
                ("keyvaultDns", text(".vault.azure.net")),
                ("sqlServerHostname", text(".database.windows.net")),
                ("storage", text("core.windows.net")),
            ]),
        ),
    ])
}
