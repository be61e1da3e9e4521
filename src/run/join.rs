//! The cross-file half of a run: every template's pass on a worker, then the join of what the
//! passes left. Findings that wait on other files are settled against the evidence of the
//! whole run, the cross-file checks run, levels and suppressions apply, and the findings become
//! diagnostics. A pure function of the loaded inputs, so the CLI and the language server share
//! it.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use super::Cancel;
use super::cache::{self, Caches};
use super::deployments::deployments;
use super::pass::{self, FileReport, Keep, Read, Shared};
use super::resolve::MODULE_CALL;
use super::settings::{Reported, RuleSettings};
use super::suppressions::Suppressions;
use crate::bicep::LoweredModules;
use crate::diagnostic::{Diagnostic, Excerpt, Notice};
use crate::facts::{Evidence, Resolved, Settled};
use crate::rules::{Check, NATIVE_RULES};
use crate::source::{FileId, Inputs};

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

/// Lints every template of `inputs`, each in its own pass on a worker, then joins what the
/// passes left. The passes go in the files' order, by path, so that the files that use one
/// Bicep module (its tests, the templates of one folder) come one after another, while the
/// module is still kept lowered (`LoweredModules`); in order of size they lowered it again
/// and again (a run over the Bicep corpus took 0.85 s instead of 0.5 s). `None` when
/// `cancel` says the answer is no longer wanted.
pub fn analyse(
    inputs: &Inputs,
    settings: &RuleSettings,
    read: Read,
    caches: Caches,
    cancel: &Cancel,
) -> Option<Analysis> {
    let rules = if caches.memory.is_some() || caches.disk.is_some() {
        cache::rules_digest(settings.rules)
    } else {
        0
    };
    // A pass on disk is keyed by the configurations of its files too.
    let config = |f: FileId| settings.configs.get(f).map_or(0, |c| c.digest);
    let keep = |template: FileId, parameters: &[FileId]| Keep {
        memory: caches.memory.map(|c| (c, rules)),
        disk: caches.disk.map(|d| {
            let configs: Vec<u64> = std::iter::once(template)
                .chain(parameters.iter().copied())
                .map(config)
                .collect();
            (d, cache::pass_key(rules, &configs))
        }),
    };
    let tasks = inputs.tasks();
    let lowered = LoweredModules::default();
    let shared = Shared {
        rules: settings.rules,
        read,
        lowered: &lowered,
        cancel,
    };
    let mut reports: Vec<Arc<FileReport>> = tasks
        .par_iter()
        .map(|(template, parameters)| {
            pass::run(
                inputs,
                *template,
                parameters,
                shared,
                keep(*template, parameters),
            )
        })
        .collect::<Option<_>>()?;
    // The set's order: files by path, as the rules that pick "the first" expect.
    reports.sort_by_key(|r| r.template);
    Some(join(inputs, settings, reports))
}

fn join(inputs: &Inputs, settings: &RuleSettings, reports: Vec<Arc<FileReport>>) -> Analysis {
    let world = Evidence::new(
        reports.iter().map(|r| (r.template, &r.summary)).collect(),
        deployments(inputs, &reports),
    );
    let mut findings: Vec<Resolved> = Vec::new();
    // Findings only another deployment answers: a suppression of them is still in use (WPS005
    // judges it as the file alone has it).
    let mut answered_elsewhere: Vec<Resolved> = Vec::new();
    for report in &reports {
        for finding in &report.findings {
            match world.settle(finding.clone(), report.template) {
                Settled::Fires(f) => findings.push(f),
                Settled::AnsweredElsewhere(f) => answered_elsewhere.push(f),
                Settled::Answered => {}
            }
        }
    }
    findings.extend(NATIVE_RULES.iter().flat_map(|rule| match rule.check {
        Check::Join(check) => check(&world),
        _ => Vec::new(),
    }));
    findings.sort_by(|a, b| {
        (a.at.file, a.at.location.span, &a.code, &a.message).cmp(&(
            b.at.file,
            b.at.location.span,
            &b.code,
            &b.message,
        ))
    });
    let findings = merge_module_calls(findings);
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
    for r in answered_elsewhere
        .into_iter()
        .filter_map(|f| settings.reported(f))
    {
        suppressions.suppresses(&r.finding);
    }
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
    let shown: HashSet<&str> = analysis
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

/// Findings sorted by place, with duplicates dropped; a finding in a module file that several
/// calls of the module (or the module linted alone) give alike is kept once, with every call.
fn merge_module_calls(findings: Vec<Resolved>) -> Vec<Resolved> {
    let calls = |f: &Resolved| f.related.iter().any(|r| r.related.message == MODULE_CALL);
    let mut out: Vec<Resolved> = Vec::with_capacity(findings.len());
    for f in findings {
        let alike = |g: &Resolved| {
            *g == f
                || ((calls(g) || calls(&f))
                    && Resolved {
                        related: Vec::new(),
                        ..g.clone()
                    } == Resolved {
                        related: Vec::new(),
                        ..f.clone()
                    })
        };
        let earlier = out
            .iter_mut()
            .rev()
            .take_while(|g| (g.at.file, g.at.location.span) == (f.at.file, f.at.location.span))
            .find(|g| alike(g));
        match earlier {
            Some(g) => {
                for r in f.related {
                    if !g.related.contains(&r) {
                        g.related.push(r);
                    }
                }
            }
            None => out.push(f),
        }
    }
    out
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
