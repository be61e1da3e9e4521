//! One file's pass, on one worker: read the template and its parameter files, parse, model it
//! with each parameter file, run the checks of one file, and resolve what they found. What
//! remains is a `FileReport`; the text, tree and model are dropped when the pass returns.

use std::cell::{OnceCell, RefCell};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Cancel;
use super::cache::{DiskCache, Key, OtherRead, PassCache, Reads};
use super::resolve::Resolver;
use super::summarize::summarize;
use super::suppressions::{self, Entry};
use crate::bicep::{LoweredModules, ModuleText, Stop, lower_parameters, lower_with};
use crate::diagnostic::{Excerpt, Notice};
use crate::facts::{FilePlaces, Finding, Renumber, Resolved, Summary, TemplateFacts, Unit};
use crate::json::{Document, parse};
use crate::rules::{
    Check, NATIVE_RULES, NOT_FOR_BICEP, RuleMeta, check_invalid_bicep, check_invalid_json,
    check_shape, declarative, merge_repeated,
};
use crate::source::{FileId, FileKind, Inputs, Language, Texts, kind_of, text_digest};
use crate::template::{Template, linked_paths};

/// What one template file's pass leaves behind.
#[derive(Debug, Default, Serialize, Deserialize)]
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

impl Renumber for FileReport {
    fn renumber(&mut self, places: &FilePlaces) -> Option<()> {
        let path = places.renumber(&mut self.template)?;
        self.findings.renumber(places)?;
        self.summary.renumber(places)?;
        self.suppressions.renumber(places)?;
        for (file, _) in &mut self.excerpts {
            file.renumber(places)?;
        }
        // A pass's notices are about its template.
        for notice in &mut self.notices {
            notice.file = path.to_string();
        }
        Some(())
    }
}

/// Where a pass gets files' texts (the disk, or an editor's buffers first).
pub type Read<'r> = &'r dyn Texts;

/// Where a pass is kept: in this process's cache, with the rules' digest, and on disk, with
/// the pass's key there (`cache::pass_key`).
#[derive(Clone, Copy, Default)]
pub struct Keep<'c> {
    pub memory: Option<(&'c PassCache, u64)>,
    pub disk: Option<(&'c DiskCache, u64)>,
}

/// What every pass of one run shares: the rules, where texts come from, the Bicep modules
/// lowered so far, and the run's cancellation.
#[derive(Clone, Copy)]
pub struct Shared<'r> {
    pub rules: &'r [RuleMeta],
    pub read: Read<'r>,
    pub lowered: &'r LoweredModules,
    pub cancel: &'r Cancel,
}

pub fn run(
    inputs: &Inputs,
    template: FileId,
    parameters: &[FileId],
    shared: Shared,
    keep: Keep,
) -> Option<Arc<FileReport>> {
    let Shared { read, cancel, .. } = shared;
    // A kept pass whose files are unchanged is had without reading them. Without a cache no
    // fingerprint is taken: a one-off run does no work for it.
    let cache = keep.memory;
    let known = cache.and_then(|(cache, rules)| {
        let fingerprints: Option<Vec<(FileId, u64)>> = std::iter::once(template)
            .chain(parameters.iter().copied())
            .map(|id| Some((id, inputs.files[id].fingerprint(read)?)))
            .collect();
        Some((cache, Key::new(inputs, &fingerprints?, rules)))
    });
    if let Some((cache, key)) = &known
        && let Some(kept) = cache.get(inputs, template, key, read)
    {
        return Some(kept);
    }
    if cancel.is_cancelled() {
        return None;
    }
    // On disk only passes over files read from disk, each read through `reads`.
    let on_disk = |f: FileId| {
        let file = &inputs.files[f];
        !file.text_at_hand()
            && file
                .disk_path
                .as_deref()
                .is_some_and(|p| read.reads_disk(p))
    };
    let disk = keep.disk.filter(|_| {
        std::iter::once(template)
            .chain(parameters.iter().copied())
            .all(on_disk)
    });
    if let Some((disk, key)) = disk
        && let Some((report, others)) = disk.get(inputs, template, parameters, key, read)
    {
        let report = Arc::new(report);
        if let Some((cache, key)) = known {
            let others = others.iter().map(|p| OtherRead::new(inputs, read, p));
            cache.put(template, key, others.collect(), report.clone());
        }
        return Some(report);
    }
    let reads = disk.map(|_| Reads::start());
    // Every file the pass reads, recorded when the pass is to be kept on disk.
    let read_file = |path: &Path| match &reads {
        Some(reads) => reads.read(read, path),
        None => read.read(path),
    };
    let text_of = |f: FileId| match &inputs.files[f].disk_path {
        Some(path) if reads.is_some() => read_file(path).map(Arc::<str>::from),
        _ => inputs.files[f].text(read),
    };
    let text = match text_of(template) {
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
        .filter_map(|&p| Some((p, text_of(p).ok()?)))
        .collect();
    // The other files the pass reads, with their marks, when it is to be kept in memory.
    let others: RefCell<Vec<OtherRead>> = RefCell::default();
    let read_other = |path: &Path| {
        if cache.is_some() {
            others.borrow_mut().push(OtherRead::new(inputs, read, path));
        }
        read_file(path)
    };
    let report = Arc::new(analyse(
        inputs,
        template,
        &text,
        &texts,
        shared,
        &read_other,
    )?);
    let others = others.into_inner();
    if let (Some((disk, key)), Some(reads)) = (disk, reads) {
        disk.put(inputs, parameters, key, reads, &report);
    }
    if let Some((cache, key)) = known {
        cache.put(template, key, others, report.clone());
    } else if let Some((cache, rules)) = cache {
        // No fingerprints to be had: the texts themselves tell.
        let mut fingerprints = vec![(template, text_digest(&text))];
        fingerprints.extend(texts.iter().map(|(p, t)| (*p, text_digest(t))));
        cache.put(
            template,
            Key::new(inputs, &fingerprints, rules),
            others,
            report.clone(),
        );
    }
    Some(report)
}

/// The pass on texts at hand, reading other files (Bicep modules, templates linked by
/// `relativePath`) with `read_file`; `None` when cancelled after parsing, the longest stage of
/// a large file.
fn analyse(
    inputs: &Inputs,
    template: FileId,
    text: &str,
    texts: &[(FileId, Arc<str>)],
    shared: Shared,
    read_file: &dyn Fn(&Path) -> Result<String, String>,
) -> Option<FileReport> {
    // Other files are read through `read_file`, which records them.
    let Shared {
        rules,
        lowered,
        cancel,
        ..
    } = shared;
    let mut report = FileReport {
        template,
        ..FileReport::default()
    };
    let path = Path::new(&inputs.files[template].path);
    let bicep = Language::of(path) == Some(Language::Bicep);
    // Local modules are read beside the file; one read from standard input has none.
    let folder = inputs.files[template]
        .disk_path
        .as_deref()
        .and_then(Path::parent);
    let whole = OnceCell::new();
    let stop = || cancel.is_cancelled();
    let (doc, notices, modules) =
        template_document(path, folder, text, read_file, lowered, &stop, &whole)?;
    report
        .notices
        .extend(notices.into_iter().map(|message| Notice {
            file: inputs.files[template].path.clone(),
            message,
        }));
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
        .filter_map(|(p, text)| {
            let file = Path::new(&inputs.files[*p].path);
            Some((*p, parameter_document(file, text, path, read_file)?))
        })
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
    // Templates linked by a literal `relativePath`, beside this file (a Bicep file's local
    // modules are already lowered into it): their outputs are evaluated, nothing else.
    let linked_paths = match Language::of(path) {
        Some(Language::Bicep) => Vec::new(),
        _ => linked_paths(root),
    };
    let folder = inputs.files[template]
        .disk_path
        .as_deref()
        .and_then(std::path::Path::parent);
    let linked_texts: Vec<(&str, String)> = linked_paths
        .iter()
        .filter_map(|&p| Some((p, read_file(&folder?.join(p)).ok()?)))
        .collect();
    let linked_docs: Vec<(&str, Document)> =
        linked_texts.iter().map(|(p, t)| (*p, parse(t))).collect();
    let linked = |relative: &str| {
        let (_, doc) = linked_docs.iter().find(|(p, _)| *p == relative)?;
        doc.root
            .as_ref()
            .ok()
            .filter(|r| kind_of(r) == FileKind::Template)
    };
    let build = |parameter_file| Template::build_linked(root, parameter_file, &linked);
    let mut units: Vec<Unit> = parameter_docs
        .iter()
        .map(|(p, doc)| Unit::new(template, Some(*p), build(doc.root.as_ref().ok())))
        .collect();
    if texts.is_empty() {
        units.push(Unit::new(template, None, build(None)));
    }
    let mut docs = vec![(template, &doc)];
    docs.extend(parameter_docs.iter().map(|(p, doc)| (*p, doc)));
    let recovered: Vec<Finding> = docs
        .iter()
        .flat_map(|(file, doc)| doc.recovered.iter().map(|e| check_invalid_bicep(*file, e)))
        .collect();
    if cancel.is_cancelled() {
        return None;
    }
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
    // The summary reads the facts alone: it is built while the checks run.
    let (findings, summary) = rayon::join(
        || check(&facts, rules, cancel),
        || summarize(&facts, &resolver),
    );
    let mut findings = findings?;
    if bicep {
        // A module that is an ARM template gets them all, as its own pass would.
        let in_arm_template = |f: &Finding| {
            modules
                .iter()
                .any(|m| m.is_arm_template() && m.contains(f.span))
        };
        findings.retain(|f| !NOT_FOR_BICEP.contains(&f.code.as_str()) || in_arm_template(f));
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
    report.findings = findings
        .into_par_iter()
        .map(|f| resolver.finding(f))
        .collect();
    report.summary = summary;
    report.suppressions = suppressions::collect(&facts, rules, &resolver);
    report.excerpts = resolver.excerpts();
    Some(report)
}

/// A template's tree as its pass reads it: JSON parsed; Bicep lowered, with its local modules
/// read with `read` from `folder` (none without one). For Bicep the tree's text is the
/// template's followed by its modules' (see `bicep::ModuleText`), kept in `whole`. Also the
/// notices about what lowering left opaque, and the modules' texts. `None` when `stop` cut the
/// lowering short.
pub fn template_document<'t>(
    path: &Path,
    folder: Option<&Path>,
    text: &'t str,
    read: &dyn Fn(&Path) -> Result<String, String>,
    lowered: &LoweredModules,
    stop: Stop,
    whole: &'t OnceCell<String>,
) -> Option<(Document<'t>, Vec<String>, Vec<ModuleText>)> {
    if Language::of(path) != Some(Language::Bicep) {
        return Some((parse(text), Vec::new(), Vec::new()));
    }
    let module = |relative: &str| read(&folder?.join(relative)).ok();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let file = lower_with(text, name, &module, lowered, stop)?;
    let whole = whole.get_or_init(|| file.text_with_modules(text));
    let doc = Document::from_tree(whole, file.root, file.comments, file.errors);
    Some((doc, file.notices, file.modules))
}

/// The file among the inputs each module is (`None`: it is not one), found by its path
/// beside `folder`, the template's.
fn module_files(
    inputs: &Inputs,
    folder: Option<&std::path::Path>,
    modules: &[ModuleText],
) -> Vec<Option<FileId>> {
    modules
        .iter()
        .map(|module| inputs.file_at(&folder?.join(&module.path)))
        .collect()
}

/// A parameter file's tree: JSON parsed, a `.bicepparam` lowered. `None` for a `.bicepparam`
/// whose `using` names another template than `template`.
pub fn parameter_document<'t>(
    file: &Path,
    text: &'t str,
    template: &Path,
    read: &dyn Fn(&Path) -> Result<String, String>,
) -> Option<Document<'t>> {
    if Language::of(file) != Some(Language::BicepParameters) {
        return Some(parse(text));
    }
    // The file it extends is read beside it.
    let folder = file.parent().unwrap_or(Path::new(""));
    let base = |relative: &str| read(&folder.join(relative)).ok();
    let (lowered, using) = lower_parameters(text, &base);
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

/// Every check of one template file: per unit, then across its units; `None` when cancelled.
/// Checks are independent of each other, so they run in parallel: on a large file, as in an
/// editor, both cores check.
fn check(facts: &TemplateFacts, rules: &[RuleMeta], cancel: &Cancel) -> Option<Vec<Finding>> {
    type Job<'f> = Box<dyn Fn() -> Vec<Finding> + Sync + 'f>;
    let declarative: Vec<&RuleMeta> = rules.iter().filter(|r| !r.checks.is_empty()).collect();
    let mut jobs: Vec<Job> = Vec::new();
    for unit in &facts.units {
        for rule in NATIVE_RULES {
            if let Check::Unit(check) = rule.check {
                jobs.push(Box::new(move || check(unit)));
            }
        }
        for &rule in &declarative {
            jobs.push(Box::new(move || declarative::check(unit, rule)));
        }
    }
    for rule in NATIVE_RULES {
        if let Check::Set(check) = rule.check {
            jobs.push(Box::new(move || merge_repeated(check(facts))));
        }
    }
    let found: Option<Vec<Vec<Finding>>> = jobs
        .par_iter()
        .map(|job| (!cancel.is_cancelled()).then(job))
        .collect();
    Some(found?.into_iter().flatten().collect())
}
