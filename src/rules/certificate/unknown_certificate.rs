//! WPS305 custom-domain-unknown-certificate: the check. Its page, `rules/WPS305.md`, is the one
//! source of what it reports and why (`wps-lint explain WPS305`).

use crate::expr::ResourceId;
use crate::facts::Finding;
use crate::facts::certificates::domains;
use crate::facts::{CertificateOf, TemplateFacts, Unless};
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS305.md`.
pub const RULE: NativeRule = NativeRule::set("WPS305", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    domains(facts)
        .iter()
        .filter_map(|domain| {
            let service = domain.service.as_ref()?;
            let property = Property::get(facts, domain.at, &["properties", "customCertificate", "id"])?;
            let text = property.text()?;
            let id = ResourceId::parse(&text).ok();
            let other_service = id
                .as_ref()
                .is_some_and(|id| id.types.len() != 2 || id.ancestor(1).same_as(service) == Some(false));
            if id.is_none() && !text.is_literal() {
                return None;
            }
            Some(
                Finding::at(
                    RULE.code,
                    property.anchor(),
                    if other_service {
                        format!("`{text}` is a certificate of another service; a custom domain can only use its own service's certificates")
                    } else {
                        format!("`{text}` is not a custom certificate of this service in the analysis set")
                    },
                )
                .help(format!("point customCertificate.id at resourceId('{}/customCertificates', serviceName, certificateName) of a declared certificate", domain.service_type))
                // Only when the set declares the service, and holds no certificate it may name.
                .unless(Unless::CertificateOf(Box::new(CertificateOf {
                    service_type: domain.service_type,
                    service: service.clone(),
                    named: id,
                    other_service,
                }))),
            )
        })
        .collect()
}
