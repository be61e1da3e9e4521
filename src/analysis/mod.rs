//! Running the rules over one analysis set (every file of one run) and turning their findings
//! into diagnostics: configured levels, `--select`/`--ignore`, suppressions, pointers, lines and
//! columns. A pure function of the loaded inputs, so the CLI and the language server share it.

pub mod approvals;
pub mod azure;
pub mod certificates;
mod graph;
pub mod links;
mod set;
mod suppression;

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Edit, Fix, Level, Location, Related, Span};
use crate::json::pointer_of;
use crate::rules::{
    Finding, RuleMeta, SET_CHECKS, UNIT_CHECKS, check_invalid_json, declarative, find,
};
use crate::source::{FileId, Inputs, SourceFile};
use crate::template::Template;

pub use set::{AnalysisSet, Anchor, ResourceRef, Unit};

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
    fn reported(&self, finding: Finding) -> Option<Reported<'r>> {
        let rule = find(self.rules, &finding.code)?;
        let level = self.level(rule, finding.level, finding.file);
        (level != Level::Off).then_some(Reported {
            finding,
            rule,
            level,
        })
    }
}

/// A finding of a rule that is on where it was found, with the level it is reported at.
struct Reported<'r> {
    finding: Finding,
    rule: &'r RuleMeta,
    level: Level,
}

/// Lints every unit of `inputs` and returns the diagnostics, sorted as every report wants them.
pub fn analyse(inputs: &Inputs, settings: &Settings) -> Vec<Diagnostic> {
    let mut findings: Vec<Finding> = inputs
        .files
        .iter()
        .enumerate()
        .filter_map(|(id, file)| {
            file.doc
                .root
                .as_ref()
                .err()
                .map(|e| check_invalid_json(id, e))
        })
        .collect();
    let units: Vec<Unit> = inputs
        .units
        .par_iter()
        .filter_map(|&(file, parameters)| {
            let root = inputs.files[file].root()?;
            let parameter_root = parameters.and_then(|p| inputs.files[p].root());
            let parameters = parameters.filter(|_| parameter_root.is_some());
            Some(Unit::new(
                file,
                parameters,
                Template::build(root, parameter_root),
            ))
        })
        .collect();
    let set = AnalysisSet::new(inputs, units);
    let declarative: Vec<&RuleMeta> = settings
        .rules
        .iter()
        .filter(|r| !r.checks.is_empty())
        .collect();
    findings.par_extend(set.units.par_iter().flat_map_iter(|unit| {
        UNIT_CHECKS.iter().flat_map(|(_, check)| check(unit)).chain(
            declarative
                .iter()
                .flat_map(|rule| declarative::check(unit, rule)),
        )
    }));
    findings.par_extend(
        SET_CHECKS
            .par_iter()
            .flat_map_iter(|(_, check)| check(&set)),
    );
    findings.sort_by(|a, b| {
        (a.file, a.span, &a.code, &a.message).cmp(&(b.file, b.span, &b.code, &b.message))
    });
    findings.dedup();
    let mut suppressions = Suppressions::collect(&set, settings.rules);
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
    diagnostics
}

fn location(file: &SourceFile, span: Span) -> Location {
    let pointer = file
        .root()
        .and_then(|root| pointer_of(root, span))
        .unwrap_or_default();
    Location {
        file: file.path.clone(),
        pointer,
        range: file.doc.lines.range(&file.doc.text, span),
        span,
    }
}

fn to_diagnostic(inputs: &Inputs, reported: Reported) -> Diagnostic {
    let Reported {
        finding: f,
        rule,
        level,
    } = reported;
    let file = &inputs.files[f.file];
    Diagnostic {
        code: rule.code.clone(),
        name: rule.name.clone(),
        level,
        message: f.message,
        location: location(file, f.span),
        related: f
            .related
            .into_iter()
            .map(|r| Related {
                location: location(&inputs.files[r.file], r.span),
                message: r.message,
            })
            .collect(),
        help: f.help,
        fix: f.fix.map(|fix| Fix {
            description: fix.description,
            edits: fix
                .edits
                .into_iter()
                .map(|(span, new_text)| Edit {
                    range: file.doc.lines.range(&file.doc.text, span),
                    span,
                    new_text,
                })
                .collect(),
        }),
    }
}
