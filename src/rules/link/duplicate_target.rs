//! WPS111 splr-duplicate-target: the check. Its page, `rules/WPS111.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS111`).

use foldhash::{HashMap, HashMapExt};

use crate::expr::fold_case;
use crate::facts::approvals::vault_of;
use crate::facts::links::Target;
use crate::facts::{Evidence, LinkFact, Resolved};
use crate::rules::NativeRule;
use crate::rules::repeated::merge_instances;

/// Registered by this code; the rule's page is `rules/WPS111.md`.
pub const RULE: NativeRule = NativeRule::join("WPS111", join);

pub fn join(world: &Evidence) -> Vec<Resolved> {
    // Earlier links by the target's own name as written: only links whose names are the same
    // text can be certainly the same target, so each link is compared with those alone.
    let mut earlier: HashMap<String, Vec<&LinkFact>> = HashMap::new();
    let mut findings = Vec::new();
    for second in world.deployed_links() {
        let Target::Id(id) = &second.target else {
            continue;
        };
        let same_name = earlier
            .entry(fold_case(&id.name().to_string()))
            .or_default();
        let first = same_name
            .iter()
            .find(|first| {
                second.producer.one_per_target
                    && !alternatives(first, second)
                    && duplicates(first, second)
                    // Another deployment's service is the same one only where its name is read.
                    && (world.deployed_together(first.template, second.template)
                        || [first, second].iter().all(|l| {
                            l.service.as_ref().is_some_and(|s| s.name().is_literal())
                        }))
            })
            .copied();
        same_name.push(second);
        let Some(first) = first else {
            continue;
        };
        let (Some(property), Some(earlier)) = (&second.resource_id, &first.resource_id) else {
            continue;
        };
        findings.push((
            Resolved::at(
                RULE.code,
                &property.anchor,
                format!(
                    "this service already has {} to `{}` with the same groupId",
                    second.producer.a_noun(),
                    property.text
                ),
            )
            .related(earlier.property.related("the first link to it"))
            .help("remove one of the two links"),
            second.instance.clone(),
        ));
    }
    // Only instances of a copy loop are named or counted: findings alike on no instance are not
    // a loop's, and stay as the join gives them.
    let (instances, others): (Vec<_>, Vec<_>) = findings
        .into_iter()
        .partition(|(_, instance)| instance.is_some());
    let mut findings = merge_instances(instances);
    findings.extend(others.into_iter().map(|(finding, _)| finding));
    findings
}

/// One template with different parameter files (`main.parameters.dev` and
/// `main.parameters.prod`): alternative deployments, never deployed together.
fn alternatives(a: &LinkFact, b: &LinkFact) -> bool {
    a.template == b.template && a.unit != b.unit
}

fn duplicates(a: &LinkFact, b: &LinkFact) -> bool {
    // One link deployed twice (two instances of a loop that redeploys it, or two templates
    // declaring it) is still one link.
    if let (Some(x), Some(y)) = (&a.id, &b.id)
        && x.same_as(y) == Some(true)
    {
        return false;
    }
    let same_service = match (&a.service, &b.service) {
        (Some(x), Some(y)) => x.same_as(y) == Some(true),
        _ => false,
    };
    let same_target = match (&a.target, &b.target) {
        // Vault names are globally unique: the name decides when a scope is unknown.
        (Target::Id(x), Target::Id(y)) => match (vault_of(x), vault_of(y)) {
            (Some(v), Some(w)) if x.types.len() == 1 && y.types.len() == 1 => {
                v.equals(&w, true) == Some(true)
            }
            _ => x.same_as(y) == Some(true),
        },
        _ => false,
    };
    same_service
        && same_target
        && std::ptr::eq(a.producer, b.producer)
        && a.group_ids
            .iter()
            .any(|x| b.group_ids.iter().any(|y| x.eq_ignore_ascii_case(y)))
}
