//! Layer 5, `template`: the template model. Every resource, whatever its shape (a `resources` array, a
//! languageVersion 2.0 object, a child nested in its parent, a nested deployment at any depth),
//! becomes one `Resource` with its full type, evaluated name and ID, parent, enclosing
//! deployment, condition, copy loop and dependencies. Each deployment (the root template and
//! every inline nested template) knows its parameters, variables, functions and where it
//! deploys to, and evaluates expressions in the right scope (`inner` or `outer`).

mod build;
mod instances;
mod names;
mod scope;

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use foldhash::HashMap;

use crate::expr::parser::{Parse, ParseError};
use crate::expr::{DeploymentScope, Expr, ResourceId, Value};
use crate::json::Node;

pub use build::{DEPLOYMENTS, Linked, linked_paths, relative_path};
pub use instances::MAX_INSTANCES;
use scope::ValueCache;
pub use scope::{Bindings, EvalScope};

pub type DeploymentId = usize;
pub type ResourceIndex = usize;

#[derive(Debug)]
pub struct Template<'a> {
    pub root: &'a Node<'a>,
    /// `deployments[0]` is the file's own template.
    pub deployments: Vec<Deployment<'a>>,
    /// In document order.
    pub resources: Vec<Resource<'a>>,
    /// Every expression string, with the scope it is evaluated in.
    pub expressions: Vec<ExpressionSite<'a>>,
    /// The site of each expression text, by where the text is: evaluation, the checks and the
    /// dependency graph share one parse of each.
    sites: HashMap<usize, usize>,
    /// Unique among the templates of a process; see `owner`.
    number: usize,
    /// Variables evaluated so far, per deployment; evaluation is lazy and memoised.
    variable_cache: Mutex<ValueCache>,
    /// Variables and parameters being evaluated right now, by thread, to cut cycles.
    in_progress: Mutex<Vec<(std::thread::ThreadId, (DeploymentId, String))>>,
}

#[derive(Debug)]
pub struct Deployment<'a> {
    /// The template object (a linked template's is in its own file's text).
    pub node: &'a Node<'a>,
    /// The `Microsoft.Resources/deployments` resource holding this template, if nested.
    pub parent: Option<ResourceIndex>,
    /// The deployment whose parameters, variables and functions expressions here see: itself,
    /// or for `outer` scope the enclosing one's.
    pub lookup: DeploymentId,
    pub scope: DeploymentScope,
    pub parameters: Vec<Parameter<'a>>,
    pub variables: Vec<Variable<'a>>,
    pub functions: Vec<Function<'a>>,
    /// `outputs`, by name.
    pub outputs: Vec<(&'a str, &'a Node<'a>)>,
}

#[derive(Debug)]
pub struct Parameter<'a> {
    pub name: &'a str,
    pub declaration: &'a Node<'a>,
    pub default: Option<&'a Node<'a>>,
    pub supplied: Option<Supplied<'a>>,
}

/// Where a parameter's value comes from, when not from its default.
#[derive(Debug, Clone, Copy)]
pub enum Supplied<'a> {
    /// `/parameters/x/value` in the paired parameter file (a literal, never evaluated).
    ParameterFile(&'a Node<'a>),
    /// `/parameters/x/expression` in the paired parameter file: a value its tool works out
    /// when it builds the parameters (a `.bicepparam` value, with that file's variables and
    /// imports written into it). Evaluated on its own: it names nothing of the template.
    ParameterFileExpression(&'a Node<'a>),
    /// A Key Vault reference in the parameter file: a value only known at deploy time.
    SecretReference(&'a Node<'a>),
    /// `properties.parameters.x.value` of the nested deployment, evaluated in the enclosing scope.
    Deployment(&'a Node<'a>),
}

#[derive(Debug)]
pub struct Variable<'a> {
    pub name: &'a str,
    pub value: VariableValue<'a>,
}

/// What gives a variable its value.
#[derive(Debug, Clone, Copy)]
pub enum VariableValue<'a> {
    /// The node under its name.
    Node(&'a Node<'a>),
    /// A variable copy loop (`{"name", "count", "input"}` in `variables.copy`): the array of its
    /// `input` at each index.
    Loop(&'a Node<'a>),
}

#[derive(Debug)]
pub struct Function<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub parameters: Vec<&'a str>,
    pub output: Option<&'a Node<'a>>,
}

#[derive(Debug)]
pub struct Resource<'a> {
    pub node: &'a Node<'a>,
    pub deployment: DeploymentId,
    /// The resource this one is nested in (classic child resources).
    pub parent: Option<ResourceIndex>,
    /// The key of a languageVersion 2.0 resource.
    pub symbolic_name: Option<&'a str>,
    /// The full type, e.g. `Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources`.
    pub type_name: String,
    pub api_version: Option<&'a str>,
    pub existing: bool,
    /// The full name (`service/link`), as evaluated.
    pub name: Value,
    /// The resource ID, when the name splits into one segment per type segment.
    pub id: Option<ResourceId>,
    /// `false` only when the condition certainly evaluates to false.
    pub deployed: bool,
    /// The entries of `dependsOn`: resource IDs, `resourceId()` calls, names or symbolic names,
    /// as written (the dependency graph resolves them).
    pub depends_on: Vec<&'a Node<'a>>,
    /// The literal `copy.name` of a resource loop.
    pub copy_name: Option<&'a str>,
    /// The template a nested deployment deploys, when inline, or linked by a `relativePath`
    /// that was read (that one for its outputs alone: none of its resources are in the model).
    pub nested: Option<DeploymentId>,
}

impl Resource<'_> {
    pub fn is_type(&self, full_type: &str) -> bool {
        self.type_name.eq_ignore_ascii_case(full_type)
    }

    pub fn get(&self, key: &str) -> Option<&Node<'_>> {
        self.node.get(key)
    }

    /// The ID of the resource a child (`service/link`) belongs to.
    pub fn parent_id(&self) -> Option<ResourceId> {
        self.id
            .as_ref()
            .filter(|id| id.types.len() >= 2)
            .map(|id| id.ancestor(id.types.len() - 1))
    }

    pub fn property(&self, path: &[&str]) -> Option<&Node<'_>> {
        self.node.get("properties")?.path(path)
    }
}

/// An expression string, parsed, and where it is evaluated.
#[derive(Debug, Clone)]
pub struct ExpressionSite<'a> {
    pub node: &'a Node<'a>,
    pub text: &'a str,
    /// Shared with the other sites that have the same text (`parser::parse_kept`).
    parsed: Arc<Parse>,
    pub deployment: DeploymentId,
    /// Inside a user-defined function's body: only that function's parameters are visible.
    pub function: Option<(DeploymentId, usize)>,
}

impl ExpressionSite<'_> {
    pub fn parsed(&self) -> &Result<Expr, ParseError> {
        &self.parsed
    }
}

impl<'a> Template<'a> {
    /// Builds the model of a template, with the paired parameter file's root if there is one.
    pub fn build(root: &'a Node<'a>, parameter_file: Option<&'a Node<'a>>) -> Template<'a> {
        build::build(root, parameter_file, &|_| None)
    }

    /// Builds the model with the templates its deployments link by `relativePath` (`linked`
    /// gives each one's root, when read), whose outputs `reference()` then reads.
    pub fn build_linked(
        root: &'a Node<'a>,
        parameter_file: Option<&'a Node<'a>>,
        linked: Linked<'_, 'a>,
    ) -> Template<'a> {
        build::build(root, parameter_file, linked)
    }

    /// The scope to evaluate a resource's own values in (its copy loop included).
    pub fn resource_scope(&self, index: ResourceIndex) -> EvalScope<'_, 'a> {
        let r = &self.resources[index];
        EvalScope::new(self, r.deployment, r.copy_name.map(|_| index))
    }

    pub fn eval(&self, index: ResourceIndex, node: &Node) -> Value {
        crate::expr::eval_node(node, &self.resource_scope(index))
    }

    /// The parse of an expression text of this template (the text inside `[...]` of one of its
    /// strings), when it is one of its sites.
    pub fn parsed(&self, text: &str) -> Option<&Result<Expr, ParseError>> {
        let site = self.sites.get(&(text.as_ptr() as usize))?;
        let site = &self.expressions[*site];
        (site.text.len() == text.len()).then_some(site.parsed())
    }

    /// The parse of an expression text: the site's, else a new one (for a string that is not a
    /// site, such as one under a member ARM does not evaluate).
    pub fn expression(&self, text: &str) -> Cow<'_, Result<Expr, ParseError>> {
        match self.parsed(text) {
            Some(parsed) => Cow::Borrowed(parsed),
            None => Cow::Owned(crate::expr::parser::parse(text)),
        }
    }

    /// The deployments that contain `deployment`, innermost first, ending with the root.
    pub fn enclosing(&self, deployment: DeploymentId) -> impl Iterator<Item = ResourceIndex> + '_ {
        std::iter::successors(self.deployments[deployment].parent, |&r| {
            self.deployments[self.resources[r].deployment].parent
        })
    }

    /// The owner of a deployment's own symbols (a parameter with no value, an unknown resource
    /// group): they equal nothing of another deployment or another template, whatever the
    /// names.
    pub fn owner(&self, deployment: DeploymentId) -> String {
        format!("{}@{deployment}", self.number)
    }

    /// Parameter declared (case-insensitively) in the deployment's lookup scope.
    pub fn parameter(&self, deployment: DeploymentId, name: &str) -> Option<&Parameter<'a>> {
        let d = &self.deployments[self.deployments[deployment].lookup];
        d.parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn variable(&self, deployment: DeploymentId, name: &str) -> Option<&Variable<'a>> {
        let d = &self.deployments[self.deployments[deployment].lookup];
        d.variables
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(name))
    }

    pub fn function(
        &self,
        deployment: DeploymentId,
        namespace: &str,
        name: &str,
    ) -> Option<&Function<'a>> {
        let d = &self.deployments[self.deployments[deployment].lookup];
        d.functions.iter().find(|f| {
            f.namespace.eq_ignore_ascii_case(namespace) && f.name.eq_ignore_ascii_case(name)
        })
    }
}
