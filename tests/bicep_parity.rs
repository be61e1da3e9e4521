//! The Bicep front end against the Bicep compiler's own output. Every module folder of the Bicep
//! corpus (`WPS_LINT_BICEP_CORPUS`) whose `main.bicep` has its compiled `main.json` in the JSON
//! corpus's `avm` folder (`WPS_LINT_CORPUS`; the same commit) is a pair: 573 of them.
//!
//! - Findings: both sides are linted with every rule on (WPS004 too, which reports the values
//!   rules could not read, so it sees what the lowering leaves unknown) and compared by a key
//!   neither front end shapes: the code, the resource the finding lies on (full type and name)
//!   and the path under that resource. A Bicep finding's place is its pointer into the lowered
//!   tree, which has the compiled template's shape. Two things are set by rule, not by a list
//!   of pairs: a finding inside a local module's template is, in Bicep, in the module file
//!   when that is linted too (another pair's `main.bicep`), else at the `module` statement; it
//!   counts for each file that calls the module (its related "the module is called here"), and
//!   on both sides it is keyed by the module's deployment; one inside a registry
//!   module's template (`br/public:...`: the compiled template inlines it, the source cannot be
//!   read here) is left out. No pair needs an exception.
//! - Round trip: for a fixed sample (every 11th pair by module path, from the first: 50), the
//!   template model of the lowered `main.bicep` has the resources of the model of `main.json`,
//!   nested deployments included: types and names, conditions, copy loops (count, mode, batch
//!   size) and what each depends on. Not compared: `existing` resources (a compiled template
//!   that is not languageVersion 2.0 drops them), what registry modules deploy, and the
//!   dependencies of a resource where the compiled template names a dependency the model cannot
//!   resolve (see `shapes`).
//!
//! `cargo test --test bicep_parity -- --nocapture` prints the figures.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use wps_lint::bicep::lower;
use wps_lint::diagnostic::Diagnostic;
use wps_lint::facts::Unit;
use wps_lint::json::{Kind, Node, parse};
use wps_lint::rules::builtin_rules;
use wps_lint::run::{RunOptions, lint};
use wps_lint::template::Template;

/// One pair: the module's path under `avm/` and its two files.
struct Pair {
    module: String,
    bicep: PathBuf,
    json: PathBuf,
}

/// The pairs, sorted by module path, or `None` (after saying so) when the corpora are absent.
fn pairs() -> Option<Vec<Pair>> {
    let folder = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|dir| dir.is_dir())
    };
    let (Some(bicep), Some(json)) = (folder("WPS_LINT_BICEP_CORPUS"), folder("WPS_LINT_CORPUS"))
    else {
        assert!(
            std::env::var_os("WPS_LINT_REQUIRE_CORPUS").is_none_or(|v| v.is_empty() || v == "0"),
            "WPS_LINT_REQUIRE_CORPUS is set, but WPS_LINT_CORPUS or WPS_LINT_BICEP_CORPUS does not name a corpus folder"
        );
        // Straight to the standard error stream: the harness captures `eprintln!` of passing
        // tests, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: Bicep parity test (set WPS_LINT_CORPUS and WPS_LINT_BICEP_CORPUS to the corpus folders)"
        );
        return None;
    };
    let mut found = Vec::new();
    sources(&bicep.join("avm"), &mut found);
    let pairs: Vec<Pair> = found
        .into_iter()
        .filter_map(|source| {
            let module = source
                .parent()?
                .strip_prefix(&bicep)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let compiled = json.join("avm").join(&module).join("main.json");
            compiled.is_file().then_some(Pair {
                module,
                bicep: source,
                json: compiled,
            })
        })
        .collect();
    assert!(pairs.len() > 500, "only {} pairs found", pairs.len());
    Some(pairs)
}

/// Every `main.bicep` under `dir`, sorted.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.file_name().is_some_and(|name| name == "main.bicep") {
            out.push(path);
        }
    }
}

/// A file's text, kept for the whole test process (trees and models borrow it).
fn read(path: &Path) -> &'static str {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .leak()
}

/// The JSON tree of a compiled template, or of a Bicep file lowered as the linter lowers it
/// (local modules read beside it).
fn tree(path: &Path) -> Node<'static> {
    let text = read(path);
    if path.extension().is_some_and(|ext| ext == "bicep") {
        let folder = path.parent().expect("a file's folder").to_path_buf();
        let module = move |relative: &str| std::fs::read_to_string(folder.join(relative)).ok();
        lower(text, &module).root
    } else {
        parse(text).root.expect("the compiled template parses")
    }
}

/// A resource as both front ends name it: full type (lower case) and name, evaluated, or as
/// written (lower case, without spaces) where evaluation leaves some of it unknown.
type Identity = (String, String);

fn identities(t: &Template) -> Vec<Identity> {
    t.resources
        .iter()
        .map(|r| {
            let name = match r.name.key() {
                Some(_) => r.name.describe(),
                None => written(r.get("name")),
            };
            (r.type_name.to_ascii_lowercase(), name)
        })
        .collect()
}

/// A value as written, lower case and without spaces, to compare what two front ends wrote.
/// A number in a local module's lowered template is an expression of the same value (`"[1]"`),
/// so it is read back as the number.
fn written(node: Option<&Node>) -> String {
    node.map_or(String::new(), |n| {
        let value = n.to_json();
        let number = value
            .as_str()
            .and_then(|s| s.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
            .map(serde_json::Value::Number);
        number
            .unwrap_or(value)
            .to_string()
            .to_ascii_lowercase()
            .replace(char::is_whitespace, "")
    })
}

/// The member or item a pointer token names.
fn step<'n, 't>(node: &'n Node<'t>, token: &str) -> Option<&'n Node<'t>> {
    match &node.kind {
        Kind::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => node.get(token),
    }
}

/// What a finding is compared by: code, the resource it lies on and the path under it.
type Key = (String, Option<Identity>, String);

/// The key of a finding at `pointer` in a template, or `None` for one inside the template of
/// a registry module (`registry`: deployments the lowered Bicep holds no template for).
fn key(
    code: &str,
    pointer: &str,
    root: &Node,
    model: &Template,
    registry: &BTreeSet<Identity>,
) -> Option<Key> {
    let names = identities(model);
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut node = root;
    let mut outermost: Option<(&Identity, usize)> = None;
    for (depth, token) in tokens.iter().enumerate() {
        node = step(node, token).expect("a finding's pointer names a node");
        let Some(at) = model
            .resources
            .iter()
            .position(|r| std::ptr::eq(r.node, node))
        else {
            continue;
        };
        if registry.contains(&names[at])
            && tokens[depth + 1..].starts_with(&["properties", "template"])
        {
            return None;
        }
        outermost.get_or_insert((&names[at], depth + 1));
    }
    Some(match outermost {
        None => (code.to_string(), None, pointer.to_string()),
        Some((identity, depth)) => {
            let mut rest = tokens[depth..].join("/");
            // In Bicep, a local module's template is all at the `module` statement.
            if rest.starts_with("properties/template") {
                rest.clear();
            }
            (code.to_string(), Some(identity.clone()), rest)
        }
    })
}

/// The modules of a lowered Bicep file, at any depth, whose template it does not hold: those
/// from a registry.
fn registry_modules(model: &Template) -> BTreeSet<Identity> {
    identities(model)
        .into_iter()
        .zip(&model.resources)
        .filter(|(_, r)| r.is_type("Microsoft.Resources/deployments") && r.nested.is_none())
        .map(|(identity, _)| identity)
        .collect()
}

fn lint_all(files: Vec<PathBuf>) -> Vec<Diagnostic> {
    lint(&RunOptions {
        paths: files,
        no_context: true,
        select: builtin_rules().iter().map(|r| r.code.clone()).collect(),
        ..RunOptions::default()
    })
    .expect("the corpus lints")
    .diagnostics
}

#[test]
fn findings_of_each_bicep_module_match_its_compiled_template() {
    let Some(pairs) = pairs() else { return };
    let bicep_findings = lint_all(pairs.iter().map(|p| p.bicep.clone()).collect());
    let json_findings = lint_all(pairs.iter().map(|p| p.json.clone()).collect());
    let of = |findings: &[Diagnostic], path: &Path| -> Vec<(String, String)> {
        let path = path.to_string_lossy().replace('\\', "/");
        findings
            .iter()
            .filter(|d| d.location.file == path)
            .map(|d| (d.code.clone(), d.location.pointer.clone()))
            .collect()
    };
    // A finding in a module file that is among the linted files (another pair's `main.bicep`)
    // is reported there; each of its calls in a file (the `module` statement) is where the
    // compiled template holds it: the module's deployment.
    let called_in = |findings: &[Diagnostic], path: &Path| -> Vec<(String, String)> {
        let path = path.to_string_lossy().replace('\\', "/");
        findings
            .iter()
            .flat_map(|d| {
                d.related
                    .iter()
                    .filter(|r| r.message == "the module is called here" && r.location.file == path)
                    .map(|r| (d.code.clone(), r.location.pointer.clone()))
            })
            .collect()
    };
    let (mut compared, mut left_out, mut differing) = ([0, 0], 0, Vec::new());
    for pair in &pairs {
        let bicep_root = tree(&pair.bicep);
        let json_root = tree(&pair.json);
        let bicep_model = Template::build(&bicep_root, None);
        let json_model = Template::build(&json_root, None);
        let registry = registry_modules(&bicep_model);
        let mut keys = |found: Vec<(String, String)>, root: &Node, model: &Template| {
            let all = found.len();
            let mut keys: Vec<Key> = found
                .iter()
                .filter_map(|(code, pointer)| key(code, pointer, root, model, &registry))
                .collect();
            left_out += all - keys.len();
            keys.sort();
            keys
        };
        let mut bicep_found = of(&bicep_findings, &pair.bicep);
        bicep_found.extend(called_in(&bicep_findings, &pair.bicep));
        let from_bicep = keys(bicep_found, &bicep_root, &bicep_model);
        let from_json = keys(of(&json_findings, &pair.json), &json_root, &json_model);
        compared[0] += from_bicep.len();
        compared[1] += from_json.len();
        if from_bicep != from_json {
            differing.push(format!(
                "{}:\n  Bicep: {from_bicep:?}\n  JSON:  {from_json:?}",
                pair.module
            ));
        }
    }
    println!(
        "{} pairs compared ({} findings from Bicep, {} from JSON, {left_out} inside registry modules left out): {} match, {} differ",
        pairs.len(),
        compared[0],
        compared[1],
        pairs.len() - differing.len(),
        differing.len()
    );
    assert!(differing.is_empty(), "{}", differing.join("\n"));
    // The comparison has something to compare: the findings WPS004 reports in both forms.
    assert!(compared[0] > 0);
}

/// What the round trip compares of one resource: identity, whether it has a condition, its
/// copy loop (count, mode, batch size as written), and what it depends on (directly or not).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    identity: Identity,
    condition: bool,
    copy: Option<[String; 3]>,
    /// `None` where either side's dependency graph may miss an edge (see `shapes`).
    depends_on: Option<BTreeSet<Identity>>,
}

/// The shapes of a template's resources, except `existing` ones (the compiled template drops
/// them unless it is languageVersion 2.0) and those inside a registry module (`registry`),
/// which only the compiled template holds. Also the identities whose dependencies may be
/// incomplete: a `dependsOn` entry the model cannot resolve (the compiled template names a
/// module deployed to another resource group with `extensionResourceId(...)`, which the model
/// does not follow) in the resource or in anything it depends on.
fn shapes(unit: &Unit, registry: &BTreeSet<Identity>) -> (Vec<Shape>, BTreeSet<Identity>) {
    let model = &unit.template;
    let graph = unit.graph();
    let names = identities(model);
    let all = 0..model.resources.len();
    let incomplete = all
        .clone()
        .filter(|&i| {
            graph.has_unresolved(model, i)
                || all
                    .clone()
                    .any(|j| graph.has_unresolved(model, j) && graph.depends_on(i, j))
        })
        .map(|i| names[i].clone())
        .collect();
    let compared: Vec<usize> = all
        .filter(|&i| {
            !model.resources[i].existing
                && !model
                    .enclosing(model.resources[i].deployment)
                    .any(|holder| registry.contains(&names[holder]))
        })
        .collect();
    let shapes = compared
        .iter()
        .map(|&i| {
            let r = &model.resources[i];
            let copy = r
                .get("copy")
                .map(|copy| ["count", "mode", "batchSize"].map(|key| written(copy.get(key))));
            Shape {
                identity: names[i].clone(),
                condition: r.get("condition").is_some(),
                copy,
                depends_on: Some(
                    compared
                        .iter()
                        .filter(|&&j| j != i && graph.depends_on(i, j))
                        .map(|&j| names[j].clone())
                        .collect(),
                ),
            }
        })
        .collect();
    (shapes, incomplete)
}

/// Both sides' shapes, sorted, with dependencies left out where either side's may be
/// incomplete; and how many resources' dependencies are compared.
fn comparable(
    (mut bicep, bicep_incomplete): (Vec<Shape>, BTreeSet<Identity>),
    (mut json, json_incomplete): (Vec<Shape>, BTreeSet<Identity>),
) -> (Vec<Shape>, Vec<Shape>) {
    for shape in bicep.iter_mut().chain(json.iter_mut()) {
        if bicep_incomplete.contains(&shape.identity) || json_incomplete.contains(&shape.identity) {
            shape.depends_on = None;
        }
    }
    bicep.sort();
    json.sort();
    (bicep, json)
}

/// What differs between the shapes of the two sides, resource by resource.
fn differences(bicep: &[Shape], json: &[Shape]) -> Vec<String> {
    let mut by_identity: BTreeMap<&Identity, (Vec<&Shape>, Vec<&Shape>)> = BTreeMap::new();
    for shape in bicep {
        by_identity
            .entry(&shape.identity)
            .or_default()
            .0
            .push(shape);
    }
    for shape in json {
        by_identity
            .entry(&shape.identity)
            .or_default()
            .1
            .push(shape);
    }
    by_identity
        .into_iter()
        .filter(|(_, (b, j))| b != j)
        .map(|(identity, (b, j))| match (b.as_slice(), j.as_slice()) {
            ([b], [j]) => {
                let mut what = Vec::new();
                if b.condition != j.condition {
                    what.push(format!(
                        "condition: Bicep {}, JSON {}",
                        b.condition, j.condition
                    ));
                }
                if b.copy != j.copy {
                    what.push(format!("copy: Bicep {:?}, JSON {:?}", b.copy, j.copy));
                }
                if let (Some(from_b), Some(from_j)) = (&b.depends_on, &j.depends_on)
                    && from_b != from_j
                {
                    what.push(format!(
                        "depends on only from Bicep {:?}, only from JSON {:?}",
                        from_b.difference(from_j).collect::<Vec<_>>(),
                        from_j.difference(from_b).collect::<Vec<_>>()
                    ));
                }
                format!("{identity:?}: {}", what.join("; "))
            }
            _ => format!(
                "{identity:?}: {} from Bicep, {} from JSON",
                b.len(),
                j.len()
            ),
        })
        .collect()
}

#[test]
fn lowered_bicep_models_the_resources_of_the_compiled_template() {
    let Some(pairs) = pairs() else { return };
    // A fixed sample: every 11th pair by module path, from the first.
    let sample: Vec<&Pair> = pairs.iter().step_by(11).take(50).collect();
    let (mut resources, mut with_dependencies, mut differing) = (0, 0, Vec::new());
    for pair in &sample {
        let bicep_root = tree(&pair.bicep);
        let json_root = tree(&pair.json);
        let bicep = Unit::new(0, None, Template::build(&bicep_root, None));
        let json = Unit::new(0, None, Template::build(&json_root, None));
        let registry = registry_modules(&bicep.template);
        let (from_bicep, from_json) =
            comparable(shapes(&bicep, &registry), shapes(&json, &registry));
        resources += from_json.len();
        with_dependencies += from_json.iter().filter(|s| s.depends_on.is_some()).count();
        if from_bicep != from_json {
            differing.push(format!(
                "{}:\n  {}",
                pair.module,
                differences(&from_bicep, &from_json).join("\n  ")
            ));
        }
    }
    println!(
        "round trip: {} pairs, {resources} resources of the compiled templates ({with_dependencies} with their dependencies), {} pairs differ",
        sample.len(),
        differing.len()
    );
    assert_eq!(sample.len(), 50);
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}
