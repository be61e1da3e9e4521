//! One finding for what several instances of a copy loop get at one place: a link in a loop
//! whose values are worked out instance by instance may get the same finding from each.

use std::collections::HashMap;

use super::Finding;
use crate::diagnostic::Span;
use crate::source::FileId;

/// The findings of one check, each group that differs only in its instance once, in
/// first-seen order; the message names the instance, or says how many had it.
pub fn merge_repeated(findings: Vec<Finding>) -> Vec<Finding> {
    // Each finding without its instance, the first instance, and how many had it; only findings
    // at one place can be alike, so each is compared with those at its place alone.
    let mut merged: Vec<(Finding, Option<String>, usize)> = Vec::new();
    let mut at_place: HashMap<(FileId, Span), Vec<usize>> = HashMap::new();
    for mut finding in findings {
        let instance = finding.instance.take();
        let place = at_place.entry((finding.file, finding.span)).or_default();
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
            match (count, instance) {
                (1, Some(instance)) => {
                    finding.message = format!("{} (instance {instance})", finding.message)
                }
                (1, None) => {}
                _ => {
                    finding.message = format!(
                        "{} (in {count} instances of its copy loop)",
                        finding.message
                    )
                }
            }
            finding
        })
        .collect()
}
