//! WPS203 approval-missing-dependency: the check. Its page, `rules/WPS203.md`, is the one source of
//! what it reports and why (`wps-lint explain WPS203`).

use super::{TargetLink, TargetLinks, name_property, wrong_target_link};
use crate::diagnostic::Span;
use crate::facts::Finding;
use crate::facts::{ResourceRef, TemplateFacts};
use crate::rules::NativeRule;
use crate::rules::common::quoted_name;
use crate::template::ResourceIndex;

/// Registered by this code; the rule's page is `rules/WPS203.md`.
pub const RULE: NativeRule = NativeRule::set("WPS203", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let links = TargetLinks::waiting(facts);
    let mut findings = Vec::new();
    for approval in &facts.approvals {
        let same_file: Vec<&TargetLink> = links
            .may_target(&approval.target)
            .filter(|l| l.link.at.0 == approval.at.0 && approval.target.same(&l.key) == Some(true))
            .collect();
        if same_file.is_empty()
            || same_file
                .iter()
                .any(|l| facts.depends_on(approval.at, l.link.at))
            || wrong_target_link(facts, approval, &links).is_some()
        {
            continue;
        }
        let r = facts.resource(approval.at);
        let unit = &facts.units[approval.at.0];
        let anchor = match r.node.get("dependsOn") {
            Some(own) => unit.at(own),
            // In the template even when the name comes from a parameter file: the fix adds the
            // missing entry to the template's dependsOn.
            None => match name_property(facts, approval) {
                Some(name) => unit.at(name.node),
                None => continue,
            },
        };
        let link = same_file[0].link;
        let link_name = quoted_name(&facts.resource(link.at).name);
        let finding = Finding::at(
            RULE.code,
            anchor,
            format!("this approval does not depend on the {}{link_name}: ARM may run it before the connection exists", link.producer.noun),
        )
        .related(unit.file, facts.resource(link.at).node.get("name").map_or(Span::default(), |n| n.span), format!("the {}", link.producer.noun));
        let finding = match (
            dependency_entry(facts, link.at),
            dependent(facts, approval.at, link.at),
        ) {
            (Some(entry), Some(dependent)) => {
                let holder = if dependent == approval.at.1 {
                    "the approval".to_string()
                } else {
                    format!(
                        "the nested deployment{} that holds it",
                        quoted_name(&unit.template.resources[dependent].name)
                    )
                };
                let resource = unit.template.resources[dependent].node;
                finding
                    .help(format!("add `{entry}` to the dependsOn of {holder}"))
                    .fix(
                        format!("Add the link to the dependsOn of {holder}"),
                        vec![insert_dependency(resource, &entry)],
                    )
                    .adds_dependency(resource.span, entry)
            }
            _ => finding.help("add the link to the approval's dependsOn"),
        };
        findings.push(finding);
    }
    findings
}

/// The resource whose `dependsOn` can name the link: the approval itself, or, when it sits in a
/// nested deployment below the link's, the deployment resource that holds it (what a nested
/// deployment deploys inherits its `dependsOn`). `dependsOn` only names resources of its own
/// deployment.
fn dependent(
    facts: &TemplateFacts,
    approval: ResourceRef,
    link: ResourceRef,
) -> Option<ResourceIndex> {
    let t = &facts.units[approval.0].template;
    let deployment = facts.resource(link).deployment;
    std::iter::once(approval.1)
        .chain(t.enclosing(t.resources[approval.1].deployment))
        .find(|&r| t.resources[r].deployment == deployment)
}

/// A `dependsOn` entry naming the link: its symbolic name, or `resourceId()` of its name
/// segments.
fn dependency_entry(facts: &TemplateFacts, link: ResourceRef) -> Option<String> {
    let r = facts.resource(link);
    if let Some(symbolic) = r.symbolic_name {
        return Some(symbolic.to_string());
    }
    let args = facts.units[link.0].template.name_arguments(link.1)?;
    Some(format!(
        "[resourceId('{}', {})]",
        r.type_name,
        args.join(", ")
    ))
}

/// The edit that adds `entry` to a resource's `dependsOn` (creating it before `name`).
fn insert_dependency(resource: &crate::json::Node, entry: &str) -> (Span, String) {
    let quoted = serde_json::to_string(entry).expect("a string serialises");
    match resource
        .get("dependsOn")
        .and_then(|d| d.as_array().map(|items| (d, items)))
    {
        Some((list, [])) => (list.span, format!("[{quoted}]")),
        Some((_, items)) => {
            let end = items[items.len() - 1].span.end;
            (Span { start: end, end }, format!(", {quoted}"))
        }
        None => {
            let at = resource
                .member("name")
                .map_or(resource.span.start + 1, |m| m.key_span.start);
            (
                Span { start: at, end: at },
                format!("\"dependsOn\": [{quoted}], "),
            )
        }
    }
}
