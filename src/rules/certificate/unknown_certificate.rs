//! WPS305 custom-domain-unknown-certificate.
//!
//! ## What it does
//! Reports a custom domain whose `customCertificate.id` names no custom certificate of the
//! same service in the analysis set (only when the set holds that service).
//!
//! ## Why is this bad
//! The domain cannot be bound to a certificate that does not exist.

use crate::analysis::AnalysisSet;
use crate::analysis::certificates::{certificates, domains};
use crate::expr::ResourceId;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let certificates = certificates(set);
    domains(set)
        .iter()
        .filter_map(|domain| {
            let service = domain.service.as_ref()?;
            set.find(domain.service_type, service)?;
            let property = Property::get(set, domain.at, &["properties", "customCertificate", "id"])?;
            let text = property.text()?;
            let id = ResourceId::parse(&text).ok();
            let exists = certificates.iter().any(|c| match (&id, &set.resource(c.at).id) {
                (Some(named), Some(declared)) => named.same_as(declared) != Some(false),
                _ => false,
            });
            let other_service = id
                .as_ref()
                .is_some_and(|id| id.types.len() != 2 || id.ancestor(1).same_as(service) == Some(false));
            if (exists && !other_service) || (id.is_none() && !text.is_literal()) {
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
                .help("point customCertificate.id at resourceId('Microsoft.SignalRService/webPubSub/customCertificates', serviceName, certificateName) of a declared certificate"),
            )
        })
        .collect()
}
