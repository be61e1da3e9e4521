//! WPS119 link-before-service: the check. Its page, `rules/WPS119.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS119`).

use foldhash::{HashSet, HashSetExt};

use crate::facts::links::SharedLink;
use crate::facts::{Finding, ResourceRef, TemplateFacts};
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS119.md`.
pub const RULE: NativeRule = NativeRule::set("WPS119", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: HashSet<(ResourceRef, ResourceRef)> = HashSet::new();
    for link in facts.links.iter().filter(|l| l.producer.is_resource()) {
        let Some(service) = created_service(facts, link) else {
            continue;
        };
        // Instances of one loop share the finding.
        if seen.contains(&(link.at, service)) || facts.depends_on(link.at, service) {
            continue;
        }
        seen.insert((link.at, service));
        let unit = &facts.units[link.at.0];
        let t = &unit.template;
        let r = &t.resources[link.at.1];
        let s = &t.resources[service.1];
        // In a nested deployment, the outermost one that does not hold the service is what
        // needs the dependency.
        let holder = t
            .enclosing(r.deployment)
            .take_while(|&h| !t.enclosing(s.deployment).any(|sh| sh == h))
            .last();
        let (anchor_of, what, fix) = match holder {
            Some(h) => (
                h,
                format!(
                    "this deployment creates {} on `{}` without depending on the service",
                    link.producer.a_noun(),
                    s.name.describe()
                ),
                "add the service (or the deployment that creates it) to this deployment's dependsOn",
            ),
            None => (
                link.at.1,
                format!(
                    "this {} does not depend on its service `{}`",
                    link.producer.noun,
                    s.name.describe()
                ),
                "declare the link with its service as `parent:` (Bicep), or add the service (or the deployment that creates it) to the link's dependsOn",
            ),
        };
        let Some(name) = t.resources[anchor_of].node.get("name") else {
            continue;
        };
        findings.push(
            Finding::at(
                RULE.code,
                unit.at(name),
                format!(
                    "{what}, which this template creates: ARM may create the link first, and it fails with ParentResourceNotFound"
                ),
            )
            .help(fix)
            .related(
                unit.file,
                s.node.get("name").map_or(s.node.span, |n| n.span),
                "the service is created here",
            ),
        );
    }
    findings
}

/// The service a link belongs to, when the link's template file creates it (not `existing`,
/// not under a false condition), the link is not nested in a parent, and every `dependsOn`
/// entry of the link and its deployments names a resource of the file.
fn created_service(facts: &TemplateFacts, link: &SharedLink) -> Option<ResourceRef> {
    let t = &facts.units[link.at.0].template;
    let r = &t.resources[link.at.1];
    let below_service = r
        .type_name
        .get(..link.service_type.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(link.service_type))
        && r.type_name[link.service_type.len()..].starts_with('/');
    // Links nested in a parent's `resources`: whether ARM orders them is not known.
    if !below_service || r.parent.is_some() {
        return None;
    }
    // A `dependsOn` entry that names nothing here may be the path.
    if facts.units[link.at.0].graph().has_unresolved(t, link.at.1) {
        return None;
    }
    let service = link.service.as_ref()?;
    facts
        .with_id(link.service_type, service)
        .find(|s| s.0 == link.at.0 && facts.resource(*s).deployed)
}
