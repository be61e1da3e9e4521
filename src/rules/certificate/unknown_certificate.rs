//! WPS305 custom-domain-unknown-certificate.
//!
//! ## What it does
//! Reports a custom domain whose `customCertificate.id` names no custom certificate of the
//! same service in the analysis set (only when the set holds that service).
//!
//! ## Why is this bad
//! The domain cannot be bound to a certificate that does not exist.

use crate::expr::ResourceId;
use crate::facts::Finding;
use crate::facts::certificates::domains;
use crate::facts::{CertificateOf, TemplateFacts, Unless};
use crate::rules::common::Property;

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
                    "WPS305",
                    property.anchor(),
                    if other_service {
                        format!("`{text}` is a certificate of another service; a custom domain can only use its own service's certificates")
                    } else {
                        format!("`{text}` is not a custom certificate of this service in the analysis set")
                    },
                )
                .help("point customCertificate.id at resourceId('Microsoft.SignalRService/webPubSub/customCertificates', serviceName, certificateName) of a declared certificate")
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
