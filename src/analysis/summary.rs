//! What one file's pass leaves for the rules that look across files: the shared links, vaults,
//! approvals, endpoint connections, services, certificates and domains it declares, each with
//! the facts those rules compare and its places already resolved. Small next to the file: the
//! text, tree and model are let go once this is made.

use super::approvals::TargetKey;
use super::azure::{CUSTOM_CERTIFICATE_CHILD, CUSTOM_DOMAIN_CHILD, KEY_VAULT, SERVICES};
use super::links::{Target, service_of_child};
use super::producers::{Producer, producer_of_service};
use super::resolve::{Located, LocatedAnchor, Resolved, Resolver};
use super::set::AnalysisSet;
use crate::expr::{ResourceId, Text};
use crate::rules::{Finding, service_findings};
use crate::source::FileId;

/// A condition a finding of one file waits for: it is reported only when no file of the
/// analysis set has what it names.
#[derive(Debug, Clone, PartialEq)]
pub enum Unless {
    /// An approval that may be for this target (WPS201).
    ApprovalFor(TargetKey),
    /// A deployed link or private endpoint that may connect to this target (WPS204).
    ConnectionTo(TargetKey),
    /// WPS305: the domain's service is declared, and no declared certificate of it may be the
    /// one named (`other_service`: the ID names another service's certificate).
    CertificateOf(Box<CertificateOf>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CertificateOf {
    pub service_type: &'static str,
    pub service: ResourceId,
    pub named: Option<ResourceId>,
    pub other_service: bool,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub links: Vec<LinkFact>,
    /// The target each approval is for, as far as it is known.
    pub approvals: Vec<TargetKey>,
    /// The target each private endpoint connection goes to, as far as it is known.
    pub endpoints: Vec<TargetKey>,
    pub vaults: Vec<VaultFact>,
    pub services: Vec<ServiceFact>,
    pub certificates: Vec<CertificateFact>,
    pub domains: Vec<ChildFact>,
}

#[derive(Debug)]
pub struct LinkFact {
    /// The template file, and which of its units (parameter files) this link is of.
    pub template: FileId,
    pub unit: usize,
    pub producer: &'static Producer,
    pub service_type: &'static str,
    pub service: Option<ResourceId>,
    pub target: Target,
    pub deployed: bool,
    /// The literal group IDs.
    pub group_ids: Vec<String>,
    pub resource_id: Option<ResourceIdProperty>,
}

/// A link's target ID property: where findings on it point, the property itself, and its
/// evaluated text.
#[derive(Debug)]
pub struct ResourceIdProperty {
    pub anchor: LocatedAnchor,
    pub property: Located,
    pub text: String,
}

#[derive(Debug)]
pub struct VaultFact {
    /// The vault's name, when its ID is known.
    pub name: Option<Text>,
    pub deployed: bool,
    /// Its `name` property (the whole file's start when it has none).
    pub declared: Located,
    /// Why it refuses public traffic, when it certainly does.
    pub denies: Option<&'static str>,
    pub has_name: bool,
}

/// The service of a producer, with the findings that depend on what else the set holds.
#[derive(Debug)]
pub struct ServiceFact {
    pub service_type: &'static str,
    pub id: ResourceId,
    /// WPS108, WPS303 and WPS304 as they would be reported on this service.
    pub findings: Vec<Resolved>,
}

#[derive(Debug)]
pub struct ChildFact {
    pub service_type: &'static str,
    pub service: Option<ResourceId>,
}

#[derive(Debug)]
pub struct CertificateFact {
    pub child: ChildFact,
    pub id: Option<ResourceId>,
    /// The vault its `keyVaultBaseUri` names, and where findings on that property point.
    pub base_uri: Option<(Text, LocatedAnchor)>,
}

impl Summary {
    pub fn collect(set: &AnalysisSet, resolver: &Resolver) -> Summary {
        let mut summary = Summary {
            links: set
                .links
                .iter()
                .map(|l| {
                    let unit = &set.units[l.at.0];
                    let r = set.resource(l.at);
                    LinkFact {
                        template: unit.file,
                        unit: l.at.0,
                        producer: l.producer,
                        service_type: l.service_type,
                        service: l.service.clone(),
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
            approvals: set.approvals.iter().map(|a| a.target.clone()).collect(),
            endpoints: set.endpoints.iter().map(|e| e.target.clone()).collect(),
            ..Summary::default()
        };
        for (u, unit) in set.units.iter().enumerate() {
            for (i, r) in unit.template.resources.iter().enumerate() {
                if r.existing {
                    continue;
                }
                if r.is_type(KEY_VAULT) {
                    let name = r.node.get("name");
                    summary.vaults.push(VaultFact {
                        name: r.id.as_ref().map(|id| id.name().clone()),
                        deployed: r.deployed,
                        declared: resolver
                            .location(unit.file, name.map(|n| n.span).unwrap_or_default()),
                        denies: crate::rules::denies_public_access(set, (u, i)),
                        has_name: name.is_some(),
                    });
                    continue;
                }
                if let Some(service_type) =
                    producer_of_service(&r.type_name).map(|p| p.service_type)
                    && let Some(id) = &r.id
                {
                    summary.services.push(ServiceFact {
                        service_type,
                        id: id.clone(),
                        findings: service_findings(set, (u, i))
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
                if let Some(service_type) = service_of_child(&r.type_name, CUSTOM_CERTIFICATE_CHILD)
                {
                    let base_uri =
                        r.node
                            .path(&["properties", "keyVaultBaseUri"])
                            .and_then(|node| {
                                let text = unit.template.eval(i, node).as_text()?;
                                let super::certificates::BaseUri::Vault(vault) =
                                    super::certificates::classify_base_uri(&text)
                                else {
                                    return None;
                                };
                                Some((vault, resolver.anchor(unit.anchor(i, node))))
                            });
                    summary.certificates.push(CertificateFact {
                        child: child(service_type),
                        id: r.id.clone(),
                        base_uri,
                    });
                } else if let Some(service_type) =
                    service_of_child(&r.type_name, CUSTOM_DOMAIN_CHILD)
                {
                    summary.domains.push(child(service_type));
                }
            }
        }
        summary
    }
}
