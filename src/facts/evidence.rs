//! The cross-file half of the analysis: every file's summary, in the order of the analysis set
//! (files sorted by path, a template's parameter files in order), and what the rules that look
//! across files need from them. Nothing here sees a file's text or tree.

use super::approvals::{TargetKey, same_vault};
use super::links::Target;
use super::resolved::{LocatedRelated, Resolved};
use super::summary::{
    CertificateFact, CertificateOf, ChildFact, LinkFact, ServiceFact, Summary, Unless, VaultFact,
};
use crate::expr::{ResourceId, Text};

pub struct Evidence<'s> {
    summaries: Vec<&'s Summary>,
}

impl<'s> Evidence<'s> {
    pub fn new(summaries: Vec<&'s Summary>) -> Evidence<'s> {
        Evidence { summaries }
    }

    pub fn links(&self) -> impl Iterator<Item = &'s LinkFact> + '_ {
        self.summaries.iter().flat_map(|s| &s.links)
    }

    pub fn deployed_links(&self) -> impl Iterator<Item = &'s LinkFact> + '_ {
        self.links().filter(|l| l.deployed)
    }

    pub fn vaults(&self) -> impl Iterator<Item = &'s VaultFact> + '_ {
        self.summaries.iter().flat_map(|s| &s.vaults)
    }

    pub fn services(&self) -> impl Iterator<Item = &'s ServiceFact> + '_ {
        self.summaries.iter().flat_map(|s| &s.services)
    }

    pub fn certificates(&self) -> impl Iterator<Item = &'s CertificateFact> + '_ {
        self.summaries.iter().flat_map(|s| &s.certificates)
    }

    pub fn domains(&self) -> impl Iterator<Item = &'s ChildFact> + '_ {
        self.summaries.iter().flat_map(|s| &s.domains)
    }

    /// The first declared service of this type with this ID.
    pub fn service(&self, service_type: &str, id: &ResourceId) -> Option<&'s ServiceFact> {
        self.services()
            .find(|s| s.service_type == service_type && s.id.same_as(id) == Some(true))
    }

    /// The declared services that have any of these children, once each, in set order.
    pub fn services_with<'c>(
        &self,
        children: impl Iterator<Item = &'c ChildFact>,
    ) -> Vec<&'s ServiceFact> {
        let mut services: Vec<&ServiceFact> = Vec::new();
        for child in children {
            if let Some(service) = child
                .service
                .as_ref()
                .and_then(|id| self.service(child.service_type, id))
                && !services.iter().any(|s| std::ptr::eq(*s, service))
            {
                services.push(service);
            }
        }
        services
    }

    /// Whether the set has what a finding waits for.
    fn has(&self, unless: &Unless) -> bool {
        match unless {
            Unless::ApprovalFor(target) => self
                .summaries
                .iter()
                .flat_map(|s| &s.approvals)
                .any(|a| a.could_be(target)),
            Unless::ConnectionTo(target) => {
                let linked = self.deployed_links().any(|l| match &l.target {
                    Target::Id(id) => TargetKey::of_id(id).could_be(target),
                    // A target we cannot read might be this one.
                    _ => true,
                });
                linked
                    || self
                        .summaries
                        .iter()
                        .flat_map(|s| &s.endpoints)
                        .any(|e| e.could_be(target))
            }
            Unless::CertificateOf(wanted) => {
                let CertificateOf {
                    service_type,
                    service,
                    named,
                    other_service,
                } = wanted.as_ref();
                if self.service(service_type, service).is_none() {
                    return true;
                }
                let exists = self.certificates().any(|c| match (named, &c.id) {
                    (Some(named), Some(declared)) => named.same_as(declared) != Some(false),
                    _ => false,
                });
                exists && !other_service
            }
        }
    }

    /// "The vault is declared here", where the set declares it.
    fn vault_declaration(&self, name: &Text) -> Option<LocatedRelated> {
        let vault = self.vaults().find(|v| {
            v.has_name
                && v.name
                    .as_ref()
                    .is_some_and(|declared| same_vault(declared, name) == Some(true))
        })?;
        Some(vault.declared_here())
    }

    /// A file's finding as the whole set has it: dropped when the set has what it waits for,
    /// with the vault's declaration when it names one.
    pub fn settle(&self, mut finding: Resolved) -> Option<Resolved> {
        if finding.unless.take().is_some_and(|u| self.has(&u)) {
            return None;
        }
        if let Some(related) = finding
            .vault
            .take()
            .and_then(|v| self.vault_declaration(&v))
        {
            finding.related.push(related);
        }
        Some(finding)
    }
}
