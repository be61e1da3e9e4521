//! What the rules read: one template file modelled with each of its parameter files
//! (`TemplateFacts`), the links, approvals, certificates and dependency graph found in it, the
//! producers and Azure facts they are judged by, every file's summary and the cross-file
//! evidence built from the summaries, and the finding type the rules report. Nothing here runs a
//! rule or parses text.

pub mod approvals;
pub mod azure;
pub mod certificates;
mod evidence;
mod finding;
mod graph;
mod index;
pub mod links;
pub mod producers;
mod resolved;
pub mod summary;
mod template_facts;

pub use evidence::{Evidence, Settled};
pub use finding::{Dependency, Finding, FixSpec, RelatedSpan};
pub use index::Deployments;
pub use resolved::{FilePlaces, Located, LocatedAnchor, LocatedRelated, Renumber, Resolved};
pub use summary::{CertificateOf, LinkFact, ServiceFact, Summary, Unless};
pub use template_facts::{Anchor, ResourceRef, TemplateFacts, Unit};
