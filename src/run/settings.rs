//! Which rules run and at what level: `--select`/`--ignore`, the configured levels of each
//! file, and a rule's own default.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Level;
use crate::facts::Resolved;
use crate::rules::{RuleMeta, find};
use crate::source::FileId;

/// Which rules run and at what level.
pub struct RuleSettings<'r> {
    pub rules: &'r [RuleMeta],
    /// Codes, names or code prefixes (`WPS2`); empty means every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// The configuration that applies to each file, by file id.
    pub configs: Vec<Arc<Config>>,
}

impl<'r> RuleSettings<'r> {
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
    pub(super) fn level(
        &self,
        rule: &RuleMeta,
        finding_level: Option<Level>,
        file: FileId,
    ) -> Level {
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
    pub(super) fn reported(&self, finding: Resolved) -> Option<Reported<'r>> {
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
pub(super) struct Reported<'r> {
    pub finding: Resolved,
    pub rule: &'r RuleMeta,
    pub level: Level,
}
