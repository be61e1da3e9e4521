//! WPS301 custom-cert-private-link-host: the check. Its page, `rules/WPS301.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS301`).

use super::base_uri;
use crate::diagnostic::Span;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::certificates::{BaseUri, certificates, classify_base_uri};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS301.md`.
pub const RULE: NativeRule = NativeRule::set("WPS301", check);

const WRONG_HOSTS: [&str; 2] = ["privatelink.vaultcore.azure.net", "keyvault.azure.net"];

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    certificates(facts)
        .iter()
        .filter_map(|certificate| {
            let property = base_uri(facts, certificate)?;
            let BaseUri::Wrong(why) = classify_base_uri(&property.text()?) else {
                return None;
            };
            let anchor = property.anchor();
            // Replace a wrong host written out in the string the anchor is on.
            let raw = &facts.text(anchor.file)[anchor.span.range()];
            let fix = WRONG_HOSTS.iter().find_map(|host| {
                let at = raw.to_ascii_lowercase().find(host)?;
                let start = anchor.span.start + at as u32;
                Some((Span { start, end: start + host.len() as u32 }, "vault.azure.net".to_string()))
            });
            let finding = Finding::at(
                RULE.code,
                anchor,
                format!("keyVaultBaseUri must be the vault's normal address https://{{vault}}.vault.azure.net: {why}"),
            )
            .help("keep the normal vault address; the shared private endpoint makes it resolve privately for the service");
            Some(match fix {
                Some(edit) => finding.fix("Use the normal vault address", vec![edit]),
                None => finding,
            })
        })
        .collect()
}
