//! WPS2xx: approval of the connection on the target.

pub mod missing;
pub mod missing_dependency;
pub mod not_approved;
pub mod not_needed;
pub mod orphaned;
pub mod wrong_vault;

use crate::expr::ResourceId;
use crate::facts::TemplateFacts;
use crate::facts::approvals::{Approval, TargetKey};
use crate::facts::azure::KEY_VAULT;
use crate::facts::links::{SharedLink, Target};
use crate::facts::producers::{self, Approvable, Approver, target_groups};
use crate::rules::common::Property;
use crate::rules::link::invalid_vault_name::plausible;

/// A link an approval can be for: deployed, of a producer that waits for the target's owner,
/// targeting a resource that has connections and that the producer can reach (a vault whose
/// name could exist).
struct TargetLink<'s, 'a> {
    link: &'s SharedLink<'a>,
    id: &'s ResourceId,
    key: TargetKey,
    target: &'static Approvable,
}

fn links_approved_by<'s, 'a>(
    facts: &'s TemplateFacts<'a>,
    approver: Approver,
) -> Vec<TargetLink<'s, 'a>> {
    facts
        .links
        .iter()
        .filter(|l| facts.resource(l.at).deployed && l.producer.approver == approver)
        .filter_map(|link| {
            let Target::Id(id) = &link.target else {
                return None;
            };
            let target = producers::approvable_type(&id.type_name())?;
            target_groups(link.producer, target.type_name)?;
            if id.is_type(KEY_VAULT) && !plausible(id.name()) {
                return None;
            }
            Some(TargetLink {
                link,
                id,
                key: TargetKey::of_id(id),
                target,
            })
        })
        .collect()
}

fn target_links<'s, 'a>(facts: &'s TemplateFacts<'a>) -> Vec<TargetLink<'s, 'a>> {
    links_approved_by(facts, Approver::Required)
}

/// The first link an approval depends on, when every link it depends on targets a resource
/// that is certainly not the approval's (WPS205).
fn wrong_target_link<'l, 's, 'a>(
    facts: &TemplateFacts,
    approval: &Approval,
    links: &'l [TargetLink<'s, 'a>],
) -> Option<&'l TargetLink<'s, 'a>> {
    approval.target.name.as_ref()?;
    let mut depended = links
        .iter()
        .filter(|l| facts.depends_on(approval.at, l.link.at))
        .peekable();
    depended.peek()?;
    let mut first = None;
    for l in depended {
        if approval.target.same(&l.key) != Some(false) {
            return None;
        }
        first.get_or_insert(l);
    }
    first
}

/// The approval's `name` property, where most approval findings point.
fn name_property<'s, 'a>(
    facts: &'s TemplateFacts<'a>,
    approval: &Approval,
) -> Option<Property<'s, 'a>> {
    Property::get(facts, approval.at, &["name"])
}
