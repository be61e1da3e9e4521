//! Building a template file's summary: what the cross-file rules read of it (see
//! `facts::summary`). It runs the checks whose findings on a service depend on other files, so
//! that the join can report them without the file.

use super::resolve::Resolver;
use crate::facts::azure::{CUSTOM_CERTIFICATE_CHILD, CUSTOM_DOMAIN_CHILD, KEY_VAULT, SERVICES};
use crate::facts::certificates::{BaseUri, classify_base_uri};
use crate::facts::links::service_of_child;
use crate::facts::producers::producer_of_service;
use crate::facts::summary::{
    CertificateFact, ChildFact, LinkFact, ResourceIdProperty, ServiceFact, Summary, VaultFact,
};
use crate::facts::{Finding, TemplateFacts};
use crate::rules::{denies_public_access, service_findings};
use crate::template::{DEPLOYMENTS, Resource, relative_path};

/// What other files' rules need of this template file, its places resolved while the file is
/// at hand.
pub fn summarize(facts: &TemplateFacts, resolver: &Resolver) -> Summary {
    let mut summary = Summary {
        links: facts
            .links
            .iter()
            .map(|l| {
                let unit = &facts.units[l.at.0];
                let r = facts.resource(l.at);
                LinkFact {
                    template: unit.file,
                    unit: l.at.0,
                    producer: l.producer,
                    service_type: l.service_type,
                    service: l.service.clone(),
                    id: l.id.clone(),
                    instance: l.instance.clone(),
                    target: l.target.clone(),
                    deployed: r.deployed,
                    group_ids: l.group_ids(),
                    resource_id: l.target_field.as_ref().map(|field| ResourceIdProperty {
                        anchor: resolver.anchor(unit.anchor(l.at.1, field.node)),
                        property: resolver.location(unit.file, field.node.span),
                        text: field
                            .value
                            .as_text()
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                    }),
                }
            })
            .collect(),
        approvals: facts.approvals.iter().map(|a| a.target.clone()).collect(),
        endpoints: facts.endpoints.iter().map(|e| e.target.clone()).collect(),
        ..Summary::default()
    };
    for (u, unit) in facts.units.iter().enumerate() {
        for (i, r) in unit.template.resources.iter().enumerate() {
            if r.existing {
                continue;
            }
            if let Some(path) = linked_template(r) {
                summary.linked.push(path);
                continue;
            }
            if r.is_type(KEY_VAULT) {
                let name = r.node.get("name");
                summary.vaults.push(VaultFact {
                    name: r.id.as_ref().map(|id| id.name().clone()),
                    deployed: r.deployed,
                    declared: resolver
                        .location(unit.file, name.map(|n| n.span).unwrap_or_default()),
                    denies: denies_public_access(facts, (u, i)).map(str::to_string),
                    has_name: name.is_some(),
                });
                continue;
            }
            if let Some(service_type) = producer_of_service(&r.type_name).map(|p| p.service_type)
                && let Some(id) = &r.id
            {
                summary.services.push(ServiceFact {
                    service_type,
                    id: id.clone(),
                    findings: service_findings(facts, (u, i))
                        .into_iter()
                        .map(|f: Finding| resolver.finding(f))
                        .collect(),
                });
                if SERVICES.iter().any(|s| r.is_type(s)) {
                    continue;
                }
            }
            if !r.deployed {
                continue;
            }
            let child = |service_type| ChildFact {
                service_type,
                service: r.parent_id(),
            };
            if let Some(service_type) = service_of_child(&r.type_name, CUSTOM_CERTIFICATE_CHILD) {
                let base_uri = r
                    .node
                    .path(&["properties", "keyVaultBaseUri"])
                    .and_then(|node| {
                        let text = unit.template.eval(i, node).as_text()?;
                        let BaseUri::Vault(vault) = classify_base_uri(&text) else {
                            return None;
                        };
                        Some((vault, resolver.anchor(unit.anchor(i, node))))
                    });
                summary.certificates.push(CertificateFact {
                    child: child(service_type),
                    id: r.id.clone(),
                    base_uri,
                });
            } else if let Some(service_type) = service_of_child(&r.type_name, CUSTOM_DOMAIN_CHILD) {
                summary.domains.push(child(service_type));
            }
        }
    }
    summary
}

/// The literal `templateLink.relativePath` of a deployment: a template deployed with this one.
fn linked_template(r: &Resource) -> Option<String> {
    if !r.is_type(DEPLOYMENTS) {
        return None;
    }
    relative_path(r.node).map(str::to_string)
}
