//! One run of the pipeline, end to end: discover and load files, find each file's
//! configuration, analyse, hide what the baseline lists. The CLI and the tests call this;
//! reporting is the caller's.

use std::path::PathBuf;

use crate::analysis::{Settings, analyse};
use crate::baseline::Baseline;
use crate::config::{Config, Configs};
use crate::diagnostic::{Diagnostic, Notice};
use crate::rules::{RuleMeta, rules_with_custom};
use crate::source::{Inputs, LoadOptions, discover, load};

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
}

pub struct Outcome {
    inputs: Inputs,
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule of the run: the built-in ones, then users' own.
    pub rules: Vec<RuleMeta>,
}

impl Outcome {
    /// Files that were not linted, and why.
    pub fn notices(&self) -> &[Notice] {
        &self.inputs.notices
    }

    /// How many templates were analysed.
    pub fn files_linted(&self) -> usize {
        self.inputs.templates().count()
    }

    /// The text of a file that has findings, by its display path (for snippets).
    pub fn source(&self, path: &str) -> Option<&str> {
        self.inputs
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.doc.text.as_str())
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
    let candidates = discover(&options.paths, &here.exclude)?;
    let inputs = load(candidates, &options.load)?;
    let file_configs = inputs
        .files
        .iter()
        .map(|f| configs.for_file(f.disk_path.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = rules_with_custom(
        options
            .rules_dirs
            .iter()
            .chain(file_configs.iter().flat_map(|c| &c.rules_dirs)),
    )?;
    let settings = Settings {
        rules: &rules,
        select: options.select.clone(),
        ignore: options.ignore.clone(),
        configs: file_configs,
    };
    settings.validate()?;
    let mut diagnostics = analyse(&inputs, &settings);
    if let Some(baseline) = baseline {
        diagnostics.retain(|d| !baseline.hides(d));
    }
    Ok(Outcome {
        inputs,
        diagnostics,
        rules,
    })
}
