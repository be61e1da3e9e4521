//! WPS3xx: custom certificates and domains, which need the link.

pub mod domain_requires_premium;
pub mod hardcoded_vault_host;
pub mod no_identity;
pub mod private_link_host;
pub mod unknown_certificate;
pub mod vault_unreachable;

use crate::facts::TemplateFacts;
use crate::facts::certificates::ServiceChild;
use crate::rules::common::Property;

fn base_uri<'s, 'a>(
    facts: &'s TemplateFacts<'a>,
    certificate: &ServiceChild,
) -> Option<Property<'s, 'a>> {
    Property::get(facts, certificate.at, &["properties", "keyVaultBaseUri"])
}
