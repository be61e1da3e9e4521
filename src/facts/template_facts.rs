//! The facts of one template file: the file modelled with each of its parameter files (one
//! `Unit` each), and the links, approvals and endpoint connections found in them, shared by
//! the checks of that file. What other files contribute reaches the checks only through
//! summaries (see `summary` and `evidence`). The analysis set, in the user's words, is every
//! file of a run.

use std::sync::OnceLock;

use foldhash::HashMap;

use super::approvals::{self, Approval, EndpointConnection};
use super::finding::RelatedSpan;
use super::graph::Graph;
use super::links::{self, SharedLink};
use crate::diagnostic::Span;
use crate::expr::{ExprKind, ResourceId, StringForm, classify, fold_case};
use crate::json::{Document, Node};
use crate::source::FileId;
use crate::template::{DeploymentId, Resource, ResourceIndex, Supplied, Template};

/// A resource of the set: the unit it is in and its index there.
pub type ResourceRef = (usize, ResourceIndex);

/// One template file evaluated with one parameter file.
pub struct Unit<'a> {
    pub file: FileId,
    pub parameters: Option<FileId>,
    pub template: Template<'a>,
    /// Built on first use: only approval checks need it.
    graph: OnceLock<Graph>,
}

pub struct TemplateFacts<'a> {
    /// The documents of the units, by file.
    docs: Vec<(FileId, &'a Document<'a>)>,
    /// In file order.
    pub units: Vec<Unit<'a>>,
    /// Every link of the set, of every producer, in document order.
    pub links: Vec<SharedLink<'a>>,
    pub approvals: Vec<Approval>,
    pub endpoints: Vec<EndpointConnection>,
    declared: Declared,
}

/// The declared (not `existing`) resources of the set by type, and by the literal name of their
/// ID, so that a lookup by ID compares the few that may be it, not every resource.
#[derive(Default)]
struct Declared {
    /// By full type in ASCII lower case, in set order.
    by_type: HashMap<String, Vec<ResourceRef>>,
    /// By full type and the literal name of their ID, in lower case.
    by_name: HashMap<(String, String), Vec<ResourceRef>>,
    /// By full type: those whose ID has a name that is not literal and may be any.
    unread: HashMap<String, Vec<ResourceRef>>,
}

impl Declared {
    fn new(units: &[Unit]) -> Declared {
        let mut declared = Declared::default();
        for (u, unit) in units.iter().enumerate() {
            for (i, r) in unit.template.resources.iter().enumerate() {
                if r.existing {
                    continue;
                }
                let full_type = r.type_name.to_ascii_lowercase();
                let name =
                    r.id.as_ref()
                        .map(|id| id.name().as_literal().map(fold_case));
                match name {
                    Some(Some(name)) => declared
                        .by_name
                        .entry((full_type.clone(), name))
                        .or_default()
                        .push((u, i)),
                    Some(None) => declared
                        .unread
                        .entry(full_type.clone())
                        .or_default()
                        .push((u, i)),
                    None => {}
                }
                declared.by_type.entry(full_type).or_default().push((u, i));
            }
        }
        declared
    }

    /// Those of the type whose ID may be `id`, in set order.
    fn may_be(&self, full_type: &str, id: &ResourceId) -> Vec<ResourceRef> {
        let full_type = full_type.to_ascii_lowercase();
        let Some(name) = id.name().as_literal() else {
            return self.by_type.get(&full_type).cloned().unwrap_or_default();
        };
        let mut found: Vec<ResourceRef> = self
            .by_name
            .get(&(full_type.clone(), fold_case(name)))
            .into_iter()
            .chain(self.unread.get(&full_type))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found
    }
}

/// Where a finding points: a file and span, and the related place that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub file: FileId,
    pub span: Span,
    pub related: Vec<RelatedSpan>,
    /// The parameter file of the unit the anchor was found in.
    pub parameters: Option<FileId>,
}

/// Resources from which a template's dependency graph is built before any check asks for it.
const GRAPH_AHEAD: usize = 1000;

impl<'a> TemplateFacts<'a> {
    pub fn new(docs: Vec<(FileId, &'a Document<'a>)>, units: Vec<Unit<'a>>) -> TemplateFacts<'a> {
        let mut facts = TemplateFacts {
            docs,
            units,
            links: Vec::new(),
            approvals: Vec::new(),
            endpoints: Vec::new(),
            declared: Declared::default(),
        };
        facts.declared = Declared::new(&facts.units);
        // The checks of links and approvals wait for the dependency graphs: on a large file
        // they are built on the other core while the links and approvals are gathered. A small
        // one builds a graph only if a check asks for it (most never do).
        let (links, (approvals, endpoints)) = rayon::join(
            || links::collect(&facts),
            || {
                for unit in &facts.units {
                    if unit.template.resources.len() >= GRAPH_AHEAD {
                        unit.graph();
                    }
                }
                approvals::collect(&facts)
            },
        );
        (facts.links, facts.approvals, facts.endpoints) = (links, approvals, endpoints);
        facts
    }

    /// Whether two units are one template with different parameter files (`main.parameters.dev`
    /// and `main.parameters.prod`): alternative deployments, never deployed together.
    pub fn alternatives(&self, a: usize, b: usize) -> bool {
        a != b && self.units[a].file == self.units[b].file
    }

    /// The text of a file of the set.
    pub fn text(&self, id: FileId) -> &'a str {
        self.docs
            .iter()
            .find(|(file, _)| *file == id)
            .map(|(_, doc)| doc.text)
            .expect("a file of the set")
    }

    pub fn docs(&self) -> &[(FileId, &'a Document<'a>)] {
        &self.docs
    }

    pub fn resource(&self, (u, i): ResourceRef) -> &Resource<'a> {
        &self.units[u].template.resources[i]
    }

    /// Every resource of a type (full type, case-insensitive) that is declared, not `existing`.
    pub fn resources_of<'s>(&'s self, full_type: &str) -> impl Iterator<Item = ResourceRef> + 's {
        self.declared
            .by_type
            .get(&full_type.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .copied()
    }

    /// The declared resources of a type whose ID is certainly `id`, in set order.
    pub fn with_id<'s>(
        &'s self,
        full_type: &str,
        id: &'s ResourceId,
    ) -> impl Iterator<Item = ResourceRef> + 's {
        self.declared
            .may_be(full_type, id)
            .into_iter()
            .filter(move |&at| {
                self.resource(at)
                    .id
                    .as_ref()
                    .is_some_and(|own| own.same_as(id) == Some(true))
            })
    }

    /// The declared resource with this ID, when the set certainly holds it.
    pub fn find(&self, full_type: &str, id: &ResourceId) -> Option<ResourceRef> {
        self.with_id(full_type, id).next()
    }

    /// `from` depends on `to` (both in one template file), directly or transitively.
    pub fn depends_on(&self, from: ResourceRef, to: ResourceRef) -> bool {
        from.0 == to.0 && self.units[from.0].graph().depends_on(from.1, to.1)
    }

    /// Everything `from` depends on (in its template file), directly or transitively.
    pub fn dependencies(&self, from: ResourceRef) -> impl Iterator<Item = ResourceRef> + '_ {
        let (u, i) = from;
        self.units[u]
            .graph()
            .dependencies(i)
            .iter()
            .map(move |&d| (u, d))
    }
}

impl<'a> Unit<'a> {
    pub fn new(file: FileId, parameters: Option<FileId>, template: Template<'a>) -> Unit<'a> {
        Unit {
            file,
            parameters,
            template,
            graph: OnceLock::new(),
        }
    }

    /// The dependency graph, built when first asked. Rule checks run in parallel and wait
    /// here for the one that builds it, so the build must not run rayon jobs: waiting on one,
    /// its thread could take another check that waits on this same lock.
    pub fn graph(&self) -> &Graph {
        self.graph.get_or_init(|| Graph::build(&self.template))
    }

    /// The anchor for a property value of resource `r`. When the value is exactly
    /// `[parameters('x')]` and `x` comes from the parameter file (directly, or passed down
    /// into a nested deployment the same way), the anchor is that value in the parameter file
    /// and the property is a related location.
    pub fn anchor(&self, r: ResourceIndex, node: &'a Node<'a>) -> Anchor {
        let deployment = self.template.resources[r].deployment;
        match self.parameter_file_value(deployment, node, 0) {
            Some(value) => Anchor {
                file: self
                    .parameters
                    .expect("a parameter-file value has a parameter file"),
                span: value.span,
                related: vec![RelatedSpan {
                    file: self.file,
                    span: node.span,
                    message: "the template property that takes this value".into(),
                }],
                parameters: self.parameters,
            },
            None => self.at(node),
        }
    }

    /// The node an anchor for this property lands on: the parameter file's value or the property.
    pub fn anchored_value(&self, r: ResourceIndex, node: &'a Node<'a>) -> &'a Node<'a> {
        let deployment = self.template.resources[r].deployment;
        self.parameter_file_value(deployment, node, 0)
            .unwrap_or(node)
    }

    /// An anchor on a node of the template file itself.
    pub fn at(&self, node: &Node) -> Anchor {
        Anchor {
            file: self.file,
            span: node.span,
            related: Vec::new(),
            parameters: self.parameters,
        }
    }

    fn parameter_file_value(
        &self,
        deployment: DeploymentId,
        node: &Node,
        depth: usize,
    ) -> Option<&'a Node<'a>> {
        let name = sole_parameter(&self.template, node)?;
        let t = &self.template;
        match t.parameter(deployment, &name)?.supplied? {
            Supplied::ParameterFile(value) | Supplied::ParameterFileExpression(value) => {
                Some(value)
            }
            // A nested deployment passes `[parameters('y')]` down: follow it (bounded by depth).
            Supplied::Deployment(passed) if depth < 16 => {
                let holder = t.deployments[t.deployments[deployment].lookup].parent?;
                self.parameter_file_value(t.resources[holder].deployment, passed, depth + 1)
            }
            _ => None,
        }
    }
}

/// `x` when the node is exactly the expression `[parameters('x')]`.
fn sole_parameter(template: &Template, node: &Node) -> Option<String> {
    let StringForm::Expression(text) = classify(node.as_str()?) else {
        return None;
    };
    let parsed = template.expression(text);
    let expr = parsed.as_ref().as_ref().ok()?;
    match &expr.kind {
        ExprKind::Call {
            namespace: None,
            name,
            args,
        } if name.eq_ignore_ascii_case("parameters") && args.len() == 1 => {
            args[0].as_literal_str().map(str::to_string)
        }
        _ => None,
    }
}
