//! WPS306 custom-cert-hardcoded-vault-host: the check. Its page, `rules/WPS306.md`, is the one
//! source of what it reports and why (`wps-lint explain WPS306`).

use super::base_uri;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::KEY_VAULT_DNS_SUFFIXES;
use crate::facts::certificates::certificates;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS306.md`.
pub const RULE: NativeRule = NativeRule::set("WPS306", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    certificates(facts)
        .iter()
        .filter_map(|certificate| {
            let property = base_uri(facts, certificate)?;
            let written = property.anchored_node().as_str()?.to_ascii_lowercase();
            let suffix = KEY_VAULT_DNS_SUFFIXES.iter().find(|s| written.contains(*s))?;
            Some(
                Finding::at(RULE.code, property.anchor(), format!("keyVaultBaseUri writes the vault suffix `{suffix}` out"))
                    .help("build it from the vault's name and environment().suffixes.keyvaultDns: 'https://${keyVaultName}${environment().suffixes.keyvaultDns}/' in Bicep, format('https://{0}{1}/', parameters('keyVaultName'), environment().suffixes.keyvaultDns) in JSON"),
            )
        })
        .collect()
}
