//! WPS303 custom-cert-no-identity: the check. Its page, `rules/WPS303.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS303`).

use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::{Evidence, Resolved, ResourceRef, TemplateFacts};
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS303.md`.
pub const RULE: NativeRule = NativeRule::join("WPS303", join);

pub fn join(world: &Evidence) -> Vec<Resolved> {
    world
        .services_with(world.certificates().map(|c| &c.child))
        .into_iter()
        .flat_map(|s| s.findings.iter().filter(|f| f.code == RULE.code).cloned())
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
                Finding::at(RULE.code, anchor, format!("{message}: it reads certificates from the vault with its managed identity"))
                    .help("give the service an identity of type `SystemAssigned` and grant it Key Vault Secrets User (or Get on secrets and certificates)"),
            )
}
