//! Resource IDs as structured values. An ID built by `resourceId()` and one written out as a
//! string are the same value once parsed, and compare case-insensitively as ARM compares them.

use serde::{Deserialize, Serialize};

use super::value::{Text, all3};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IdScope {
    /// `/subscriptions/{s}/resourceGroups/{g}`
    ResourceGroup { subscription: Text, group: Text },
    /// `/subscriptions/{s}`
    Subscription { subscription: Text },
    /// `/` (tenant and management-group resources start with `/providers`)
    Tenant,
    /// An extension resource lives under another resource.
    Resource(Box<ResourceId>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceId {
    pub scope: IdScope,
    pub namespace: String,
    /// Type segments below the namespace (`vaults`, `privateEndpointConnections`).
    pub types: Vec<String>,
    /// One name per type segment.
    pub names: Vec<Text>,
}

/// Why a text is not a resource ID.
#[derive(Debug, Clone, PartialEq)]
pub enum IdError {
    /// Symbols stand where the structure is decided, so nothing can be said.
    Unknown,
    Malformed(String),
}

impl ResourceId {
    /// `Microsoft.KeyVault/vaults/privateEndpointConnections`
    pub fn type_name(&self) -> String {
        let mut name = self.namespace.clone();
        for t in &self.types {
            name.push('/');
            name.push_str(t);
        }
        name
    }

    /// The segments of `type_name()`: the namespace, then each type.
    pub fn type_segments(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.namespace.as_str()).chain(self.types.iter().map(String::as_str))
    }

    /// Whether its type is `full_type`, ignoring case. Segment by segment, since no segment
    /// holds a `/`: the same answer as comparing `type_name()`, without making it.
    pub fn is_type(&self, full_type: &str) -> bool {
        let mut segments = full_type.split('/');
        self.type_segments()
            .all(|own| segments.next().is_some_and(|s| s.eq_ignore_ascii_case(own)))
            && segments.next().is_none()
    }

    /// Whether both are of one type, ignoring case (see `is_type`).
    fn same_type(&self, other: &ResourceId) -> bool {
        self.types.len() == other.types.len()
            && self
                .type_segments()
                .zip(other.type_segments())
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// The last name: the resource's own.
    pub fn name(&self) -> &Text {
        self.names
            .last()
            .expect("a resource ID has at least one name")
    }

    /// The ID of the resource `depth` type segments deep (1 = the top-level resource).
    pub fn ancestor(&self, depth: usize) -> ResourceId {
        ResourceId {
            scope: self.scope.clone(),
            namespace: self.namespace.clone(),
            types: self.types[..depth].to_vec(),
            names: self.names[..depth].to_vec(),
        }
    }

    pub fn subscription(&self) -> Option<&Text> {
        match &self.scope {
            IdScope::ResourceGroup { subscription, .. }
            | IdScope::Subscription { subscription } => Some(subscription),
            IdScope::Resource(parent) => parent.subscription(),
            IdScope::Tenant => None,
        }
    }

    pub fn resource_group(&self) -> Option<&Text> {
        match &self.scope {
            IdScope::ResourceGroup { group, .. } => Some(group),
            IdScope::Resource(parent) => parent.resource_group(),
            _ => None,
        }
    }

    pub fn to_text(&self) -> Text {
        let mut text = scope_text(&self.scope);
        text.push_str("/providers/");
        text.push_str(&self.namespace);
        for (t, n) in self.types.iter().zip(&self.names) {
            text.push_str("/");
            text.push_str(t);
            text.push_str("/");
            text.push_text(n);
        }
        text
    }

    /// Three-valued: the same resource? Types compare exactly (ignoring case); names, groups
    /// and subscriptions as texts.
    pub fn same_as(&self, other: &ResourceId) -> Option<bool> {
        if !self.same_type(other) {
            return Some(false);
        }
        let names = self
            .names
            .iter()
            .zip(&other.names)
            .map(|(a, b)| a.equals(b, true));
        let scope = match (&self.scope, &other.scope) {
            (
                IdScope::ResourceGroup {
                    subscription: s1,
                    group: g1,
                },
                IdScope::ResourceGroup {
                    subscription: s2,
                    group: g2,
                },
            ) => all3([s1.equals(s2, true), g1.equals(g2, true)].into_iter()),
            (
                IdScope::Subscription { subscription: s1 },
                IdScope::Subscription { subscription: s2 },
            ) => s1.equals(s2, true),
            (IdScope::Tenant, IdScope::Tenant) => Some(true),
            (IdScope::Resource(a), IdScope::Resource(b)) => a.same_as(b),
            _ => Some(false),
        };
        all3(names.chain(std::iter::once(scope)))
    }

    pub fn parse(text: &Text) -> Result<ResourceId, IdError> {
        let segments = text.split('/');
        let lit = |i: usize| segments.get(i).and_then(Text::as_literal);
        match lit(0) {
            Some("") => {}
            Some(stray) => {
                return Err(IdError::Malformed(format!(
                    "unexpected `{stray}` before the leading `/`"
                )));
            }
            None => return Err(IdError::Unknown),
        }
        let mut i = 1;
        let mut scope = IdScope::Tenant;
        if lit(1).is_some_and(|s| s.eq_ignore_ascii_case("subscriptions")) {
            let subscription = segments.get(2).cloned().ok_or_else(|| {
                IdError::Malformed("`subscriptions` is not followed by a subscription ID".into())
            })?;
            i = 3;
            scope = IdScope::Subscription {
                subscription: subscription.clone(),
            };
            if lit(3).is_some_and(|s| s.eq_ignore_ascii_case("resourceGroups")) {
                let group = segments.get(4).cloned().ok_or_else(|| {
                    IdError::Malformed("`resourceGroups` is not followed by a name".into())
                })?;
                i = 5;
                scope = IdScope::ResourceGroup {
                    subscription,
                    group,
                };
            }
        }
        loop {
            match segments.get(i).map(Text::as_literal) {
                Some(Some(p)) if p.eq_ignore_ascii_case("providers") => {}
                Some(Some(other)) => {
                    return Err(IdError::Malformed(format!(
                        "expected `providers` but found `{other}`"
                    )));
                }
                Some(None) => return Err(IdError::Unknown),
                None => {
                    return Err(IdError::Malformed(
                        "the ID names no resource (`/providers/...` is missing)".into(),
                    ));
                }
            }
            let namespace = match segments.get(i + 1).map(Text::as_literal) {
                Some(Some(ns)) if !ns.is_empty() => ns.to_string(),
                Some(None) => return Err(IdError::Unknown),
                _ => {
                    return Err(IdError::Malformed(
                        "`providers` is not followed by a namespace".into(),
                    ));
                }
            };
            i += 2;
            let mut types = Vec::new();
            let mut names = Vec::new();
            while let Some(segment) = segments.get(i) {
                let Some(t) = segment.as_literal() else {
                    return Err(IdError::Unknown);
                };
                if t.eq_ignore_ascii_case("providers") && !types.is_empty() {
                    break;
                }
                if t.is_empty() {
                    return Err(IdError::Malformed(
                        "the ID has an empty segment (`//` or a trailing `/`)".into(),
                    ));
                }
                let Some(name) = segments.get(i + 1) else {
                    return Err(IdError::Malformed(format!(
                        "the type segment `{t}` has no name"
                    )));
                };
                if name.as_literal() == Some("") {
                    return Err(IdError::Malformed(format!(
                        "the type segment `{t}` has an empty name"
                    )));
                }
                types.push(t.to_string());
                names.push(name.clone());
                i += 2;
            }
            if types.is_empty() {
                return Err(IdError::Malformed(format!(
                    "the namespace `{namespace}` is not followed by a resource type and name"
                )));
            }
            let id = ResourceId {
                scope,
                namespace,
                types,
                names,
            };
            if i >= segments.len() {
                return Ok(id);
            }
            scope = IdScope::Resource(Box::new(id));
        }
    }
}

impl IdScope {
    /// A scope written out as an ID: `/subscriptions/{s}/resourceGroups/{g}` or
    /// `/subscriptions/{s}` (what `resourceGroup().id`, `subscription().id` and Bicep's
    /// `format('/subscriptions/{0}/resourceGroups/{1}', ...)` give). `None` for anything else.
    pub fn parse(text: &Text) -> Option<IdScope> {
        let segments = text.split('/');
        let lit = |i: usize| segments.get(i).and_then(Text::as_literal);
        if lit(0) != Some("") || !lit(1).is_some_and(|s| s.eq_ignore_ascii_case("subscriptions")) {
            return None;
        }
        let subscription = segments
            .get(2)
            .filter(|s| s.as_literal() != Some(""))?
            .clone();
        match segments.len() {
            3 => Some(IdScope::Subscription { subscription }),
            5 if lit(3).is_some_and(|s| s.eq_ignore_ascii_case("resourceGroups")) => {
                let group = segments[4].clone();
                (group.as_literal() != Some("")).then_some(IdScope::ResourceGroup {
                    subscription,
                    group,
                })
            }
            _ => None,
        }
    }
}

fn scope_text(scope: &IdScope) -> Text {
    match scope {
        IdScope::ResourceGroup {
            subscription,
            group,
        } => {
            let mut t = Text::literal("/subscriptions/");
            t.push_text(subscription);
            t.push_str("/resourceGroups/");
            t.push_text(group);
            t
        }
        IdScope::Subscription { subscription } => {
            let mut t = Text::literal("/subscriptions/");
            t.push_text(subscription);
            t
        }
        IdScope::Tenant => Text::default(),
        IdScope::Resource(parent) => parent.to_text(),
    }
}

/// The scope's ID as text (`/subscriptions/x/resourceGroups/y`), for `resourceGroup().id`.
pub fn scope_id(scope: &IdScope) -> Text {
    let text = scope_text(scope);
    if text.parts().is_empty() {
        Text::literal("/")
    } else {
        text
    }
}

/// `true` when every part of `text` is literal and it looks like a GUID.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::value::Symbol;

    #[test]
    fn parses_and_renders_round_trip() {
        let text = Text::literal(
            "/subscriptions/0f1e2d3c-0000-4000-8000-000000000001/resourcegroups/rg/providers/Microsoft.KeyVault/vaults/kv/privateEndpointConnections/pec",
        );
        let id = ResourceId::parse(&text).unwrap();
        assert!(id.is_type("microsoft.keyvault/VAULTS/privateendpointconnections"));
        assert_eq!(id.name().as_literal(), Some("pec"));
        assert_eq!(id.ancestor(1).type_name(), "Microsoft.KeyVault/vaults");
        assert_eq!(
            ResourceId::parse(&id.to_text()).unwrap().same_as(&id),
            Some(true)
        );
    }

    #[test]
    fn types_compare_whole_ignoring_case() {
        let id = |s: &str| ResourceId::parse(&Text::literal(s)).unwrap();
        let connection =
            id("/providers/Microsoft.KeyVault/vaults/kv/privateEndpointConnections/pec");
        assert!(
            !connection.is_type("Microsoft.KeyVault/vaults"),
            "a parent's type"
        );
        assert!(!connection.is_type("Microsoft.KeyVault/vaults/privateEndpointConnections/x"));
        assert!(!connection.is_type("Microsoft.KeyVault/vaults/privateEndpointConnections/"));
        assert!(!connection.is_type("Microsoft.KeyVault/vaultsprivateEndpointConnections"));
        let same = id("/providers/microsoft.keyvault/VAULTS/kv/PrivateEndpointConnections/pec");
        assert_eq!(connection.same_as(&same), Some(true));
        let vault = id("/providers/Microsoft.KeyVault/vaults/kv");
        assert_eq!(
            connection.same_as(&vault),
            Some(false),
            "one type segment fewer"
        );
        assert_eq!(vault.same_as(&connection), Some(false));
    }

    #[test]
    fn extension_and_symbolic_ids() {
        let mut text = Text::literal("/subscriptions/");
        text.push_text(&Text::symbol(Symbol::new("subscription().subscriptionId")));
        text.push_str("/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/ra");
        let id = ResourceId::parse(&text).unwrap();
        assert_eq!(id.type_name(), "Microsoft.Authorization/roleAssignments");
        assert!(matches!(id.scope, IdScope::Resource(_)));
        let other = ResourceId::parse(&Text::literal(
            "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/ra",
        ))
        .unwrap();
        assert_eq!(id.same_as(&other), None);
    }

    #[test]
    fn malformed_ids_say_why() {
        let bad = |s: &str| match ResourceId::parse(&Text::literal(s)) {
            Err(IdError::Malformed(why)) => why,
            other => panic!("{s}: {other:?}"),
        };
        assert!(bad("_/subscriptions/x/resourceGroups/rg/providers/A.B/c/d").contains("`_`"));
        assert!(bad("/subscriptions/x/resourceGroups/rg/providers/A.B/c").contains("no name"));
        assert!(bad("/subscriptions/x/resourceGroups/rg/providers/A.B/c//").contains("empty"));
        assert!(bad("/subscriptions/x/resourceGroups/rg").contains("names no resource"));
        assert_eq!(
            ResourceId::parse(&Text::symbol(Symbol::new("parameters('id')"))),
            Err(IdError::Unknown)
        );
    }
}
