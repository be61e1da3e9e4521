//! What one file's pass leaves for the rules that look across files: the shared links, vaults,
//! approvals, endpoint connections, services, certificates and domains it declares, each with
//! the facts those rules compare and its places already resolved. Small next to the file: the
//! text, tree and model are let go once this is made.

use serde::{Deserialize, Serialize};

use super::approvals::TargetKey;
use super::links::Target;
use super::producers::{self, Producer, ServiceType};
use super::resolved::{FilePlaces, Located, LocatedAnchor, LocatedRelated, Renumber, Resolved};
use crate::expr::{ResourceId, Text};
use crate::source::FileId;

/// A condition a finding of one file waits for: it is reported only when no file of the
/// analysis set has what it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Unless {
    /// An approval that may be for this target (WPS201).
    ApprovalFor(TargetKey),
    /// A deployed link or private endpoint that may connect to this target (WPS204).
    ConnectionTo(TargetKey),
    /// WPS305: the domain's service is declared, and no declared certificate of it may be the
    /// one named (`other_service`: the ID names another service's certificate).
    CertificateOf(Box<CertificateOf>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateOf {
    #[serde(with = "producers::service_type")]
    pub service_type: ServiceType,
    pub service: ResourceId,
    pub named: Option<ResourceId>,
    pub other_service: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
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
    /// The templates its deployments link by `templateLink.relativePath`, as written: they
    /// are deployed with it.
    pub linked: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct LinkFact {
    /// The template file, and which of its units (parameter files) this link is of.
    pub template: FileId,
    pub unit: usize,
    #[serde(with = "producers::by_link_type")]
    pub producer: &'static Producer,
    #[serde(with = "producers::service_type")]
    pub service_type: ServiceType,
    pub service: Option<ResourceId>,
    /// The link's own resource ID, when known (see `SharedLink::id`).
    pub id: Option<ResourceId>,
    /// Which instance of its copy loops it is (see `SharedLink::instance`).
    pub instance: Option<String>,
    pub target: Target,
    pub deployed: bool,
    /// The literal group IDs.
    pub group_ids: Vec<String>,
    pub resource_id: Option<ResourceIdProperty>,
}

/// A link's target ID property: where findings on it point, the property itself, and its
/// evaluated text.
#[derive(Debug, Serialize, Deserialize)]
pub struct ResourceIdProperty {
    pub anchor: LocatedAnchor,
    pub property: Located,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct VaultFact {
    /// The vault's name, when its ID is known.
    pub name: Option<Text>,
    pub deployed: bool,
    /// Its `name` property (the whole file's start when it has none).
    pub declared: Located,
    /// Why it refuses public traffic, when it certainly does.
    pub denies: Option<String>,
    pub has_name: bool,
}

/// The service of a producer, with the findings that depend on what else the set holds.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServiceFact {
    #[serde(with = "producers::service_type")]
    pub service_type: ServiceType,
    pub id: ResourceId,
    /// WPS108, WPS303 and WPS304 as they would be reported on this service.
    pub findings: Vec<Resolved>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ChildFact {
    #[serde(with = "producers::service_type")]
    pub service_type: ServiceType,
    pub service: Option<ResourceId>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CertificateFact {
    pub child: ChildFact,
    pub id: Option<ResourceId>,
    /// The vault its `keyVaultBaseUri` names, and where findings on that property point.
    pub base_uri: Option<(Text, LocatedAnchor)>,
}

impl VaultFact {
    /// "The vault is declared here": the related place every finding about the vault shows.
    pub fn declared_here(&self) -> LocatedRelated {
        self.declared.related("the vault is declared here")
    }
}

impl Renumber for Summary {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        for link in &mut self.links {
            link.template.renumber(places)?;
            if let Some(property) = &mut link.resource_id {
                property.anchor.renumber(places)?;
                property.property.renumber(places)?;
            }
        }
        for vault in &mut self.vaults {
            vault.declared.renumber(places)?;
        }
        for service in &mut self.services {
            service.findings.renumber(places)?;
        }
        for certificate in &mut self.certificates {
            if let Some((_, anchor)) = &mut certificate.base_uri {
                anchor.renumber(places)?;
            }
        }
        Some(())
    }
}
