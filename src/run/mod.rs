//! One run of the pipeline, end to end: discover and load files, find each file's
//! configuration, run each template's pass (`pass`), join what the passes left (`join`), hide
//! what the baseline lists. The CLI, the language server and the tests call this; reporting is
//! the caller's.

pub mod baseline;
mod cache;
mod deployments;
pub mod inspect;
mod join;
mod pass;
mod resolve;
mod settings;
mod summarize;
mod suppressions;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use crate::config::{Config, Configs};
use crate::diagnostic::{Diagnostic, Excerpt, Notice};
use crate::rules::{RuleMeta, rules_with_custom};
use crate::source::{
    Candidate, FileId, Inputs, LoadOptions, Origin, Skipped, SourceFile, Stamp, absolute, context,
    discover_counting, display_path, load,
};
use baseline::Baseline;
use cache::DiskCache;
pub use cache::{CACHE_DIR_VARIABLE, CACHE_FOLDER, CacheDir, Caches, PassCache};
pub use join::{Analysis, analyse};
pub use pass::Read;
pub use settings::RuleSettings;

/// Tells a run that its answer is no longer wanted (the editor's text changed again), so that
/// it stops instead of finishing work nobody will read: before each pass, between a Bicep
/// file's declarations while it is lowered, between the stages of a pass and between its rules.
/// A cancelled run keeps nothing in the pass cache (nor a module it cut short) and ends with
/// `Err(CANCELLED)`.
#[derive(Clone, Default)]
pub struct Cancel(Option<Arc<dyn Fn() -> bool + Send + Sync>>);

impl Cancel {
    pub fn when(cancelled: impl Fn() -> bool + Send + Sync + 'static) -> Cancel {
        Cancel(Some(Arc::new(cancelled)))
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|cancelled| cancelled())
    }
}

impl std::fmt::Debug for Cancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Cancel(when)"
        } else {
            "Cancel(never)"
        })
    }
}

/// The error of a run that was cancelled.
pub const CANCELLED: &str = "the run was cancelled: a newer change replaced it";

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
    /// Where passes are kept between processes (`None`: nowhere). With `cache`, its disk is
    /// read once for all the runs that share it.
    pub cache_dir: Option<CacheDir>,
    /// Stops the run early when its answer is no longer wanted.
    pub cancel: Cancel,
}

pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Every rule of the run: the built-in ones, then users' own.
    pub rules: Vec<RuleMeta>,
    notices: Vec<Notice>,
    files: usize,
    excerpts: HashMap<String, Excerpt>,
    skipped: Skipped,
    cache_problem: Option<String>,
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

    /// Why the run's passes could not be kept on disk, if they could not: the run's answer
    /// stands all the same.
    pub fn cache_problem(&self) -> Option<&str> {
        self.cache_problem.as_deref()
    }
}

/// Errors are failures of the run itself (exit status 2): a missing path, a bad config or
/// baseline file.
pub fn lint(options: &RunOptions) -> Result<Outcome, String> {
    prepare(options)?.lint(&options.load, options.cache.as_deref(), &options.cancel)
}

/// What a run learns from the disk before any analysis: the files found, looked at and
/// paired, each file's configuration, the rules, the baseline and the on-disk cache. Linting
/// it is then a function of it and the texts, so a process that lints again when only
/// editors' texts changed (the language server, on a keystroke) prepares once, and touches the
/// disk for nothing else.
pub struct Prepared {
    inputs: Inputs,
    rules: Vec<RuleMeta>,
    select: Vec<String>,
    ignore: Vec<String>,
    configs: Vec<Arc<Config>>,
    /// The display paths findings are reported for (see `reported_files`).
    reported: HashSet<String>,
    baseline: Option<Baseline>,
    skipped: Skipped,
    disk: Option<Arc<DiskCache>>,
    /// The configuration files that apply, with their stamps when prepared.
    config_stamps: Vec<(PathBuf, Option<Stamp>)>,
}

/// Finds, looks at and pairs the files of a run, and settles what applies to each. Errors as
/// for `lint`.
pub fn prepare(options: &RunOptions) -> Result<Prepared, String> {
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
    // An editor's document that is not on disk (not saved yet, or deleted) is linted from
    // the editor's text, which is the truth for an open document.
    let (unsaved, on_disk): (Vec<PathBuf>, Vec<PathBuf>) =
        options.paths.iter().cloned().partition(|p| {
            options.load.overlays.contains_key(p) && std::fs::symlink_metadata(p).is_err()
        });
    let first = on_disk.first().cloned().or_else(|| {
        let (name, _) = options.load.stdin.as_ref()?;
        Some(PathBuf::from(name))
    });
    let disk = options
        .cache_dir
        .as_ref()
        .and_then(|dir| dir.folder(first.as_deref()))
        .map(|dir| match &options.cache {
            Some(cache) => cache.disk(dir),
            None => Arc::new(DiskCache::open(dir)),
        });
    if let (Some(disk), Some(looks)) = (&disk, &options.load.looks) {
        disk.fill(looks);
    }
    let mut candidates = discover_counting(&on_disk, &here.exclude, &mut skipped)?;
    candidates.extend(unsaved.into_iter().map(|path| Candidate {
        display: display_path(&path),
        path,
        origin: Origin::Explicit,
        inode: None,
    }));
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
    let inputs = load(candidates, &options.load)?;
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
    let config_stamps = file_configs
        .iter()
        .filter_map(|c| c.path.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|path| {
            let stamp = Stamp::of(&path);
            (path, stamp)
        })
        .collect();
    let prepared = Prepared {
        inputs,
        rules,
        select: options.select.clone(),
        ignore: options.ignore.clone(),
        configs: file_configs,
        reported,
        baseline,
        skipped,
        disk,
        config_stamps,
    };
    prepared.settings().validate()?;
    Ok(prepared)
}

impl Prepared {
    fn settings(&self) -> RuleSettings<'_> {
        RuleSettings {
            rules: &self.rules,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            configs: self.configs.clone(),
        }
    }

    /// Whether a file or configuration changed on disk since it was prepared: a process that
    /// keeps a `Prepared` checks now and then, for changes nobody told it of. Files are
    /// stamped by a run that keeps looks (`LoadOptions::looks`), as the language server's do.
    pub fn changed_on_disk(&self) -> bool {
        self.inputs.files.iter().any(SourceFile::changed_on_disk)
            || self
                .config_stamps
                .iter()
                .any(|(path, stamp)| Stamp::of(path) != *stamp)
    }

    /// Whether these editors' texts leave what was prepared true: each stands for a file of
    /// the run, and keeps it the kind of file it was looked at as.
    pub fn holds_for(&self, overlays: &HashMap<PathBuf, String>) -> bool {
        overlays.iter().all(|(path, text)| {
            self.inputs
                .files
                .iter()
                .find(|f| f.disk_path.as_deref() == Some(path.as_path()))
                .is_some_and(|f| f.keeps_kind(text))
        })
    }

    /// Lints what was prepared, with `load`'s texts (its overlays) standing for files on
    /// disk, keeping passes in `memory` and on disk. Errors as for `lint`.
    pub fn lint(
        &self,
        load: &LoadOptions,
        memory: Option<&PassCache>,
        cancel: &Cancel,
    ) -> Result<Outcome, String> {
        let caches = Caches {
            memory,
            disk: self.disk.as_deref(),
        };
        let analysis =
            analyse(&self.inputs, &self.settings(), load, caches, cancel).ok_or(CANCELLED)?;
        let cache_problem = self
            .disk
            .as_ref()
            .and_then(|disk| disk.save(load.looks.as_deref()).err());
        let reported = &self.reported;
        let mut diagnostics = analysis.diagnostics;
        // A finding in a module file is reported where a call of the module is.
        diagnostics.retain(|d| {
            std::iter::once(&d.location)
                .chain(
                    d.related
                        .iter()
                        .filter(|r| r.message == resolve::MODULE_CALL)
                        .map(|r| &r.location),
                )
                .any(|l| reported.contains(l.file.as_str()))
        });
        if let Some(baseline) = &self.baseline {
            diagnostics.retain(|d| !baseline.hides(d));
        }
        let mut notices = self.inputs.notices.clone();
        notices.extend(self.skipped.unreadable.iter().cloned());
        notices.extend(
            analysis
                .notices
                .into_iter()
                .filter(|n| reported.contains(n.file.as_str())),
        );
        Ok(Outcome {
            diagnostics,
            rules: self.rules.clone(),
            notices,
            files: analysis
                .linted
                .iter()
                .filter(|&&t| reported.contains(self.inputs.files[t].path.as_str()))
                .count(),
            excerpts: analysis.excerpts,
            skipped: self.skipped.clone(),
            cache_problem,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepared_files_are_linted_with_new_texts_and_tell_a_change_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.json");
        let template = |resources: &str| {
            format!(
                r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{resources}]}}"#
            )
        };
        let vault = r#"{"type": "Microsoft.KeyVault/vaults", "name": "[parameters('missing')]"}"#;
        std::fs::write(&path, template("")).unwrap();
        // Stamps are taken by a run that keeps looks, as the language server's do.
        let mut options = RunOptions {
            paths: vec![path.clone()],
            no_context: true,
            load: LoadOptions {
                looks: Some(Arc::default()),
                ..LoadOptions::default()
            },
            ..RunOptions::default()
        };
        let prepared = prepare(&options).unwrap();
        let codes = |load: &LoadOptions| -> Vec<String> {
            let outcome = prepared.lint(load, None, &Cancel::default()).unwrap();
            outcome.diagnostics.iter().map(|d| d.code.clone()).collect()
        };
        assert_eq!(codes(&options.load), Vec::<String>::new());
        // An editor's text stands for the file: the same prepared files, another answer.
        options.load.overlays.insert(path.clone(), template(vault));
        assert!(prepared.holds_for(&options.load.overlays));
        assert_eq!(codes(&options.load), ["WPS003"]);
        // A text that is no longer a template is not what was prepared.
        let not_a_template: HashMap<_, _> =
            [(path.clone(), "{}".to_string())].into_iter().collect();
        assert!(!prepared.holds_for(&not_a_template));
        assert!(!prepared.changed_on_disk());
        std::fs::write(&path, template(vault)).unwrap();
        assert!(prepared.changed_on_disk());
    }

    #[test]
    fn a_cancelled_run_stops_and_keeps_no_pass() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let cache = Arc::new(PassCache::default());
        let options = |cancel| RunOptions {
            paths: vec![dir.clone()],
            no_context: true,
            cache: Some(cache.clone()),
            cancel,
            ..RunOptions::default()
        };
        let cancelled = lint(&options(Cancel::when(|| true)));
        assert_eq!(cancelled.err().as_deref(), Some(CANCELLED));
        let asked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = asked.clone();
        let outcome = lint(&options(Cancel::when(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            false
        })))
        .unwrap();
        assert!(!outcome.diagnostics.is_empty());
        // Nothing was kept by the cancelled run: every template was analysed, and asked.
        assert!(asked.load(std::sync::atomic::Ordering::Relaxed) >= outcome.files_linted());
    }

    #[test]
    fn a_run_cancelled_at_any_step_ends_cancelled_and_keeps_nothing_of_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // A Bicep file that calls a local module: lowered declaration by declaration. Linted
        // where it is: a run with no cache folder writes nothing.
        let main = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/WPS103/fires-bicep-module/main.bicep");
        // Cancelled from the `from`th time it is asked on (never: 0), counting the asks.
        let run = |from: usize, cache: &Arc<PassCache>| {
            let asked = Arc::new(AtomicUsize::new(0));
            let counted = asked.clone();
            let cancel = Cancel::when(move || {
                let ask = counted.fetch_add(1, Ordering::Relaxed) + 1;
                from != 0 && ask >= from
            });
            let outcome = lint(&RunOptions {
                paths: vec![main.clone()],
                no_context: true,
                cache: Some(cache.clone()),
                cancel,
                ..RunOptions::default()
            })
            .map(|o| o.diagnostics);
            (outcome, asked.load(Ordering::Relaxed))
        };
        let (whole, asks) = run(0, &Arc::default());
        let whole = whole.unwrap();
        assert!(!whole.is_empty());
        // Asked at many steps (before each rule, each resource and module lowered), not only
        // between stages.
        assert!(asks > 20, "{asks}");
        for from in 1..=asks {
            let cache = Arc::default();
            let cancelled = run(from, &cache).0;
            assert_eq!(
                cancelled.err().as_deref(),
                Some(CANCELLED),
                "from ask {from}"
            );
            // Nothing of the cancelled run was kept: the next one gives the whole answer.
            let next = run(0, &cache).0.unwrap();
            assert_eq!(next, whole, "after cancelling from ask {from}");
        }
    }
}
