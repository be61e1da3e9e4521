//! What the linter evaluated at one place of a template, for an editor's hover: the value of
//! the JSON value at a pointer (parameters, variables and functions worked out, unknown parts
//! shown as the expressions they are), where a `[parameters('x')]` takes its value from, and
//! for a link's target or a certificate's vault address, what the rules read from them. The
//! template is read as its pass reads it, so a Bicep file is lowered (its modules included)
//! and a `.bicepparam` counts only for the template its `using` names. A pure function of the
//! texts, like the rest of the analysis.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use super::pass::{Read, parameter_document, template_document};
use crate::expr::{ExprKind, StringForm, Value, classify, eval_node};
use crate::facts::certificates::{BaseUri, classify_base_uri};
use crate::facts::links::{Target, classify_target};
use crate::facts::producers::{producer_of, target_groups};
use crate::json::{Document, Node};
use crate::template::{EvalScope, Supplied, Template};

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// The value before deployment; what only deployment knows reads as `[expression]`.
    pub value: String,
    /// For exactly `[parameters('x')]`: where `x` takes its value from.
    pub origin: Option<String>,
    /// For a link's target ID: the target's resource type and the group IDs it takes from the
    /// link's service (empty when not checked).
    pub target: Option<(String, Vec<&'static str>)>,
    /// For a `keyVaultBaseUri`: the vault it names.
    pub vault: Option<String>,
}

/// A template file read as its pass reads it, for evaluating places in it.
pub struct Inspected<'t> {
    path: PathBuf,
    doc: Document<'t>,
    /// Where other files' texts come from: a `.bicepparam`'s base file too.
    read: Read<'t>,
}

impl<'t> Inspected<'t> {
    /// The template at `path` (its local modules are read beside it, through `read`; for
    /// Bicep the tree's text, the template's and its modules', is kept in `whole`). `None`
    /// only when its lowering is stopped, which nothing here asks for.
    pub fn new(
        path: &Path,
        text: &'t str,
        read: Read<'t>,
        whole: &'t OnceCell<String>,
    ) -> Option<Inspected<'t>> {
        let (doc, _, _) = template_document(
            path,
            path.parent(),
            text,
            &|p| read.read(p),
            &Default::default(),
            &|| false,
            whole,
        )?;
        Some(Inspected {
            path: path.to_path_buf(),
            doc,
            read,
        })
    }

    /// The tree (lowered, for Bicep, with spans in its text); `None` when the text does not
    /// parse.
    pub fn root(&self) -> Option<&Node<'t>> {
        self.doc.root.as_ref().ok()
    }

    /// The evaluation of the value at `pointer` (RFC 6901) with a parameter file (its path and
    /// text), or with the defaults. `None` when nothing is at the pointer, or the parameter
    /// file is a `.bicepparam` for another template.
    pub fn evaluate(&self, parameters: Option<(&Path, &str)>, pointer: &str) -> Option<Evaluated> {
        let root = self.root()?;
        let parameter_doc = match parameters {
            Some((file, text)) => Some(parameter_document(file, text, &self.path, &|p| {
                self.read.read(p)
            })?),
            None => None,
        };
        let parameter_root = parameter_doc.as_ref().and_then(|d| d.root.as_ref().ok());
        let node = root.at_pointer(pointer)?;
        evaluate(root, parameter_root, node, pointer)
    }
}

fn evaluate(
    root: &Node,
    parameter_root: Option<&Node>,
    node: &Node,
    pointer: &str,
) -> Option<Evaluated> {
    let t = Template::build(root, parameter_root);
    // The innermost resource holding the value evaluates it (its deployment, its copy loop).
    // A Bicep module's template has every span on the `module` statement: the first of equals
    // is the module's own deployment, whose scope its `params` are evaluated in.
    let resource = (0..t.resources.len())
        .filter(|&i| {
            let span = t.resources[i].node.span;
            span.start <= node.span.start && node.span.end <= span.end
        })
        .min_by_key(|&i| {
            let span = t.resources[i].node.span;
            span.end - span.start
        });
    let (value, deployment) = match resource {
        Some(i) => (t.eval(i, node), t.resources[i].deployment),
        None => (eval_node(node, &EvalScope::new(&t, 0, None)), 0),
    };
    let property = pointer.rsplit('/').next().unwrap_or_default();
    let target = property
        .eq_ignore_ascii_case("privateLinkResourceId")
        .then(|| match classify_target(&value) {
            Target::Id(id) => {
                let target_type = id.type_name();
                let groups = resource
                    .and_then(|i| producer_of(&t.resources[i].type_name))
                    .and_then(|p| target_groups(p, &target_type))
                    .map(<[&str]>::to_vec)
                    .unwrap_or_default();
                Some((target_type, groups))
            }
            _ => None,
        })
        .flatten();
    let vault = property
        .eq_ignore_ascii_case("keyVaultBaseUri")
        .then(|| match value.as_text().map(|t| classify_base_uri(&t)) {
            Some(BaseUri::Vault(name)) => Some(shown(&Value::String(name))),
            _ => None,
        })
        .flatten();
    Some(Evaluated {
        value: shown(&value),
        origin: origin(&t, deployment, node),
        target,
        vault,
    })
}

/// A value as a user reads it in a template: symbols as the expressions they stand for.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text
            .parts()
            .iter()
            .map(|part| match part {
                crate::expr::Part::Lit(s) => s.clone(),
                crate::expr::Part::Sym(sym) => format!("[{}]", sym.shown()),
            })
            .collect(),
        Value::Symbol(sym) => format!("[{}]", sym.shown()),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(shown).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(members) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{k}: {}", shown(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.describe(),
    }
}

/// Where `x` of a value that is exactly `[parameters('x')]` comes from.
fn origin(t: &Template, deployment: usize, node: &Node) -> Option<String> {
    let StringForm::Expression(text) = classify(node.as_str()?) else {
        return None;
    };
    let parsed = t.expression(text);
    let expr = parsed.as_ref().as_ref().ok()?;
    let ExprKind::Call { name, args, .. } = &expr.kind else {
        return None;
    };
    if !name.eq_ignore_ascii_case("parameters") || args.len() != 1 {
        return None;
    }
    let parameter = t.parameter(deployment, args[0].as_literal_str()?)?;
    Some(
        match parameter.supplied {
            Some(Supplied::ParameterFile(_) | Supplied::ParameterFileExpression(_)) => {
                "the parameter file"
            }
            Some(Supplied::SecretReference(_)) => {
                "a Key Vault reference in the parameter file (known at deployment)"
            }
            Some(Supplied::Deployment(_)) => "the nested deployment's `parameters`",
            None if parameter.default.is_some() => "its default value",
            None => "no value before deployment (no default, no parameter file)",
        }
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LoadOptions;

    const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {
    "kv": { "type": "string", "defaultValue": "kv-default" },
    "service": { "type": "string" }
  },
  "resources": [
    {
      "type": "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
      "apiVersion": "2024-03-01",
      "name": "[format('{0}/kv', parameters('service'))]",
      "properties": {
        "groupId": "vault",
        "privateLinkResourceId": "[resourceId('Microsoft.KeyVault/vaults', parameters('kv'))]",
        "requestMessage": "[parameters('kv')]"
      }
    },
    {
      "type": "Microsoft.SignalRService/webPubSub/customCertificates",
      "apiVersion": "2024-03-01",
      "name": "[format('{0}/cert', parameters('service'))]",
      "properties": { "keyVaultBaseUri": "[format('https://{0}.vault.azure.net/', parameters('kv'))]" }
    }
  ]
}"#;

    /// Reads files from `files` (path, text) instead of the disk.
    fn texts(files: &[(&str, &str)]) -> LoadOptions {
        LoadOptions {
            overlays: files
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.to_string()))
                .collect(),
            ..LoadOptions::default()
        }
    }

    #[test]
    fn evaluates_what_the_rules_read() {
        let read = texts(&[]);
        let whole = OnceCell::new();
        let template = Inspected::new(Path::new("/ws/t.json"), TEMPLATE, &read, &whole).unwrap();
        let at = |parameters: Option<&str>, pointer: &str| {
            template.evaluate(
                parameters.map(|text| (Path::new("/ws/t.parameters.json"), text)),
                pointer,
            )
        };
        let id = at(None, "/resources/0/properties/privateLinkResourceId").unwrap();
        assert_eq!(
            id.value,
            "/subscriptions/[subscription().subscriptionId]/resourceGroups/[resourceGroup().name]/providers/Microsoft.KeyVault/vaults/kv-default"
        );
        assert_eq!(
            id.target,
            Some(("Microsoft.KeyVault/vaults".to_string(), vec!["vault"]))
        );
        let from_default = at(None, "/resources/0/properties/requestMessage").unwrap();
        assert_eq!(from_default.value, "kv-default");
        assert_eq!(from_default.origin.as_deref(), Some("its default value"));
        let parameters = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
            "parameters": {"kv": {"value": "kv-prod"}}}"#;
        let from_file = at(Some(parameters), "/resources/0/properties/requestMessage").unwrap();
        assert_eq!(from_file.value, "kv-prod");
        assert_eq!(from_file.origin.as_deref(), Some("the parameter file"));
        let uri = at(Some(parameters), "/resources/1/properties/keyVaultBaseUri").unwrap();
        assert_eq!(uri.value, "https://kv-prod.vault.azure.net/");
        assert_eq!(uri.vault.as_deref(), Some("kv-prod"));
        let name = at(None, "/resources/0/name").unwrap();
        assert_eq!(name.value, "[parameters('service')]/kv");
        assert_eq!(at(None, "/resources/9"), None);
        let whole = OnceCell::new();
        let broken = Inspected::new(Path::new("/ws/t.json"), "{", &read, &whole).unwrap();
        assert_eq!(broken.evaluate(None, ""), None);
    }

    const BICEP: &str = "param kv string = 'kv-default'

module vault 'modules/vault.bicep' = {
  name: 'vault'
  params: {
    vaultName: kv
  }
}

resource wps 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: 'wps'

  resource link 'sharedPrivateLinkResources' = {
    name: 'kv-link'
    properties: {
      groupId: 'vault'
      privateLinkResourceId: vault.outputs.id
      requestMessage: kv
    }
  }
}
";

    #[test]
    fn evaluates_bicep_through_its_modules_and_bicepparam_files() {
        let module = "param vaultName string\n\nresource v 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: vaultName\n}\n\noutput id string = v.id\n";
        let read = texts(&[("/ws/modules/vault.bicep", module)]);
        let whole = OnceCell::new();
        let template = Inspected::new(Path::new("/ws/main.bicep"), BICEP, &read, &whole).unwrap();
        let at = |parameters: Option<(&str, &str)>, pointer: &str| {
            template.evaluate(parameters.map(|(p, t)| (Path::new(p), t)), pointer)
        };
        let id = at(
            None,
            "/resources/wps::link/properties/privateLinkResourceId",
        )
        .unwrap();
        assert_eq!(
            id.value,
            "/subscriptions/[subscription().subscriptionId]/resourceGroups/[resourceGroup().name]/providers/Microsoft.KeyVault/vaults/kv-default"
        );
        assert_eq!(
            id.target,
            Some(("Microsoft.KeyVault/vaults".to_string(), vec!["vault"]))
        );
        let own = (
            "/ws/main.bicepparam",
            "using './main.bicep'\nparam kv = 'kv-prod'\n",
        );
        let message = "/resources/wps::link/properties/requestMessage";
        let from_file = at(Some(own), message).unwrap();
        assert_eq!(from_file.value, "kv-prod");
        assert_eq!(from_file.origin.as_deref(), Some("the parameter file"));
        // A module's `params` are the parent's values, evaluated in the parent.
        let passed = at(
            Some(own),
            "/resources/vault/properties/parameters/vaultName/value",
        );
        assert_eq!(passed.unwrap().value, "kv-prod");
        let other = (
            "/ws/main.other.bicepparam",
            "using './other.bicep'\nparam kv = 'x'\n",
        );
        assert_eq!(at(Some(other), message), None);
    }
}
