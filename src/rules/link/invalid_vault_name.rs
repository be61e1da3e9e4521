//! WPS104 splr-invalid-vault-name.
//!
//! ## What it does
//! Reports a Key Vault name in a link's target ID, of any producer, that breaks the vault naming rules:
//! 3-24 characters, letters, digits and `-`, starting with a letter, ending with a letter or
//! digit, no `--`.
//!
//! ## Why is this bad
//! Such a vault cannot exist, so the link can never connect.

use super::target_property;
use crate::analysis::AnalysisSet;
use crate::analysis::azure::{KEY_VAULT, vault_name_problem};
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let name = link.target_of_type(KEY_VAULT)?.name().as_literal()?.to_string();
            let why = vault_name_problem(&name)?;
            let (_, anchor) = target_property(set, link)?;
            Some(
                Finding::at("WPS104", anchor, format!("`{name}` is not a valid Key Vault name: {why}")).on(link)
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
