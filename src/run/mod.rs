//! One run of the pipeline, end to end: discover and load files, find each file's
//! configuration, run each template's pass (`pass`), join what the passes left (`join`), hide
//! what the baseline lists. The CLI, the language server and the tests call this; reporting is
//! the caller's.

pub mod baseline;
mod cache;
mod deployments;
pub mod inspect;
pub(crate) mod join;
mod pass;
mod resolve;
mod settings;
mod summarize;
mod suppressions;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, Configs};
use crate::diagnostic::{Diagnostic, Excerpt, Notice};
use crate::rules::{RuleMeta, rules_with_custom};
use crate::source::{
    FileId, Inputs, LoadOptions, Origin, Skipped, absolute, context, discover_counting, load,
};
use baseline::Baseline;
pub use cache::PassCache;
use join::analyse;
pub use pass::Read;
pub use settings::RuleSettings;

#[derive(Debug, Default)]
pub struct RunOptions {
    pub paths: Vec<PathBuf>,
    pub load: LoadOptions,
    /// `--config`: one configuration for every file instead of the nearest `wps-lint.toml`.
    pub config: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `--rules DIR`: folders of users' declarative rule files.
    pub rules_dirs: Vec<PathBuf>,
    /// `--baseline`: a file of accepted findings, which are not reported.
    pub baseline: Option<PathBuf>,
    /// `--no-context`: named files are analysed alone, without the rest of their project.
    pub no_context: bool,
    /// Passes kept from earlier runs of this process (see `PassCache`).
    pub cache: Option<Arc<PassCache>>,
}

pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule of the run: the built-in ones, then users' own.
    pub rules: Vec<RuleMeta>,
    notices: Vec<Notice>,
    files: usize,
    excerpts: HashMap<String, Excerpt>,
    skipped: Skipped,
}

impl Outcome {
    /// Files that were not linted, and why.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// How many templates were analysed.
    pub fn files_linted(&self) -> usize {
        self.files
    }

    /// What discovery passed over, to say why a run linted nothing.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// The lines a file's diagnostics show, by its display path (for snippets).
    pub fn source(&self, path: &str) -> Option<&Excerpt> {
        self.excerpts.get(path)
    }
}

/// Errors are failures of the run itself (exit status 2): a missing path, a bad config or
/// baseline file.
pub fn lint(options: &RunOptions) -> Result<Outcome, String> {
    let baseline = options
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()?;
    let explicit = options.config.as_deref().map(Config::load).transpose()?;
    let mut configs = Configs::new(explicit);
    // The current folder's config, as for standard input: its `exclude` applies to discovery.
    let here = configs.for_file(None)?;
    let mut skipped = Skipped::default();
    let mut candidates = discover_counting(&options.paths, &here.exclude, &mut skipped)?;
    if !options.no_context {
        let mut named: Vec<PathBuf> = candidates
            .iter()
            .filter(|c| c.origin == Origin::Explicit)
            .map(|c| c.path.clone())
            .collect();
        named.extend(
            options
                .load
                .stdin
                .iter()
                .map(|(name, _)| PathBuf::from(name)),
        );
        let extra = context(&named, &candidates, &mut configs)?;
        // Standard input named after a file on disk stands for that file: its text on disk
        // is not context for it.
        let stdin = options
            .load
            .stdin
            .as_ref()
            .map(|(name, _)| absolute(Path::new(name)));
        candidates.extend(
            extra
                .into_iter()
                .filter(|c| stdin.as_ref() != Some(&absolute(&c.path))),
        );
    }
    let mut inputs = load(candidates, &options.load)?;
    skipped.add(&inputs.skipped);
    let reported = reported_files(&inputs);
    let file_configs = inputs
        .files
        .iter()
        // Standard input takes the configuration nearest to the name it is given.
        .map(|f| configs.for_file(Some(f.disk_path.as_deref().unwrap_or(Path::new(&f.path)))))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = rules_with_custom(
        options
            .rules_dirs
            .iter()
            .chain(file_configs.iter().flat_map(|c| &c.rules_dirs)),
    )?;
    let settings = RuleSettings {
        rules: &rules,
        select: options.select.clone(),
        ignore: options.ignore.clone(),
        configs: file_configs,
    };
    settings.validate()?;
    let analysis = analyse(&inputs, &settings, &options.load, options.cache.as_deref());
    let mut diagnostics = analysis.diagnostics;
    diagnostics.retain(|d| reported.contains(d.location.file.as_str()));
    if let Some(baseline) = baseline {
        diagnostics.retain(|d| !baseline.hides(d));
    }
    let mut notices = std::mem::take(&mut inputs.notices);
    notices.extend(
        analysis
            .notices
            .into_iter()
            .filter(|n| reported.contains(n.file.as_str())),
    );
    Ok(Outcome {
        diagnostics,
        rules,
        notices,
        files: analysis
            .linted
            .iter()
            .filter(|&&t| reported.contains(inputs.files[t].path.as_str()))
            .count(),
        excerpts: analysis.excerpts,
        skipped,
    })
}

/// The display paths of the files findings are reported for: those named or found under a
/// named folder, the templates of such parameter files and the parameter files of such
/// templates. Context files only lend their facts.
fn reported_files(inputs: &Inputs) -> HashSet<String> {
    let named = |f: FileId| !inputs.files[f].context;
    let mut reported: HashSet<FileId> = (0..inputs.files.len()).filter(|&f| named(f)).collect();
    for &(template, parameters) in &inputs.units {
        if let Some(p) = parameters
            && (named(template) || named(p))
        {
            reported.extend([template, p]);
        }
    }
    reported
        .into_iter()
        .map(|f| inputs.files[f].path.clone())
        .collect()
}
