//! Shared private link resources and what they target: each SPLR's service and the resource
//! its `privateLinkResourceId` names, classified once for every rule.

use super::azure::{SERVICES, SHARED_LINK_CHILD};
use super::set::{AnalysisSet, ResourceRef};
use crate::expr::{IdError, IdScope, Part, ResourceId, Text, Value, resource_id::is_guid};

/// What an SPLR's `privateLinkResourceId` is.
#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug)]
pub struct SharedLink {
    pub at: ResourceRef,
    /// `Microsoft.SignalRService/webPubSub` or `.../signalR`, as the catalog spells it.
    pub service_type: &'static str,
    /// The parent service's ID, when the SPLR's own name is known.
    pub service: Option<ResourceId>,
    pub target: Target,
}

impl SharedLink {
    /// The target's ID when it is a well-formed ID of a supported resource of `full_type`.
    pub fn target_of_type(&self, full_type: &str) -> Option<&ResourceId> {
        match &self.target {
            Target::Id(id) if id.is_type(full_type) => Some(id),
            _ => None,
        }
    }
}

/// The service type of an SPLR type, if it is one.
pub fn link_service(type_name: &str) -> Option<&'static str> {
    service_of_child(type_name, SHARED_LINK_CHILD)
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

pub fn collect(set: &AnalysisSet) -> Vec<SharedLink> {
    let mut links = Vec::new();
    for (u, unit) in set.units.iter().enumerate() {
        for (i, r) in unit.template.resources.iter().enumerate() {
            let Some(service_type) = link_service(&r.type_name) else {
                continue;
            };
            if r.existing {
                continue;
            }
            let target = match r.property(&["privateLinkResourceId"]) {
                None => Target::Missing,
                Some(node) => classify_target(&unit.template.eval(i, node)),
            };
            links.push(SharedLink {
                at: (u, i),
                service_type,
                service: r.parent_id(),
                target,
            });
        }
    }
    links
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
            link_service("microsoft.signalrservice/WEBPUBSUB/sharedprivatelinkresources"),
            Some(super::super::azure::WEB_PUBSUB)
        );
        assert_eq!(
            link_service("Microsoft.SignalRService/webPubSub/replicas/sharedPrivateLinkResources"),
            None
        );
        // As long as a link type, with a two-byte character where the service type ends.
        assert_eq!(
            link_service("Microsoft.SignalRService/webPubSu\u{e9}sharedPrivateLinkResources"),
            None
        );
        assert_eq!(
            link_service("Microsoft.SignalRService/webPubSub|sharedPrivateLinkResources"),
            None
        );
    }
}
