//! Custom certificates and domains of the services: which service each belongs to, and what
//! a certificate's `keyVaultBaseUri` says about its vault.

use super::azure::{
    CUSTOM_CERTIFICATE_CHILD, CUSTOM_DOMAIN_CHILD, KEY_VAULT_DNS_SUFFIXES, SERVICES,
};
use super::template_facts::{ResourceRef, TemplateFacts};
use crate::expr::{Part, ResourceId, Text};

/// A certificate or domain resource and its service.
pub struct ServiceChild {
    pub at: ResourceRef,
    pub service_type: &'static str,
    /// The service's ID, when the child's name is known.
    pub service: Option<ResourceId>,
}

fn children(facts: &TemplateFacts, child: &str) -> Vec<ServiceChild> {
    let mut out = Vec::new();
    for service_type in SERVICES {
        let full = format!("{service_type}/{child}");
        for at in facts
            .resources_of(&full)
            .filter(|&at| facts.resource(at).deployed)
        {
            let r = facts.resource(at);
            out.push(ServiceChild {
                at,
                service_type,
                service: r.parent_id(),
            });
        }
    }
    out.sort_by_key(|c| c.at);
    out
}

pub fn certificates(facts: &TemplateFacts) -> Vec<ServiceChild> {
    children(facts, CUSTOM_CERTIFICATE_CHILD)
}

pub fn domains(facts: &TemplateFacts) -> Vec<ServiceChild> {
    children(facts, CUSTOM_DOMAIN_CHILD)
}

/// The services (declared in the set) that have children of these kinds, once each, in order.
pub fn services_with(facts: &TemplateFacts, children: &[ServiceChild]) -> Vec<ResourceRef> {
    let mut services: Vec<ResourceRef> = children
        .iter()
        .filter_map(|c| facts.find(c.service_type, c.service.as_ref()?))
        .collect();
    services.sort();
    services.dedup();
    services
}

/// What a `keyVaultBaseUri` is.
#[derive(Debug, PartialEq)]
pub enum BaseUri {
    /// `https://{vault}.{Key Vault suffix}` with an optional trailing `/`.
    Vault(Text),
    /// Not that shape: the host (or what is wrong), for the message.
    Wrong(String),
    Unknown,
}

pub fn classify_base_uri(uri: &Text) -> BaseUri {
    let Some(Part::Lit(first)) = uri.parts().first() else {
        return BaseUri::Unknown;
    };
    if !first.to_ascii_lowercase().starts_with("https://") {
        return if first.len() >= "https://".len() || uri.is_literal() {
            BaseUri::Wrong(format!("`{uri}` does not start with https://"))
        } else {
            BaseUri::Unknown
        };
    }
    let rest = uri.map_literals(|s| s.to_string());
    let mut pieces = rest.split('/');
    // ["https:", "", host, (optional "")]
    let trailing_ok =
        pieces.len() == 3 || (pieces.len() == 4 && pieces[3].as_literal() == Some(""));
    if !trailing_ok {
        return BaseUri::Wrong(format!(
            "`{uri}` has a path; only the vault address belongs here"
        ));
    }
    let host = pieces.swap_remove(2);
    let labels = host.split('.');
    let Some((vault, suffix)) = labels.split_first() else {
        return BaseUri::Unknown;
    };
    let suffix: Option<Vec<&str>> = suffix.iter().map(Text::as_literal).collect();
    let Some(suffix) = suffix else {
        return BaseUri::Unknown;
    };
    let suffix = suffix.join(".");
    if KEY_VAULT_DNS_SUFFIXES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(&suffix))
    {
        BaseUri::Vault(vault.clone())
    } else {
        BaseUri::Wrong(format!("the host `{host}` is not a Key Vault address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Symbol;

    #[test]
    fn reads_base_uris() {
        let vault = |s: &str| classify_base_uri(&Text::literal(s));
        assert_eq!(
            vault("https://kv-one.vault.azure.net/"),
            BaseUri::Vault(Text::literal("kv-one"))
        );
        assert_eq!(
            vault("HTTPS://kv-one.vault.usgovcloudapi.net"),
            BaseUri::Vault(Text::literal("kv-one"))
        );
        assert!(
            matches!(vault("https://kv-one.privatelink.vaultcore.azure.net/"), BaseUri::Wrong(w) if w.contains("privatelink"))
        );
        assert!(matches!(
            vault("https://kv-one.keyvault.azure.net"),
            BaseUri::Wrong(_)
        ));
        assert!(matches!(
            vault("http://kv-one.vault.azure.net"),
            BaseUri::Wrong(_)
        ));
        assert!(matches!(
            vault("https://kv-one.vault.azure.net/secrets/x"),
            BaseUri::Wrong(_)
        ));
        let mut symbolic = Text::literal("https://");
        symbolic.push_symbol(Symbol::new("parameters('kv')"));
        symbolic.push_str(".vault.azure.net/");
        assert_eq!(
            classify_base_uri(&symbolic),
            BaseUri::Vault(Text::symbol(Symbol::new("parameters('kv')")))
        );
        assert_eq!(
            classify_base_uri(&Text::symbol(Symbol::new("parameters('uri')"))),
            BaseUri::Unknown
        );
    }
}
