//! WPS104 splr-invalid-vault-name: the check. Its page, `rules/WPS104.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS104`).

use super::target_property;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::{KEY_VAULT, vault_name_problem};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS104.md`.
pub const RULE: NativeRule = NativeRule::set("WPS104", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter_map(|link| {
            let name = link.target_of_type(KEY_VAULT)?.name().as_literal()?.to_string();
            let why = vault_name_problem(&name)?;
            let (_, anchor) = target_property(facts, link)?;
            Some(
                Finding::at(RULE.code, anchor, format!("`{name}` is not a valid Key Vault name: {why}")).on(link)
                    .help("vault names have 3-24 letters, digits and hyphens, start with a letter, end with a letter or digit and have no `--`"),
            )
        })
        .collect()
}

/// Whether an SPLR's vault target has a name that could exist (checks that rely on the vault
/// skip the others: WPS104 reports them).
pub fn plausible(name: &crate::expr::Text) -> bool {
    name.as_literal()
        .is_none_or(|n| vault_name_problem(n).is_none())
}
