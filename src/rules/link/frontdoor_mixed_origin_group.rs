//! WPS117 frontdoor-mixed-origin-group: the check. Its page, `rules/WPS117.md`, is the one source
//! of what it reports and why (`wps-lint explain WPS117`).

use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::producers::FRONT_DOOR_ORIGIN;
use crate::json::Kind;
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS117.md`.
pub const RULE: NativeRule = NativeRule::set("WPS117", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Each origin with its group, and whether it is private (`None`: cannot tell).
    let origins: Vec<_> = facts
        .resources_of(FRONT_DOOR_ORIGIN)
        .filter(|&at| facts.resource(at).deployed)
        .filter_map(|at| {
            let group = facts.resource(at).id.as_ref()?.ancestor(2);
            let private = if facts.links.iter().any(|l| l.at == at) {
                Some(true)
            } else {
                match Property::get(facts, at, &["properties", "sharedPrivateLinkResource"]) {
                    None => Some(false),
                    Some(p) if matches!(p.node.kind, Kind::Null) => Some(false),
                    Some(_) => None,
                }
            };
            Some((at, group, private))
        })
        .collect();
    let mut reported = Vec::new();
    for (at, group, private) in &origins {
        if *private != Some(true)
            || reported
                .iter()
                .any(|g: &&crate::expr::ResourceId| g.same_as(group) == Some(true))
        {
            continue;
        }
        let public = origins.iter().find(|(other, g, p)| {
            other.0 == at.0 && *p == Some(false) && g.same_as(group) == Some(true)
        });
        let (Some((public_at, _, _)), Some(spl)) = (
            public,
            Property::get(facts, *at, &["properties", "sharedPrivateLinkResource"]),
        ) else {
            continue;
        };
        reported.push(group);
        let public_origin = facts.resource(*public_at);
        findings.push(
            Finding::at(
                RULE.code,
                spl.anchor(),
                format!(
                    "origin group `{}` has private origins and an origin without a private link (`{}`): Front Door accepts only one kind per group",
                    group.name(),
                    public_origin.name.describe()
                ),
            )
            .help("put the public origins in an origin group of their own, or give every origin of this group a sharedPrivateLinkResource")
            .related(
                facts.units[public_at.0].file,
                public_origin.node.get("name").map_or_else(Default::default, |n| n.span),
                "an origin of the same group without a private link",
            ),
        );
    }
    findings
}
