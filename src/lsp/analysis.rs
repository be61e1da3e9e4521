//! The one door from the language server into the analysis. Handlers never call the core
//! directly, so that this module can later switch from "lint the whole set again" to the
//! per-file index (re-analyse the changed file, re-join the cross-file summaries) without
//! touching them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::HashMap;

use crate::diagnostic::Diagnostic;
use crate::json::Node;
use crate::rules::{RuleMeta, builtin_rules};
use crate::run::inspect::{Evaluated, Inspected};
use crate::run::{CacheDir, Cancel, PassCache, Prepared, RunOptions, prepare};
use crate::source::{LoadOptions, LookCache, is_parameter_name};

use super::settings::ClientSettings;

/// What to analyse: the files of the analysis set and the editor's texts that stand for some of
/// them.
pub struct Request {
    pub files: BTreeSet<PathBuf>,
    pub overlays: HashMap<PathBuf, String>,
    pub settings: ClientSettings,
    pub passes: Arc<PassCache>,
    pub looks: Arc<LookCache>,
    /// Ends the run early once a newer change has made its answer useless.
    pub cancel: Cancel,
}

/// Findings by file (absolute paths, as the workspace folders name them).
#[derive(Default)]
pub struct WorkspaceFindings {
    by_file: HashMap<PathBuf, Vec<Diagnostic>>,
    rules: HashMap<String, RuleMeta>,
    /// Texts of files that findings point into, for converting their positions.
    sources: HashMap<PathBuf, Arc<str>>,
}

impl WorkspaceFindings {
    pub fn diagnostics(&self, file: &Path) -> &[Diagnostic] {
        self.by_file.get(file).map_or(&[], Vec::as_slice)
    }

    pub fn rule(&self, code: &str) -> Option<&RuleMeta> {
        self.rules.get(code)
    }

    /// The text the analysis saw for a file that a finding points into.
    pub fn source(&self, file: &Path) -> Option<&str> {
        self.sources.get(file).map(|s| &**s)
    }
}

/// Lints the set. `prepared` holds the files as an earlier run prepared them for this same
/// set, settings and disk, if one did: they are used when the editors' texts leave them true,
/// else it is replaced by the files prepared anew, kept even if the run is then cancelled.
/// `Err` is a failure of the run itself (a broken `wps-lint.toml`, an unknown rule in
/// `select`), which the caller must show rather than hide.
pub fn lint_workspace(
    request: Request,
    prepared: &mut Option<Arc<Prepared>>,
) -> Result<WorkspaceFindings, String> {
    let mut options = RunOptions {
        paths: Vec::new(),
        load: LoadOptions {
            overlays: request.overlays,
            looks: Some(request.looks),
            ..LoadOptions::default()
        },
        config: request.settings.config.clone(),
        select: request.settings.select.clone(),
        ignore: request.settings.ignore.clone(),
        rules_dirs: request.settings.rules_dirs.clone(),
        baseline: None,
        // Every file of the workspace is named already.
        no_context: true,
        cache: Some(request.passes),
        // The command line's cache, read once for the session: opening a workspace again
        // analyses only what changed.
        cache_dir: Some(CacheDir::from_env()),
        cancel: request.cancel,
    };
    let prepared = match prepared {
        Some(kept) if kept.holds_for(&options.load.overlays) => kept,
        _ => {
            // A path that is not on disk and not open (deleted since it was indexed) would
            // fail the whole run; an open document is linted from the editor's text, saved or
            // not.
            let overlays = &options.load.overlays;
            let paths = request
                .files
                .into_iter()
                .filter(|p| p.is_file() || overlays.contains_key(p))
                .collect();
            options.paths = paths;
            prepared.insert(Arc::new(prepare(&options)?))
        }
    };
    let outcome = prepared.lint(&options.load, options.cache.as_deref(), &options.cancel)?;
    let mut analysis = WorkspaceFindings {
        rules: outcome
            .rules
            .iter()
            .map(|r| (r.code.clone(), r.clone()))
            .collect(),
        ..WorkspaceFindings::default()
    };
    for d in &outcome.diagnostics {
        let files =
            std::iter::once(&d.location.file).chain(d.related.iter().map(|r| &r.location.file));
        for file in files {
            let path = PathBuf::from(file);
            // The text as the run read it: the editor's, else the disk's.
            if !analysis.sources.contains_key(&path)
                && let Ok(text) = options.load.read(&path)
            {
                analysis.sources.insert(path, text.into());
            }
        }
    }
    for d in outcome.diagnostics {
        let list = analysis
            .by_file
            .entry(PathBuf::from(&d.location.file))
            .or_default();
        // A template linted once per parameter file repeats its own findings.
        if !list.contains(&d) {
            list.push(d);
        }
    }
    Ok(analysis)
}

/// Built-in rules have a page in the repository's `rules/` folder; users' own rules do not.
pub fn is_builtin_rule(code: &str) -> bool {
    builtin_rules().iter().any(|r| r.code == code)
}

/// Hover's evaluated values: what the linter makes of the value at the pointer `pick` chooses
/// in the template `file` (its text as the editor has it, read as its pass reads it: a Bicep
/// file lowered), with each of its parameter files beside it, or with the defaults when it has
/// none, as Markdown. `texts` gives other files' texts (open documents first): parameter files
/// and Bicep modules.
pub fn values_at(
    file: &Path,
    text: &str,
    texts: &LoadOptions,
    pick: impl Fn(&Node) -> Option<String>,
) -> Option<String> {
    let whole = std::cell::OnceCell::new();
    let template = Inspected::new(file, text, texts, &whole)?;
    let pointer = pick(template.root()?)?;
    let stem = file.file_stem()?.to_str()?;
    let mut parameter_files: Vec<PathBuf> = file
        .parent()
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_parameter_name(p, stem))
        .collect();
    parameter_files.sort();
    // A `.bicepparam` named like this template's but `using` another gives nothing.
    let mut evaluated: Vec<(Option<String>, Evaluated)> = parameter_files
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            let parameters = texts.read(p).ok()?;
            Some((
                Some(name),
                template.evaluate(Some((p, &parameters)), &pointer)?,
            ))
        })
        .collect();
    if evaluated.is_empty() {
        evaluated.extend(template.evaluate(None, &pointer).map(|e| (None, e)));
    }
    let shown: Vec<String> = evaluated
        .into_iter()
        .map(|(name, e)| {
            let mut out = match name {
                Some(name) => format!("**Evaluated** with `{name}`: `{}`", e.value),
                None => format!("**Evaluated**: `{}`", e.value),
            };
            if let Some(origin) = &e.origin {
                out.push_str(&format!("\n- from {origin}"));
            }
            if let Some((target, groups)) = &e.target {
                out.push_str(&format!("\n- target type `{target}`"));
                if !groups.is_empty() {
                    let groups: Vec<String> = groups.iter().map(|g| format!("`{g}`")).collect();
                    out.push_str(&format!(", group ID {}", groups.join(" or ")));
                }
            }
            if let Some(vault) = &e.vault {
                out.push_str(&format!(
                    "\n- the service fetches certificates from vault `{vault}`"
                ));
            }
            out
        })
        .collect();
    (!shown.is_empty()).then(|| shown.join("\n\n"))
}
