//! WPS2xx: approval of the connection on the vault.

pub mod missing;
pub mod missing_dependency;
pub mod not_approved;
pub mod orphaned;
pub mod wrong_vault;

use crate::analysis::AnalysisSet;
use crate::analysis::approvals::{Approval, same_vault};
use crate::analysis::azure::KEY_VAULT;
use crate::analysis::links::SharedLink;
use crate::expr::Text;
use crate::rules::common::Property;
use crate::rules::link::invalid_vault_name::plausible;

/// An SPLR an approval can be for: deployed, targeting a vault whose name could exist.
struct VaultLink<'s> {
    link: &'s SharedLink,
    vault: &'s Text,
}

fn vault_links<'s>(set: &'s AnalysisSet) -> Vec<VaultLink<'s>> {
    set.links
        .iter()
        .filter(|l| set.resource(l.at).deployed)
        .filter_map(|link| {
            let id = link.target_of_type(KEY_VAULT)?;
            let vault = id.name();
            plausible(vault).then_some(VaultLink { link, vault })
        })
        .collect()
}

/// The first link an approval depends on, when every link it depends on targets a vault that
/// is certainly not the approval's (WPS205).
fn wrong_vault_link<'s>(
    set: &AnalysisSet,
    approval: &Approval,
    links: &[VaultLink<'s>],
) -> Option<&'s SharedLink> {
    let vault = approval.vault.as_ref()?;
    let mut depended = links
        .iter()
        .filter(|l| set.depends_on(approval.at, l.link.at))
        .peekable();
    depended.peek()?;
    let mut first = None;
    for l in depended {
        if same_vault(vault, l.vault) != Some(false) {
            return None;
        }
        first.get_or_insert(l.link);
    }
    first
}

/// The approval's `name` property, where most approval findings point.
fn name_property<'s, 'a>(
    set: &'s AnalysisSet<'a>,
    approval: &Approval,
) -> Option<Property<'s, 'a>> {
    Property::get(set, approval.at, &["name"])
}
