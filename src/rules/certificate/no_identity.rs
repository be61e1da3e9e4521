//! WPS303 custom-cert-no-identity.
//!
//! ## What it does
//! Reports a service with custom certificates that has no managed identity (`identity.type`
//! missing or `None`).
//!
//! ## Why is this bad
//! The service reads the certificate from the vault with its managed identity.

use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::{Evidence, Resolved, ResourceRef, TemplateFacts};
use crate::rules::common::Property;

pub fn join(world: &Evidence) -> Vec<Resolved> {
    world
        .services_with(world.certificates().map(|c| &c.child))
        .into_iter()
        .flat_map(|s| s.findings.iter().filter(|f| f.code == "WPS303").cloned())
        .collect()
}

/// The finding a service without a managed identity gets when it has custom certificates.
pub fn finding(facts: &TemplateFacts, service: ResourceRef) -> Option<Finding> {
    let (anchor, message) = match Property::get(facts, service, &["identity"]) {
        None => (
            Property::get(facts, service, &["name"])?.anchor(),
            "the service has custom certificates but no managed identity".to_string(),
        ),
        Some(identity) => {
            // The identity may be a whole object from a parameter: read it evaluated.
            let kind = match identity.unit.template.eval(identity.index, identity.node) {
                Value::Null => None,
                Value::Object(members) => match members
                    .iter()
                    .rev()
                    .find(|(k, _)| k.eq_ignore_ascii_case("type"))
                {
                    None => None,
                    Some((_, kind)) => Some(kind.as_literal_str()?.to_string()),
                },
                _ => return None,
            };
            if kind
                .as_deref()
                .is_some_and(|k| !k.eq_ignore_ascii_case("None"))
            {
                return None;
            }
            (
                identity.anchor(),
                format!(
                    "the service has custom certificates but its identity type is `{}`",
                    kind.unwrap_or_else(|| "missing".into())
                ),
            )
        }
    };
    Some(
                Finding::at("WPS303", anchor, format!("{message}: it reads certificates from the vault with its managed identity"))
                    .help("set \"identity\": {\"type\": \"SystemAssigned\"} and grant it Key Vault Secrets User (or Get on secrets and certificates)"),
            )
}
