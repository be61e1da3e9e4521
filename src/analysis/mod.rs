//! Running the rules over one analysis set (every file of one run) and turning their findings
//! into diagnostics: configured levels, `--select`/`--ignore`, suppressions, pointers, lines and
//! columns. A pure function of the loaded inputs, so the CLI and the language server share it.

pub mod approvals;
pub mod azure;
mod cache;
pub mod certificates;
mod graph;
pub mod inspect;
mod join;
pub mod links;
mod pass;
pub mod producers;
mod resolve;
mod set;
mod summary;
mod suppression;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Excerpt, Level, Notice};
use crate::rules::{JOIN_CHECKS, RuleMeta, find};
use crate::source::{FileId, Inputs};

pub use cache::PassCache;
pub use join::World;
pub use pass::{FileReport, Read};
pub use resolve::{Located, LocatedAnchor, LocatedRelated, Resolved};
pub use set::{AnalysisSet, Anchor, ResourceRef, Unit};
pub use summary::{CertificateOf, LinkFact, ServiceFact, Summary, Unless};

use suppression::Suppressions;

/// Which rules run and at what level.
pub struct Settings<'r> {
    pub rules: &'r [RuleMeta],
    /// Codes, names or code prefixes (`WPS2`); empty means every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// The configuration that applies to each file, by file id.
    pub configs: Vec<Arc<Config>>,
}

impl<'r> Settings<'r> {
    fn matches(key: &str, rule: &RuleMeta) -> bool {
        let prefix = rule
            .code
            .get(..key.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(key));
        prefix || rule.name.eq_ignore_ascii_case(key)
    }

    /// Refuses a selector or a configured level that names no rule: a typo would otherwise turn
    /// checks off, or leave them on, without a word.
    pub fn validate(&self) -> Result<(), String> {
        const LISTED: &str = "`wps-lint rules` lists them";
        for (option, keys) in [("--select", &self.select), ("--ignore", &self.ignore)] {
            if let Some(key) = keys
                .iter()
                .find(|k| !self.rules.iter().any(|r| Self::matches(k, r)))
            {
                return Err(format!(
                    "{option} {key}: no rule has this code, name or code prefix; {LISTED}"
                ));
            }
        }
        // The defaults (no file) set no levels.
        for (config, path) in self
            .configs
            .iter()
            .filter_map(|c| Some((c, c.path.as_ref()?)))
        {
            if let Some(key) = config
                .rule_keys()
                .find(|k| !self.rules.iter().any(|r| r.is_called(k)))
            {
                return Err(format!(
                    "{}: [rules] {key}: no rule has this code or name; {LISTED}",
                    path.display()
                ));
            }
        }
        Ok(())
    }

    /// The level a rule's finding gets in a file, `Off` when it is not reported.
    fn level(&self, rule: &RuleMeta, finding_level: Option<Level>, file: FileId) -> Level {
        if self.ignore.iter().any(|k| Self::matches(k, rule)) {
            return Level::Off;
        }
        let selected = self.select.is_empty() || self.select.iter().any(|k| Self::matches(k, rule));
        if !selected {
            return Level::Off;
        }
        let configured = self
            .configs
            .get(file)
            .and_then(|c| c.level(&rule.code, &rule.name));
        let level = configured.unwrap_or(finding_level.unwrap_or(rule.level));
        // Naming an off-by-default rule exactly in --select turns it on.
        let named = self.select.iter().any(|k| rule.is_called(k));
        if level == Level::Off && named && configured.is_none() {
            Level::Warning
        } else {
            level
        }
    }

    /// The finding with its rule and level, `None` when its rule is off in its file.
    fn reported(&self, finding: Resolved) -> Option<Reported<'r>> {
        let rule = find(self.rules, &finding.code)?;
        let level = self.level(rule, finding.level, finding.at.file);
        (level != Level::Off).then_some(Reported {
            finding,
            rule,
            level,
        })
    }
}

/// A finding of a rule that is on where it was found, with the level it is reported at.
struct Reported<'r> {
    finding: Resolved,
    rule: &'r RuleMeta,
    level: Level,
}

/// What the analysis of one run hands on: the diagnostics, sorted as every report wants them,
/// the lines their snippets show, and notices of files a pass could not read.
#[derive(Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub excerpts: HashMap<String, Excerpt>,
    pub notices: Vec<Notice>,
    /// The templates analysed.
    pub linted: Vec<FileId>,
}

/// Lints every template of `inputs`, each in its own pass on a worker (largest first, so that
/// no core waits for one big file at the end), then joins what the passes left.
pub fn analyse(
    inputs: &Inputs,
    settings: &Settings,
    read: Read,
    cache: Option<&PassCache>,
) -> Analysis {
    let cache = cache.map(|c| (c, cache::rules_digest(settings.rules)));
    let mut tasks = inputs.tasks();
    tasks.sort_by_key(|(template, _)| std::cmp::Reverse(inputs.files[*template].size));
    let mut reports: Vec<Arc<FileReport>> = tasks
        .par_iter()
        .map(|(template, parameters)| {
            pass::run(inputs, *template, parameters, settings.rules, read, cache)
        })
        .collect();
    // The set's order: files by path, as the rules that pick "the first" expect.
    reports.sort_by_key(|r| r.template);
    join(inputs, settings, reports)
}

fn join(inputs: &Inputs, settings: &Settings, reports: Vec<Arc<FileReport>>) -> Analysis {
    let world = World::new(reports.iter().map(|r| &r.summary).collect());
    let mut findings: Vec<Resolved> = reports
        .iter()
        .flat_map(|r| r.findings.iter().cloned())
        .filter_map(|f| world.settle(f))
        .collect();
    findings.extend(JOIN_CHECKS.iter().flat_map(|(_, check)| check(&world)));
    findings.sort_by(|a, b| {
        (a.at.file, a.at.location.span, &a.code, &a.message).cmp(&(
            b.at.file,
            b.at.location.span,
            &b.code,
            &b.message,
        ))
    });
    findings.dedup();
    let mut suppressions = Suppressions::new(
        inputs,
        reports.iter().flat_map(|r| r.suppressions.iter().cloned()),
    );
    // Levels before suppressions: suppressing a rule that is off here hides nothing (WPS005).
    let kept: Vec<Reported> = findings
        .into_iter()
        .filter_map(|f| settings.reported(f))
        .filter(|r| !suppressions.suppresses(&r.finding))
        .collect();
    // WPS005 findings come last, so no suppression can hide them.
    let unused = suppressions
        .unused(settings)
        .into_iter()
        .filter_map(|f| settings.reported(f));
    let mut diagnostics: Vec<Diagnostic> = kept
        .into_iter()
        .chain(unused)
        .map(|r| to_diagnostic(inputs, r))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut analysis = Analysis {
        linted: reports
            .iter()
            .filter(|r| r.linted)
            .map(|r| r.template)
            .collect(),
        diagnostics,
        ..Analysis::default()
    };
    let shown: std::collections::HashSet<&str> = analysis
        .diagnostics
        .iter()
        .flat_map(|d| std::iter::once(&d.location).chain(d.related.iter().map(|r| &r.location)))
        .map(|l| l.file.as_str())
        .collect();
    let mut excerpts: HashMap<String, Excerpt> = HashMap::new();
    for report in &reports {
        analysis.notices.extend(report.notices.iter().cloned());
        for (file, excerpt) in &report.excerpts {
            let path = &inputs.files[*file].path;
            if shown.contains(path.as_str()) {
                excerpts
                    .entry(path.clone())
                    .or_default()
                    .merge(excerpt.clone());
            }
        }
    }
    analysis.excerpts = excerpts;
    analysis
}

fn to_diagnostic(inputs: &Inputs, reported: Reported) -> Diagnostic {
    let Reported {
        finding: f,
        rule,
        level,
    } = reported;
    let parameters = f.parameters.map(|p| inputs.files[p].path.clone());
    let message = match &parameters {
        // Every format shows the message, so each says which parameter file it is.
        Some(p) => format!("{} (with parameter file {p})", f.message),
        None => f.message,
    };
    Diagnostic {
        code: rule.code.clone(),
        name: rule.name.clone(),
        level,
        message,
        parameters,
        location: f.at.location,
        related: f.related.into_iter().map(|r| r.related).collect(),
        help: f.help,
        fix: f.fix,
    }
}
