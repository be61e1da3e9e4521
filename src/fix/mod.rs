//! `check --fix` and `--diff`: apply the findings' machine-applicable fixes, re-lint, repeat.
//!
//! A fix's edits are byte-span replacements in the finding's own file (a parameter file when
//! the finding points there), so everything outside them (indentation, line endings, byte
//! order mark, comments) stays as it was. A fix is applied whole or not at all; fixes whose
//! edits overlap one already taken wait for the next round, after a re-lint has recomputed
//! them against the new text. A file with a syntax error (WPS001) is never touched, and a
//! result that no longer parses is not kept.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::{Path, PathBuf};

use foldhash::{HashSet, HashSetExt};

use crate::json::parse;
use crate::rules::{INVALID_JSON, UNUSED_SUPPRESSION};
use crate::run::{Outcome, RunOptions, lint};
use crate::source::{Disk, Language, Replace, WriteError, replace_text};
use suppress::disable_for_resource;

mod plan;
pub mod suppress;

pub use plan::{FixPlan, Take};

/// Rounds of fix and re-lint at most: each round applies at least one fix, and one fix is
/// applied once, so this only bounds chains of overlapping fixes.
const MAX_ROUNDS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--fix`: write the fixed files.
    Write,
    /// `--diff`: keep the fixed texts in memory only.
    Preview,
}

/// One file the fixes changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The display path, as in diagnostics.
    pub file: String,
    pub before: String,
    pub after: String,
}

/// What a fix run did and what remains.
pub struct Fixed {
    /// The lint of the fixed files (what remains).
    pub outcome: Outcome,
    /// Changed files, sorted by path.
    pub changes: Vec<Change>,
    /// How many fixes were applied.
    pub applied: usize,
    /// Why some fixes were not applied, one line each.
    pub refused: Vec<String>,
}

/// Lints, applies fixes and re-lints until nothing more applies.
pub fn fix(options: RunOptions, mode: Mode) -> Result<Fixed, String> {
    fix_on(options, mode, &Disk)
}

/// [`fix`], writing through `disk`. A file that changed since the fixes were planned on it is
/// left alone (and said so); one that cannot be written fails the run, unchanged.
pub fn fix_on(mut options: RunOptions, mode: Mode, disk: &dyn Replace) -> Result<Fixed, String> {
    if options.load.stdin.is_some() {
        return Err("--fix and --diff work on files; standard input cannot be fixed".into());
    }
    let mut files: BTreeMap<String, Change> = BTreeMap::new();
    // Fixes already applied, so that one that does not remove its finding is not applied again.
    let mut done: HashSet<(String, String, String, String)> = HashSet::new();
    // Files left alone from now on (their fixes did not give valid JSON).
    let mut frozen: HashSet<String> = HashSet::new();
    let mut applied = 0;
    let mut refused = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let outcome = lint(&options)?;
        // Fixes are planned on the text the lint saw: it must be the fixed one.
        if let Some(stale) = files
            .values()
            .find(|c| read(&options, &c.file).is_ok_and(|text| text != c.after))
        {
            return Err(format!(
                "--fix: {} changed while it was being fixed; nothing more was done",
                stale.file
            ));
        }
        let broken = broken_files(&outcome);
        let mut plans: BTreeMap<String, FixPlan> = BTreeMap::new();
        for d in &outcome.diagnostics {
            let file = &d.location.file;
            let Some(fix) = &d.fix else { continue };
            if broken.contains(file.as_str()) || frozen.contains(file) {
                continue;
            }
            let key = (
                file.clone(),
                d.code.clone(),
                d.location.pointer.clone(),
                fix.description.clone(),
            );
            if done.contains(&key) {
                continue;
            }
            let plan = match plans.entry(file.clone()) {
                Entry::Occupied(plan) => plan.into_mut(),
                Entry::Vacant(entry) => {
                    let Ok(text) = read(&options, file) else {
                        continue;
                    };
                    // The fixes' spans are the lint's: read again, the text must still have
                    // the lines they point into.
                    if outcome.source(file).is_some_and(|e| !e.agrees_with(&text)) {
                        refused.push(changed_since_read(file));
                        frozen.insert(file.clone());
                        continue;
                    }
                    entry.insert(FixPlan::new(text))
                }
            };
            match plan.take(d) {
                Take::Taken => {
                    done.insert(key);
                }
                Take::Deferred => {}
                Take::Misplaced => {
                    refused.push(format!(
                        "{file}: the fix of {} at {} was not applied: its edits do not fit this file",
                        d.code, d.location.pointer
                    ));
                    done.insert(key);
                }
            }
        }
        let mut changed = false;
        let mut deferred = false;
        for (file, plan) in plans {
            deferred |= plan.deferred;
            if plan.fixes == 0 {
                continue;
            }
            let after = plan.apply();
            if let Some(error) = syntax_error(&file, &after) {
                refused.push(format!("{file}: not fixed: the fixes would leave {error}"));
                frozen.insert(file);
                continue;
            }
            match mode {
                Mode::Write => match replace_text(disk, Path::new(&file), &plan.text, &after) {
                    Ok(()) => {}
                    Err(WriteError::Changed) => {
                        refused.push(changed_since_read(&file));
                        frozen.insert(file);
                        continue;
                    }
                    Err(e) => return Err(format!("--fix: cannot write {file}: {e}")),
                },
                Mode::Preview => overlay(&mut options, &file, &after),
            }
            applied += plan.fixes;
            changed = true;
            files
                .entry(file.clone())
                .or_insert_with(|| Change {
                    file: file.clone(),
                    before: plan.text.clone(),
                    after: String::new(),
                })
                .after = after;
        }
        if !changed || !deferred {
            let outcome = if changed { lint(&options)? } else { outcome };
            return Ok(finish(outcome, files, applied, refused));
        }
    }
    let outcome = lint(&options)?;
    Ok(finish(outcome, files, applied, refused))
}

/// The first syntax error of a file's text, in its own language, as `invalid JSON (...)`.
fn syntax_error(file: &str, text: &str) -> Option<String> {
    if Language::of(Path::new(file)).is_some_and(Language::is_bicep) {
        let error = crate::bicep::parse(text).errors.into_iter().next()?;
        return Some(format!("invalid Bicep ({})", error.message));
    }
    let error = parse(text).root.err()?;
    Some(format!("invalid JSON ({})", error.message))
}

/// What `check --add-suppressions` did.
pub struct Suppressed {
    /// Entries added, and the files they went into.
    pub added: usize,
    pub files: usize,
    /// Findings that lie in no resource (a template's variables, outputs), which only a
    /// comment or the configuration can silence.
    pub outside: usize,
    /// Files left alone, and why.
    pub refused: Vec<String>,
}

/// `check --add-suppressions`, like ruff's `--add-noqa`: every current finding gets its rule
/// added to the `metadata.wps-lint.disable` of the resource it lies in (in the template, for
/// one anchored in a parameter file). Unused-suppression and invalid-JSON findings are left.
pub fn add_suppressions(options: &RunOptions) -> Result<Suppressed, String> {
    let outcome = lint(options)?;
    let broken = broken_files(&outcome);
    let mut wanted: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    let mut outside = 0;
    for d in outcome
        .diagnostics
        .iter()
        // Files with invalid JSON are left alone; unused suppressions are removed, not
        // suppressed.
        .filter(|d| d.code != INVALID_JSON.code && d.code != UNUSED_SUPPRESSION.code)
    {
        // The finding's place in a template: its own, or the template property that takes a
        // parameter file's value.
        let place = std::iter::once(&d.location)
            .chain(d.related.iter().map(|r| &r.location))
            .find(|l| l.pointer.starts_with("/resources/"));
        match place {
            Some(l) if !broken.contains(l.file.as_str()) => {
                let list = wanted.entry(&l.file).or_default();
                if !list.contains(&(&l.pointer, &d.code)) {
                    list.push((&l.pointer, &d.code));
                }
            }
            _ => outside += 1,
        }
    }
    let mut done = Suppressed {
        added: 0,
        files: 0,
        outside,
        refused: Vec::new(),
    };
    for (file, entries) in wanted {
        if Language::of(Path::new(file)).is_some_and(Language::is_bicep) {
            // The entries go into a resource's JSON `metadata`, which a Bicep file does not
            // have in that form.
            done.refused.push(format!(
                "{file}: not changed: suppress in Bicep with `#disable-next-line CODE` comments"
            ));
            continue;
        }
        let original = read(options, file)?;
        let mut text = original.clone();
        let mut added = 0;
        // One at a time: a second rule for a resource goes into the list the first one made.
        for (pointer, code) in entries {
            let doc = parse(&text);
            let Some(edit) = doc
                .root
                .as_ref()
                .ok()
                .and_then(|root| disable_for_resource(&text, root, pointer, code))
            else {
                continue;
            };
            drop(doc);
            text.replace_range(edit.0.range(), &edit.1);
            added += 1;
        }
        if added == 0 {
            continue;
        }
        if let Err(error) = parse(&text).root {
            done.refused.push(format!(
                "{file}: not changed: the suppressions would leave invalid JSON ({})",
                error.message
            ));
            continue;
        }
        match replace_text(&Disk, Path::new(file), &original, &text) {
            Ok(()) => {}
            Err(WriteError::Changed) => {
                done.refused.push(format!(
                    "{file}: not changed: it changed since it was read; left as it is"
                ));
                continue;
            }
            Err(e) => return Err(format!("--add-suppressions: cannot write {file}: {e}")),
        }
        done.added += added;
        done.files += 1;
    }
    Ok(done)
}

fn changed_since_read(file: &str) -> String {
    format!("{file}: not fixed: it changed since it was read; left as it is")
}

/// Files with a syntax error (WPS001): never touched.
fn broken_files(outcome: &Outcome) -> HashSet<&str> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == INVALID_JSON.code)
        .map(|d| d.location.file.as_str())
        .collect()
}

/// A file's text as the lint reads it: its overlay (a preview's fixed text), else the disk.
fn read(options: &RunOptions, file: &str) -> Result<String, String> {
    options.load.read(Path::new(file))
}

fn finish(
    outcome: Outcome,
    files: BTreeMap<String, Change>,
    applied: usize,
    refused: Vec<String>,
) -> Fixed {
    Fixed {
        outcome,
        changes: files
            .into_values()
            .filter(|c| c.before != c.after)
            .collect(),
        applied,
        refused,
    }
}

/// The fixed text stands for the file in the next lint. Discovery names a file as given or
/// joined to a directory argument, with or without a leading `./`; the display path has none.
fn overlay(options: &mut RunOptions, file: &str, text: &str) {
    for key in [PathBuf::from(file), PathBuf::from(".").join(file)] {
        options.load.overlays.insert(key, text.to_string());
    }
}

/// A unified diff of one change, `--- a/FILE` / `+++ b/FILE`, three lines of context.
pub fn unified_diff(change: &Change) -> String {
    similar::TextDiff::from_lines(&change.before, &change.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", change.file), &format!("b/{}", change.file))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_are_unified() {
        let change = Change {
            file: "infra/a.json".into(),
            before: "{\r\n  \"groupId\": \"vaults\"\r\n}\r\n".into(),
            after: "{\r\n  \"groupId\": \"vault\"\r\n}\r\n".into(),
        };
        assert_eq!(
            unified_diff(&change),
            "--- a/infra/a.json\n+++ b/infra/a.json\n@@ -1,3 +1,3 @@\n {\r\n-  \"groupId\": \"vaults\"\r\n+  \"groupId\": \"vault\"\r\n }\r\n"
        );
    }
}
