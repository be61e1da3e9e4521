//! One finding for what several instances of a copy loop get at one place: a link in a loop
//! whose values are worked out instance by instance may get the same finding from each.

use super::Finding;

/// The findings of one check, each group that differs only in its instance once, in
/// first-seen order; the message names the instance, or says how many had it.
pub fn merge_repeated(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<(Finding, usize)> = Vec::new();
    for finding in findings {
        let same = |f: &Finding| {
            *f == Finding {
                instance: f.instance.clone(),
                ..finding.clone()
            }
        };
        match merged.iter_mut().find(|(f, _)| same(f)) {
            Some((_, count)) => *count += 1,
            None => merged.push((finding, 1)),
        }
    }
    merged
        .into_iter()
        .map(|(mut finding, count)| {
            match (count, finding.instance.take()) {
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
