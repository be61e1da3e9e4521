//! The cross-file half of the analysis: every file's summary, in the order of the analysis set
//! (files sorted by path, a template's parameter files in order), and what the rules that look
//! across files need from them, indexed by target once so that each finding is answered in
//! constant time. Nothing here sees a file's text or tree.
//!
//! What may answer a finding from another file is `index`'s rule: known evidence from anywhere,
//! evidence that cannot be read only from the finding's own deployment.

use foldhash::{HashMap, HashMapExt};

use super::approvals::{TargetKey, same_vault};
use super::index::{Deployments, TargetIndex};
use super::links::Target;
use super::resolved::{LocatedRelated, Resolved};
use super::summary::{
    CertificateFact, CertificateOf, ChildFact, LinkFact, ServiceFact, Summary, Unless, VaultFact,
};
use crate::expr::{ResourceId, Text, fold_case};
use crate::source::FileId;

pub struct Evidence<'s> {
    summaries: Vec<&'s Summary>,
    deployments: Deployments,
    approvals: TargetIndex,
    connections: TargetIndex,
    services: ByName<(FileId, &'s ServiceFact)>,
    vaults: ByName<(FileId, &'s VaultFact)>,
    certificates: Vec<(FileId, &'s CertificateFact)>,
}

/// What the set makes of a finding that waits on it.
#[derive(Debug)]
pub enum Settled {
    /// Nothing answers it: it is reported.
    Fires(Resolved),
    /// Only another deployment answers it: not reported, but it would fire without context,
    /// so a suppression of it is still in use.
    AnsweredElsewhere(Resolved),
    /// Its own deployment answers it.
    Answered,
}

/// Items by the literal name they have (`fold_case`), the others apart: a literal name can only
/// certainly be a literal name, and a name with symbols only the same symbols.
struct ByName<T> {
    named: HashMap<String, Vec<T>>,
    unnamed: Vec<T>,
}

impl<T> Default for ByName<T> {
    fn default() -> Self {
        ByName {
            named: HashMap::new(),
            unnamed: Vec::new(),
        }
    }
}

impl<T> ByName<T> {
    fn add(&mut self, name: &Text, item: T) {
        match name.as_literal() {
            Some(literal) => self.named.entry(fold_case(literal)).or_default().push(item),
            None => self.unnamed.push(item),
        }
    }

    /// In set order, the items that may certainly be named `name`.
    fn candidates(&self, name: &Text) -> &[T] {
        match name.as_literal() {
            Some(literal) => self
                .named
                .get(&fold_case(literal))
                .map_or(&[], Vec::as_slice),
            None => &self.unnamed,
        }
    }
}

impl<'s> Evidence<'s> {
    /// `summaries`: each template file's summary, in set order.
    pub fn new(summaries: Vec<(FileId, &'s Summary)>, deployments: Deployments) -> Evidence<'s> {
        let mut evidence = Evidence {
            summaries: Vec::with_capacity(summaries.len()),
            deployments,
            approvals: TargetIndex::default(),
            connections: TargetIndex::default(),
            services: ByName::default(),
            vaults: ByName::default(),
            certificates: Vec::new(),
        };
        for (file, summary) in summaries {
            let d = evidence.deployments.of(file);
            for approval in &summary.approvals {
                evidence.approvals.add(d, approval.clone());
            }
            for link in summary.links.iter().filter(|l| l.deployed) {
                let key = match &link.target {
                    Target::Id(id) => TargetKey::of_id(id),
                    // A target we cannot read might be any.
                    _ => TargetKey::default(),
                };
                evidence.connections.add(d, key);
            }
            for endpoint in &summary.endpoints {
                evidence.connections.add(d, endpoint.clone());
            }
            for service in &summary.services {
                evidence.services.add(service.id.name(), (d, service));
            }
            for vault in &summary.vaults {
                if let (true, Some(name)) = (vault.has_name, &vault.name) {
                    evidence.vaults.add(name, (d, vault));
                }
            }
            evidence
                .certificates
                .extend(summary.certificates.iter().map(|c| (d, c)));
            evidence.summaries.push(summary);
        }
        evidence
    }

    /// Whether two template files are deployed together, so that what one cannot read of a
    /// target may still answer the other.
    pub fn deployed_together(&self, a: FileId, b: FileId) -> bool {
        self.deployments.same(a, b)
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
        self.service_in(service_type, id, None)
    }

    /// The same, only among the services of one deployment when one is given.
    fn service_in(
        &self,
        service_type: &str,
        id: &ResourceId,
        deployment: Option<FileId>,
    ) -> Option<&'s ServiceFact> {
        self.services
            .candidates(id.name())
            .iter()
            .find(|(d, s)| {
                deployment.is_none_or(|wanted| wanted == *d)
                    && s.service_type == service_type
                    && s.id.same_as(id) == Some(true)
            })
            .map(|(_, s)| *s)
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

    /// Whether the set has what a finding made in `deployment` waits for; `within`: counting
    /// only that deployment, as the finding's file alone would.
    fn has(&self, unless: &Unless, deployment: FileId, within: bool) -> bool {
        match unless {
            Unless::ApprovalFor(target) if within => {
                self.approvals.answers_within(target, deployment)
            }
            Unless::ApprovalFor(target) => self.approvals.answers(target, deployment),
            Unless::ConnectionTo(target) if within => {
                self.connections.answers_within(target, deployment)
            }
            Unless::ConnectionTo(target) => self.connections.answers(target, deployment),
            Unless::CertificateOf(wanted) => {
                let CertificateOf {
                    service_type,
                    service,
                    named,
                    other_service,
                } = wanted.as_ref();
                let scope = within.then_some(deployment);
                if self.service_in(service_type, service, scope).is_none() {
                    return true;
                }
                let Some(named) = named else {
                    return false;
                };
                let exists = self.certificates.iter().any(|(d, c)| match &c.id {
                    Some(declared) if *d == deployment => named.same_as(declared) != Some(false),
                    // Another deployment's certificate counts only where both IDs are read.
                    Some(declared) if !within => {
                        named.to_text().is_literal()
                            && declared.to_text().is_literal()
                            && named.same_as(declared) == Some(true)
                    }
                    _ => false,
                });
                exists && !other_service
            }
        }
    }

    /// "The vault is declared here", where the set declares it: in the finding's own
    /// deployment first.
    fn vault_declaration(&self, name: &Text, deployment: FileId) -> Option<LocatedRelated> {
        let declared = self.vaults.candidates(name).iter().filter(|(_, v)| {
            v.name
                .as_ref()
                .is_some_and(|declared| same_vault(declared, name) == Some(true))
        });
        let (_, vault) = declared
            .clone()
            .find(|(d, _)| *d == deployment)
            .or_else(|| declared.clone().next())?;
        Some(vault.declared_here())
    }

    /// A finding of the template file `from` as the whole set has it: answered when the set
    /// has what it waits for, else with the vault's declaration when it names one.
    pub fn settle(&self, mut finding: Resolved, from: FileId) -> Settled {
        let deployment = self.deployments.of(from);
        let unless = finding.unless.take();
        let answered = |within| {
            unless
                .as_ref()
                .is_some_and(|u| self.has(u, deployment, within))
        };
        if answered(false) {
            return if answered(true) {
                Settled::Answered
            } else {
                Settled::AnsweredElsewhere(finding)
            };
        }
        if let Some(related) = finding
            .vault
            .take()
            .and_then(|v| self.vault_declaration(&v, deployment))
        {
            finding.related.push(related);
        }
        Settled::Fires(finding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_name_finds_the_items_named_alike_in_any_case_and_only_them() {
        let unread = Text::symbol(crate::expr::Symbol::owned("parameters('v')", "t"));
        let mut by_name = ByName::default();
        by_name.add(&Text::literal("KV-Contoso-ΟΣ"), 1);
        by_name.add(&Text::literal("kv-other"), 2);
        by_name.add(&unread, 3);
        // A final capital sigma folds to a small sigma, as names compare (`Text::equals`).
        assert_eq!(by_name.candidates(&Text::literal("kv-contoso-οσ")), [1]);
        assert!(by_name.candidates(&Text::literal("kv-none")).is_empty());
        assert_eq!(by_name.candidates(&unread), [3]);
    }
}
