//! The evidence of a set indexed by target, so that the join answers each finding in constant
//! time, and the rule of what may answer a finding from another file (see `docs/context.md`):
//! evidence whose target is known (a literal type and name) counts from any deployment when it
//! names the same resource; evidence whose target cannot be read ("may be this one") counts
//! only inside its own deployment.

use foldhash::{HashMap, HashMapExt};

use super::approvals::TargetKey;
use crate::expr::fold_case;
use crate::source::FileId;

/// Which deployment each template file belongs to: a template with its nested deployments and
/// parameter files, joined with the templates it links by `templateLink.relativePath`. A
/// deployment is named by one of its template files.
#[derive(Debug, Default, Clone)]
pub struct Deployments {
    of: HashMap<FileId, FileId>,
}

impl Deployments {
    /// `groups`: files deployed together; a file in no group is a deployment of its own.
    pub fn new(groups: impl IntoIterator<Item = Vec<FileId>>) -> Deployments {
        let mut of = HashMap::new();
        for group in groups {
            if let Some(&first) = group.first() {
                of.extend(group.into_iter().map(|f| (f, first)));
            }
        }
        Deployments { of }
    }

    pub fn of(&self, file: FileId) -> FileId {
        self.of.get(&file).copied().unwrap_or(file)
    }

    pub fn same(&self, a: FileId, b: FileId) -> bool {
        self.of(a) == self.of(b)
    }
}

/// The literal name of a key whose type is known too, in the case names compare in: a target
/// that is read.
pub fn known_name(key: &TargetKey) -> Option<String> {
    key.type_name.as_ref()?;
    Some(fold_case(key.name.as_ref()?.as_literal()?))
}

/// Target keys with the deployment each comes from.
#[derive(Debug, Default)]
pub struct TargetIndex {
    /// Keys that are read, by name: any deployment may use them.
    named: HashMap<String, Vec<(FileId, TargetKey)>>,
    /// Keys that cannot be read, by deployment: only their own may use them.
    unread: HashMap<FileId, Vec<TargetKey>>,
    /// Every key, by deployment, for findings whose own target cannot be read.
    all: HashMap<FileId, Vec<TargetKey>>,
}

impl TargetIndex {
    pub fn add(&mut self, deployment: FileId, key: TargetKey) {
        match known_name(&key) {
            Some(name) => self
                .named
                .entry(name)
                .or_default()
                .push((deployment, key.clone())),
            None => self.unread.entry(deployment).or_default().push(key.clone()),
        }
        self.all.entry(deployment).or_default().push(key);
    }

    /// Whether the evidence answers a finding about `target` made in `deployment`: any key of
    /// that deployment that may be the target, or a key elsewhere that certainly is.
    pub fn answers(&self, target: &TargetKey, deployment: FileId) -> bool {
        self.answered(target, deployment, true)
    }

    /// Whether the deployment alone answers it: what the finding gets without context.
    pub fn answers_within(&self, target: &TargetKey, deployment: FileId) -> bool {
        self.answered(target, deployment, false)
    }

    fn answered(&self, target: &TargetKey, deployment: FileId, elsewhere: bool) -> bool {
        let within = |map: &HashMap<FileId, Vec<TargetKey>>| {
            map.get(&deployment)
                .is_some_and(|keys| keys.iter().any(|k| k.could_be(target)))
        };
        let Some(name) = known_name(target) else {
            return within(&self.all);
        };
        // A key read with another name is never the target, so only keys of its name and the
        // keys that cannot be read are compared.
        let named = self.named.get(&name).is_some_and(|keys| {
            keys.iter().any(|(d, k)| {
                if *d == deployment {
                    k.could_be(target)
                } else {
                    elsewhere && k.same(target) == Some(true)
                }
            })
        });
        named || within(&self.unread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Symbol, Text};

    fn key(type_name: &str, name: Text) -> TargetKey {
        TargetKey::of_type(type_name, Some(name))
    }

    const VAULT: &str = "Microsoft.KeyVault/vaults";
    const STORAGE: &str = "Microsoft.Storage/storageAccounts";

    #[test]
    fn unread_evidence_answers_only_its_own_deployment() {
        let unread = key(VAULT, Text::symbol(Symbol::new("parameters('vault')")));
        let mut index = TargetIndex::default();
        index.add(1, unread);
        let wanted = key(VAULT, Text::literal("kv-one"));
        assert!(index.answers(&wanted, 1));
        assert!(!index.answers(&wanted, 2), "another deployment's guess");
    }

    #[test]
    fn known_evidence_answers_any_deployment_naming_the_same_resource() {
        let mut index = TargetIndex::default();
        index.add(1, key(VAULT, Text::literal("KV-One")));
        index.add(1, key(STORAGE, Text::literal("kv-two")));
        assert!(index.answers(&key(VAULT, Text::literal("kv-one")), 2));
        assert!(!index.answers(&key(VAULT, Text::literal("kv-two")), 2));
        assert!(
            !index.answers(&key(STORAGE, Text::literal("kv-one")), 1),
            "an approval on a vault never answers a link to a storage account"
        );
        // A finding whose own target cannot be read is answered only in its deployment.
        let unread = key(VAULT, Text::symbol(Symbol::new("parameters('vault')")));
        assert!(index.answers(&unread, 1));
        assert!(!index.answers(&unread, 2));
    }

    #[test]
    fn deployments_group_linked_files() {
        let deployments = Deployments::new([vec![3, 5]]);
        assert!(deployments.same(3, 5));
        assert!(!deployments.same(3, 4));
        assert_eq!(deployments.of(4), 4);
    }
}
