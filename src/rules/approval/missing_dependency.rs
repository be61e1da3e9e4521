//! WPS203 approval-missing-dependency.
//!
//! ## What it does
//! Reports an approval deployed by the same template file as an SPLR that targets its vault,
//! when the approval does not depend on that SPLR (directly, through other resources, through
//! a nested deployment, `reference()` or a copy loop's name).
//!
//! ## Why is this bad
//! ARM may run the approval before the connection exists; it then fails or approves nothing.

use super::{VaultLink, name_property, vault_links, wrong_vault_link};
use crate::analysis::AnalysisSet;
use crate::analysis::approvals::same_vault;
use crate::diagnostic::Span;
use crate::expr::{StringForm, classify};
use crate::rules::Finding;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let links = vault_links(set);
    let mut findings = Vec::new();
    for approval in &set.approvals {
        let Some(vault) = approval.vault.as_ref() else {
            continue;
        };
        let same_file: Vec<&VaultLink> = links
            .iter()
            .filter(|l| l.link.at.0 == approval.at.0 && same_vault(vault, l.vault) == Some(true))
            .collect();
        if same_file.is_empty()
            || same_file
                .iter()
                .any(|l| set.depends_on(approval.at, l.link.at))
            || wrong_vault_link(set, approval, &links).is_some()
        {
            continue;
        }
        let r = set.resource(approval.at);
        let unit = &set.units[approval.at.0];
        let anchor = match r.node.get("dependsOn") {
            Some(own) => unit.at(own),
            None => match name_property(set, approval) {
                Some(name) => name.anchor(),
                None => continue,
            },
        };
        let link = same_file[0].link;
        let link_name = set.resource(link.at).name.describe();
        let mut finding = Finding::at(
            "WPS203",
            anchor,
            format!("this approval does not depend on the shared private link `{link_name}`: ARM may run it before the connection exists"),
        )
        .related(unit.file, set.resource(link.at).node.get("name").map_or(Span::default(), |n| n.span), "the shared private link")
        .help("add the link to the approval's dependsOn");
        if let Some(entry) = dependency_entry(set, link.at) {
            finding = finding.fix(
                "Add the link to dependsOn",
                vec![insert_dependency(r.node, &entry)],
            );
        }
        findings.push(finding);
    }
    findings
}

/// A `dependsOn` entry naming the link: its symbolic name, or `resourceId()` of its name.
fn dependency_entry(set: &AnalysisSet, at: crate::analysis::ResourceRef) -> Option<String> {
    let r = set.resource(at);
    if let Some(symbolic) = r.symbolic_name {
        return Some(symbolic.to_string());
    }
    if r.parent.is_some() {
        return None;
    }
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let args = match classify(r.node.get("name")?.as_str()?) {
        StringForm::Literal(name) => name.split('/').map(quote).collect::<Vec<_>>().join(", "),
        StringForm::Expression(expr) => format!("split({expr}, '/')[0], split({expr}, '/')[1]"),
    };
    Some(format!("[resourceId('{}', {args})]", r.type_name))
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
