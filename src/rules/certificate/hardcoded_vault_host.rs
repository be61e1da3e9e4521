//! WPS306 custom-cert-hardcoded-vault-host (off by default).
//!
//! ## What it does
//! Reports a `keyVaultBaseUri` that writes the vault's DNS suffix out instead of using
//! `environment().suffixes.keyvaultDns`.
//!
//! ## Why is this bad
//! The template breaks in sovereign clouds, whose vault suffix differs.

use super::base_uri;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::KEY_VAULT_DNS_SUFFIXES;
use crate::facts::certificates::certificates;

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    certificates(facts)
        .iter()
        .filter_map(|certificate| {
            let property = base_uri(facts, certificate)?;
            let written = property.anchored_node().as_str()?.to_ascii_lowercase();
            let suffix = KEY_VAULT_DNS_SUFFIXES.iter().find(|s| written.contains(*s))?;
            Some(
                Finding::at("WPS306", property.anchor(), format!("keyVaultBaseUri writes the vault suffix `{suffix}` out"))
                    .help("build it with format('https://{0}{1}/', parameters('keyVaultName'), environment().suffixes.keyvaultDns)"),
            )
        })
        .collect()
}
