//! One finding for what several instances of a copy loop get at one place: a link in a loop
//! whose values are worked out instance by instance may get the same finding from each.

use foldhash::{HashMap, HashMapExt};

use super::Finding;
use crate::diagnostic::Span;
use crate::facts::Resolved;
use crate::source::FileId;

/// A finding as a check makes it (`Finding`) or as a cross-file check does (`Resolved`): where
/// it is, and its message, which gets the instance or the count.
pub trait Repeatable: PartialEq {
    fn place(&self) -> (FileId, Span);
    fn message_mut(&mut self) -> &mut String;
}

impl Repeatable for Finding {
    fn place(&self) -> (FileId, Span) {
        (self.file, self.span)
    }

    fn message_mut(&mut self) -> &mut String {
        &mut self.message
    }
}

impl Repeatable for Resolved {
    fn place(&self) -> (FileId, Span) {
        (self.at.file, self.at.location.span)
    }

    fn message_mut(&mut self) -> &mut String {
        &mut self.message
    }
}

/// The findings of one check, each group that differs only in its instance once, in
/// first-seen order; the message names the instance, or says how many had it.
pub fn merge_repeated(findings: Vec<Finding>) -> Vec<Finding> {
    merge_instances(findings.into_iter().map(|mut finding| {
        let instance = finding.instance.take();
        (finding, instance)
    }))
}

/// `merge_repeated` for findings given with the instance each was found on.
pub fn merge_instances<F: Repeatable>(
    findings: impl IntoIterator<Item = (F, Option<String>)>,
) -> Vec<F> {
    // Each finding, the first instance, and how many had it; only findings at one place can be
    // alike, so each is compared with those at its place alone.
    let mut merged: Vec<(F, Option<String>, usize)> = Vec::new();
    let mut at_place: HashMap<(FileId, Span), Vec<usize>> = HashMap::new();
    for (finding, instance) in findings {
        let place = at_place.entry(finding.place()).or_default();
        match place.iter().find(|&&m| merged[m].0 == finding) {
            Some(&m) => merged[m].2 += 1,
            None => {
                place.push(merged.len());
                merged.push((finding, instance, 1));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut finding, instance, count)| {
            let message = finding.message_mut();
            match (count, instance) {
                (1, Some(instance)) => *message = format!("{message} (instance {instance})"),
                (1, None) => {}
                _ => *message = format!("{message} (in {count} instances of its copy loop)"),
            }
            finding
        })
        .collect()
}
