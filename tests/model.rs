//! The template model: every resource shape evaluates to the right full type, name and ID;
//! values come from defaults, variables, parameter files, user functions and nested
//! deployments' parameters; symbolic values compare equal without being known.

use std::path::Path;

use wps_lint::expr::{ResourceId, Value};
use wps_lint::json::{Document, parse};
use wps_lint::template::Template;

/// A fixture parsed; the text lives as long as the test process, which the tree borrows.
fn load(name: &str) -> Document<'static> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/model")
        .join(name);
    parse(std::fs::read_to_string(path).unwrap().leak())
}

/// `(type, name, id)` of every resource, rendered with symbols as `{key}`.
fn summary(t: &Template) -> Vec<(String, String, String)> {
    t.resources
        .iter()
        .map(|r| {
            let id =
                r.id.as_ref()
                    .map(|id| id.to_text().to_string())
                    .unwrap_or_default();
            (r.type_name.clone(), r.name.describe(), id)
        })
        .collect()
}

const SUB: &str = "/subscriptions/{subscription().subscriptionId}";
const RG: &str = "/resourceGroups/{resourceGroup().name}";

#[test]
fn every_shape_gets_full_type_name_and_id() {
    let (template, parameters) = (load("shapes.json"), load("shapes.parameters.json"));
    let t = Template::build(
        template.root.as_ref().unwrap(),
        Some(parameters.root.as_ref().unwrap()),
    );
    let rows = summary(&t);
    let expect = [
        (
            "Microsoft.SignalRService/webPubSub",
            "contoso-wps".to_string(),
            format!("{SUB}{RG}/providers/Microsoft.SignalRService/webPubSub/contoso-wps"),
        ),
        // A child nested in its parent: type and name come from the parent.
        (
            "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
            "contoso-wps/kv-link".to_string(),
            format!(
                "{SUB}{RG}/providers/Microsoft.SignalRService/webPubSub/contoso-wps/sharedPrivateLinkResources/kv-link"
            ),
        ),
        (
            "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources",
            "contoso-wps/second".to_string(),
            format!(
                "{SUB}{RG}/providers/Microsoft.SignalRService/webPubSub/contoso-wps/sharedPrivateLinkResources/second"
            ),
        ),
        // The value comes from the parameter file, through a user-defined function.
        (
            "Microsoft.KeyVault/vaults",
            "shared-kv".to_string(),
            format!("{SUB}{RG}/providers/Microsoft.KeyVault/vaults/shared-kv"),
        ),
        // A deployment with `resourceGroup` is itself created in that group.
        (
            "Microsoft.Resources/deployments",
            "inner".to_string(),
            format!(
                "{SUB}/resourceGroups/rg-other/providers/Microsoft.Resources/deployments/inner"
            ),
        ),
        // Inner scope: the passed value (a symbol of the outer parameter), deployed to rg-other.
        (
            "Microsoft.KeyVault/vaults",
            "{parameters('keyVaultName')}".to_string(),
            format!(
                "{SUB}/resourceGroups/rg-other/providers/Microsoft.KeyVault/vaults/{{parameters('keyVaultName')}}"
            ),
        ),
        (
            "Microsoft.KeyVault/vaults",
            "{parameters('unset')}".to_string(),
            format!(
                "{SUB}/resourceGroups/rg-other/providers/Microsoft.KeyVault/vaults/{{parameters('unset')}}"
            ),
        ),
        (
            "Microsoft.Resources/deployments",
            "deeper".to_string(),
            format!(
                "{SUB}/resourceGroups/rg-other/providers/Microsoft.Resources/deployments/deeper"
            ),
        ),
        // Two levels down, outer scope of an inner template: sees the inner template's parameter.
        (
            "Microsoft.KeyVault/vaults/privateEndpointConnections",
            "{parameters('keyVaultName')}/pec".to_string(),
            format!(
                "{SUB}/resourceGroups/rg-other/providers/Microsoft.KeyVault/vaults/{{parameters('keyVaultName')}}/privateEndpointConnections/pec"
            ),
        ),
        (
            "Microsoft.Resources/deployments",
            "outer".to_string(),
            format!("{SUB}{RG}/providers/Microsoft.Resources/deployments/outer"),
        ),
        // Outer scope: the enclosing template's variables.
        (
            "Microsoft.KeyVault/vaults",
            "contoso-wps-kv".to_string(),
            format!("{SUB}{RG}/providers/Microsoft.KeyVault/vaults/contoso-wps-kv"),
        ),
    ];
    assert_eq!(rows.len(), expect.len(), "{rows:#?}");
    for (row, (ty, name, id)) in rows.iter().zip(expect) {
        assert_eq!(
            (row.0.as_str(), row.1.as_str(), row.2.as_str()),
            (ty, name.as_str(), id.as_str())
        );
    }
    assert_eq!(t.resources[1].parent, Some(0));
    assert!(
        !t.resources[2].deployed,
        "condition is false with the default prefix"
    );
    assert!(t.resources[1].deployed);
    assert_eq!(
        t.resources[8].deployment, 2,
        "the PEC is in the second-level deployment"
    );
    assert_eq!(t.enclosing(2).collect::<Vec<_>>(), vec![7, 4]);
}

#[test]
fn symbolic_resources_and_symbolic_values_compare_equal() {
    let doc = load("symbolic.json");
    let t = Template::build(doc.root.as_ref().unwrap(), None);
    assert_eq!(t.resources[0].symbolic_name, Some("vault"));
    assert_eq!(t.resources[1].depends_on[0].as_str(), Some("vault"));
    assert!(t.resources[0].existing);
    let vault = t.resources[0].id.clone().unwrap();
    assert_eq!(
        vault.to_text().to_string(),
        "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/{parameters('kv')}"
    );
    let link = &t.resources[1];
    let target = t.eval(1, link.property(&["privateLinkResourceId"]).unwrap());
    let Value::String(text) = target else {
        panic!("{target:?}")
    };
    let target = ResourceId::parse(&text).unwrap();
    assert_eq!(target.same_as(&vault), Some(true));
    // A different, unknown vault is "cannot tell", not "different".
    let other = ResourceId::parse(&wps_lint::expr::Text::literal(
        "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-one",
    ))
    .unwrap();
    assert_eq!(target.same_as(&other), None);
    // The same template built again (another file, or another parameter file) has its own
    // `kv`: a same-named parameter with no value is not known to be the same vault.
    let again = Template::build(doc.root.as_ref().unwrap(), None);
    let elsewhere = again.resources[0].id.clone().unwrap();
    assert_eq!(elsewhere.to_text().to_string(), vault.to_text().to_string());
    assert_eq!(target.same_as(&elsewhere), None);
}

#[test]
fn user_functions_that_call_themselves_twice_are_cut_short() {
    // Each call evaluates `f` twice more: 2^32 calls before the depth limit without a budget.
    let doc = parse(
        r#"{"functions": [{"namespace": "ns", "members": {"f": {"parameters": [],
            "output": {"type": "string", "value": "[concat(ns.f(), ns.f())]"}}}}],
        "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "[ns.f()]"}]}"#,
    );
    let t = Template::build(doc.root.as_ref().unwrap(), None);
    assert_eq!(t.resources[0].name, Value::Unknown);
}

/// Every expression is parsed once, when the model is built: evaluation, the checks and the
/// dependency graph look the parse up by where its text is.
#[test]
fn each_expression_is_parsed_once_and_shared() {
    let doc = load("shapes.json");
    let t = Template::build(doc.root.as_ref().unwrap(), None);
    assert!(!t.expressions.is_empty());
    for site in &t.expressions {
        let shared = t.parsed(site.text).expect("a site's text finds its parse");
        assert!(std::ptr::eq(shared, site.parsed()));
        assert!(matches!(
            t.expression(site.text),
            std::borrow::Cow::Borrowed(_)
        ));
    }
    // The same characters elsewhere are not the site.
    let copy = t.expressions[0].text.to_string();
    assert!(t.parsed(&copy).is_none());
}
