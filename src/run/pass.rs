//! One file's pass, on one worker: read the template and its parameter files, parse, model it
//! with each parameter file, run the checks of one file, and resolve what they found. What
//! remains is a `FileReport`; the text, tree and model are dropped when the pass returns.

use std::sync::Arc;

use super::Cancel;
use super::cache::{Key, PassCache};
use super::resolve::Resolver;
use super::summarize::summarize;
use super::suppressions::{self, Entry};
use crate::bicep::{ModuleText, lower, lower_parameters};
use crate::diagnostic::{Excerpt, Notice};
use crate::facts::{Finding, Resolved, Summary, TemplateFacts, Unit};
use crate::json::{Document, parse};
use crate::rules::{
    Check, NATIVE_RULES, NOT_FOR_BICEP, RuleMeta, check_invalid_bicep, check_invalid_json,
    check_shape, declarative, merge_repeated,
};
use crate::source::{FileId, FileKind, Inputs, Language, Texts, absolute, digest, kind_of};
use crate::template::Template;

/// What one template file's pass leaves behind.
#[derive(Debug, Default)]
pub struct FileReport {
    /// The template's position in the run's order.
    pub template: FileId,
    /// Whether the file was analysed as a template (it may turn out not to be one).
    pub linted: bool,
    pub findings: Vec<Resolved>,
    pub summary: Summary,
    pub suppressions: Vec<Entry>,
    pub excerpts: Vec<(FileId, Excerpt)>,
    pub notices: Vec<Notice>,
}

/// Where a pass gets files' texts (the disk, or an editor's buffers first).
pub type Read<'r> = &'r dyn Texts;

pub fn run(
    inputs: &Inputs,
    template: FileId,
    parameters: &[FileId],
    rules: &[RuleMeta],
    read: Read,
    cache: Option<(&PassCache, u64)>,
    cancel: &Cancel,
) -> Option<Arc<FileReport>> {
    // A Bicep file's pass also reads its local modules, which a kept pass's key does not
    // cover: it is not kept.
    let bicep = Language::of(std::path::Path::new(&inputs.files[template].path));
    let cache = cache.filter(|_| bicep != Some(Language::Bicep));
    // A kept pass whose files are unchanged is had without reading them. Without a cache no
    // fingerprint is taken: a one-off run does no work for it.
    let known = cache.and_then(|(cache, rules)| {
        let fingerprints: Option<Vec<(FileId, u64)>> = std::iter::once(template)
            .chain(parameters.iter().copied())
            .map(|id| Some((id, inputs.files[id].fingerprint(read)?)))
            .collect();
        Some((cache, Key::new(inputs, &fingerprints?, rules)))
    });
    if let Some((cache, key)) = &known
        && let Some(kept) = cache.get(template, key)
    {
        return Some(kept);
    }
    if cancel.is_cancelled() {
        return None;
    }
    let text = match inputs.files[template].text(read) {
        Ok(text) => text,
        Err(message) => {
            return Some(Arc::new(FileReport {
                template,
                notices: vec![Notice {
                    file: inputs.files[template].path.clone(),
                    message,
                }],
                ..FileReport::default()
            }));
        }
    };
    let texts: Vec<(FileId, Arc<str>)> = parameters
        .iter()
        .filter_map(|&p| Some((p, inputs.files[p].text(read).ok()?)))
        .collect();
    let report = Arc::new(analyse(
        inputs, template, &text, &texts, rules, cancel, read,
    )?);
    if let Some((cache, key)) = known {
        cache.put(template, key, report.clone());
    } else if let Some((cache, rules)) = cache {
        // No fingerprints to be had: the texts themselves tell.
        let mut fingerprints = vec![(template, digest(&*text))];
        fingerprints.extend(texts.iter().map(|(p, t)| (*p, digest(&**t))));
        cache.put(
            template,
            Key::new(inputs, &fingerprints, rules),
            report.clone(),
        );
    }
    Some(report)
}

/// The pass on texts at hand; `None` when cancelled after parsing, the longest stage of a
/// large file.
fn analyse(
    inputs: &Inputs,
    template: FileId,
    text: &str,
    texts: &[(FileId, Arc<str>)],
    rules: &[RuleMeta],
    cancel: &Cancel,
    read: Read,
) -> Option<FileReport> {
    let mut report = FileReport {
        template,
        ..FileReport::default()
    };
    let path = std::path::Path::new(&inputs.files[template].path);
    let bicep = Language::of(path) == Some(Language::Bicep);
    let folder = inputs.files[template]
        .disk_path
        .as_deref()
        .and_then(std::path::Path::parent);
    // The template's text, followed by its local modules' for a Bicep file (see
    // `bicep::ModuleText`).
    let whole: String;
    let mut modules: Vec<ModuleText> = Vec::new();
    let doc = match Language::of(path) {
        Some(Language::Bicep) => {
            // Local modules are read beside the file; one read from standard input has none.
            let module = |relative: &str| read.read(&folder?.join(relative)).ok();
            let lowered = lower(text, &module);
            whole = lowered.text_with_modules(text);
            modules = lowered.modules;
            report
                .notices
                .extend(lowered.notices.into_iter().map(|message| Notice {
                    file: inputs.files[template].path.clone(),
                    message,
                }));
            Document::from_tree(&whole, lowered.root, lowered.comments, lowered.errors)
        }
        _ => parse(text),
    };
    let root = match &doc.root {
        Err(error) => {
            let resolver = Resolver::new(inputs, vec![(template, &doc)]);
            report.linted = true;
            report
                .findings
                .push(resolver.finding(check_invalid_json(template, error)));
            report.excerpts = resolver.excerpts();
            return Some(report);
        }
        // A file whose start looked like a template but whose own `$schema` says otherwise.
        Ok(root) if kind_of(root) != FileKind::Template => return Some(report),
        Ok(root) => root,
    };
    if cancel.is_cancelled() {
        return None;
    }
    report.linted = true;
    let parsed: Vec<(FileId, Document)> = texts
        .iter()
        .filter_map(|(p, text)| Some((*p, parameter_document(inputs, *p, text, path)?)))
        .collect();
    // A parameter file that does not parse, or whose `parameters` is no object, is reported
    // and gives no unit: its template is not linted with the defaults it was meant to
    // override. Linted with none of its parameter files, a template has no units at all.
    let mut broken: Vec<Finding> = Vec::new();
    for (p, doc) in &parsed {
        match &doc.root {
            Err(error) => broken.push(check_invalid_json(*p, error)),
            Ok(root) => broken.extend(check_shape(*p, root, "parameters", "an object")),
        }
    }
    let is_broken = |p: &FileId| broken.iter().any(|f| f.file == *p);
    let parameter_docs: Vec<&(FileId, Document)> =
        parsed.iter().filter(|(p, _)| !is_broken(p)).collect();
    let mut units: Vec<Unit> = parameter_docs
        .iter()
        .map(|(p, doc)| {
            Unit::new(
                template,
                Some(*p),
                Template::build(root, doc.root.as_ref().ok()),
            )
        })
        .collect();
    if texts.is_empty() {
        units.push(Unit::new(template, None, Template::build(root, None)));
    }
    let mut docs = vec![(template, &doc)];
    docs.extend(parameter_docs.iter().map(|(p, doc)| (*p, doc)));
    let recovered: Vec<Finding> = docs
        .iter()
        .flat_map(|(file, doc)| doc.recovered.iter().map(|e| check_invalid_bicep(*file, e)))
        .collect();
    let facts = TemplateFacts::new(docs.clone(), units);
    // The broken parameter files' findings point into them.
    docs.extend(
        parsed
            .iter()
            .filter(|(p, _)| is_broken(p))
            .map(|(p, doc)| (*p, doc)),
    );
    let module_files = module_files(inputs, folder, &modules);
    let resolver =
        Resolver::new(inputs, docs).with_modules(template, modules.iter().zip(module_files));
    let mut findings = check(&facts, rules);
    if bicep {
        findings.retain(|f| !NOT_FOR_BICEP.contains(&f.code.as_str()));
    }
    findings.extend(broken);
    findings.extend(check_shape(
        template,
        root,
        "resources",
        "an array or object",
    ));
    findings.extend(recovered);
    findings.sort_by(|a, b| {
        (a.file, a.span, &a.code, &a.message).cmp(&(b.file, b.span, &b.code, &b.message))
    });
    findings.dedup();
    let findings = by_parameter_file(findings);
    report.findings = findings.into_iter().map(|f| resolver.finding(f)).collect();
    report.summary = summarize(&facts, &resolver);
    report.suppressions = suppressions::collect(&facts, rules, &resolver);
    report.excerpts = resolver.excerpts();
    Some(report)
}

/// The file among the inputs each module is (`None`: it is not one), found by its path
/// beside `folder`, the template's.
fn module_files(
    inputs: &Inputs,
    folder: Option<&std::path::Path>,
    modules: &[ModuleText],
) -> Vec<Option<FileId>> {
    let mut found: std::collections::HashMap<&str, Option<FileId>> = Default::default();
    modules
        .iter()
        .map(|module| {
            *found.entry(module.path.as_str()).or_insert_with(|| {
                let path = normalized(&folder?.join(&module.path));
                let name = path.file_name()?;
                inputs.files.iter().position(|f| {
                    f.disk_path
                        .as_deref()
                        .is_some_and(|p| p.file_name() == Some(name) && normalized(p) == path)
                })
            })
        })
        .collect()
}

/// An absolute path with `.` and `dir/..` folded away, without asking the disk.
fn normalized(path: &std::path::Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in absolute(path).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.parent().is_some() => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out
}

/// A parameter file's tree: JSON parsed, a `.bicepparam` lowered. `None` for a `.bicepparam`
/// whose `using` names another template than `template`.
fn parameter_document<'t>(
    inputs: &Inputs,
    file: FileId,
    text: &'t str,
    template: &std::path::Path,
) -> Option<Document<'t>> {
    if Language::of(std::path::Path::new(&inputs.files[file].path))
        != Some(Language::BicepParameters)
    {
        return Some(parse(text));
    }
    let (lowered, using) = lower_parameters(text);
    let named = using.as_deref().and_then(|u| u.rsplit('/').next());
    let own = template.file_name().and_then(|n| n.to_str());
    if named.is_none()
        || !named
            .zip(own)
            .is_some_and(|(n, o)| n.eq_ignore_ascii_case(o))
    {
        return None;
    }
    Some(Document::from_tree(
        text,
        lowered.root,
        lowered.comments,
        lowered.errors,
    ))
}

/// Which parameter file a finding comes from, where that says something: only for a template
/// linted with several, and only when one alone gives the finding (the same finding from
/// several is one finding of the template).
fn by_parameter_file(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let same = |g: &Finding| {
            Finding {
                parameters: f.parameters,
                ..g.clone()
            } == f
        };
        let earlier = out
            .iter_mut()
            .rev()
            .take_while(|g| (g.file, g.span) == (f.file, f.span))
            .find(|g| same(g));
        match earlier {
            Some(g) if g.parameters != f.parameters => g.parameters = None,
            Some(_) => {}
            None => out.push(f),
        }
    }
    out
}

/// Every check of one template file: per unit, then across its units.
fn check(facts: &TemplateFacts, rules: &[RuleMeta]) -> Vec<Finding> {
    let declarative: Vec<&RuleMeta> = rules.iter().filter(|r| !r.checks.is_empty()).collect();
    let mut findings: Vec<Finding> = facts
        .units
        .iter()
        .flat_map(|unit| {
            NATIVE_RULES
                .iter()
                .flat_map(|rule| match rule.check {
                    Check::Unit(check) => check(unit),
                    _ => Vec::new(),
                })
                .chain(
                    declarative
                        .iter()
                        .flat_map(|rule| declarative::check(unit, rule)),
                )
        })
        .collect();
    findings.extend(NATIVE_RULES.iter().flat_map(|rule| match rule.check {
        Check::Set(check) => merge_repeated(check(facts)),
        _ => Vec::new(),
    }));
    findings
}
