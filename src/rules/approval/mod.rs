//! WPS2xx: approval of the connection on the target.

pub mod missing;
pub mod missing_dependency;
pub mod not_approved;
pub mod not_needed;
pub mod orphaned;
pub mod wrong_vault;

use foldhash::{HashMap, HashMapExt};

use crate::expr::{ResourceId, Text, fold_case};
use crate::facts::approvals::{Approval, TargetKey};
use crate::facts::azure::KEY_VAULT;
use crate::facts::links::{SharedLink, Target};
use crate::facts::producers::{self, Approvable, Approver, target_groups};
use crate::facts::{ResourceRef, TemplateFacts};
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

/// The links an approval can be for, indexed by the resource that declares them and by their
/// target's name, so that each approval is compared with the few links that may be its own.
struct TargetLinks<'s, 'a> {
    all: Vec<TargetLink<'s, 'a>>,
    /// Positions in `all` by the link's resource (the instances of a loop share one).
    at: HashMap<ResourceRef, Vec<usize>>,
    /// Positions in `all` by their target's literal name, folded to lower case.
    by_name: HashMap<String, Vec<usize>>,
    /// Positions in `all` of links whose target's name is not literal: they may be any.
    unread: Vec<usize>,
}

impl<'s, 'a> TargetLinks<'s, 'a> {
    fn approved_by(facts: &'s TemplateFacts<'a>, approver: Approver) -> TargetLinks<'s, 'a> {
        let all: Vec<TargetLink> = facts
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
            .collect();
        let mut at: HashMap<ResourceRef, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut unread = Vec::new();
        for (k, l) in all.iter().enumerate() {
            at.entry(l.link.at).or_default().push(k);
            match l.key.name.as_ref().and_then(Text::as_literal) {
                Some(name) => by_name.entry(fold_case(name)).or_default().push(k),
                None => unread.push(k),
            }
        }
        TargetLinks {
            all,
            at,
            by_name,
            unread,
        }
    }

    /// The links that wait for the target's owner.
    fn waiting(facts: &'s TemplateFacts<'a>) -> TargetLinks<'s, 'a> {
        TargetLinks::approved_by(facts, Approver::Required)
    }

    fn iter(&self) -> std::slice::Iter<'_, TargetLink<'s, 'a>> {
        self.all.iter()
    }

    fn of(&self, positions: Vec<usize>) -> impl Iterator<Item = &TargetLink<'s, 'a>> {
        let mut positions = positions;
        positions.sort_unstable();
        positions.dedup();
        positions.into_iter().map(|k| &self.all[k])
    }

    /// The links `from` depends on, in document order.
    fn depended_on_by(
        &self,
        facts: &TemplateFacts,
        from: ResourceRef,
    ) -> impl Iterator<Item = &TargetLink<'s, 'a>> {
        let positions = facts
            .dependencies(from)
            .filter_map(|d| self.at.get(&d))
            .flatten()
            .copied()
            .collect();
        self.of(positions)
    }

    /// The links whose target may be `key` (a superset: compare with `same` or `could_be`), in
    /// document order.
    fn may_target(&self, key: &TargetKey) -> impl Iterator<Item = &TargetLink<'s, 'a>> {
        let positions = match key.name.as_ref().and_then(Text::as_literal) {
            Some(name) => self
                .by_name
                .get(&fold_case(name))
                .into_iter()
                .flatten()
                .chain(&self.unread)
                .copied()
                .collect(),
            None => (0..self.all.len()).collect(),
        };
        self.of(positions)
    }
}

/// The first link an approval depends on, when every link it depends on targets a resource
/// that is certainly not the approval's (WPS205).
fn wrong_target_link<'l, 's, 'a>(
    facts: &TemplateFacts,
    approval: &Approval,
    links: &'l TargetLinks<'s, 'a>,
) -> Option<&'l TargetLink<'s, 'a>> {
    approval.target.name.as_ref()?;
    let mut depended = links.depended_on_by(facts, approval.at).peekable();
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
