//! WPS113 splr-name-segments.
//!
//! ## What it does
//! Reports an SPLR declared outside its service whose name does not have exactly two segments
//! (`service/link`), or one declared inside its service whose type or name contains `/`.
//!
//! ## Why is this bad
//! ARM rejects both at deploy time: the name must name the parent and the child.

use crate::analysis::AnalysisSet;
use crate::expr::Part;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let r = set.resource(link.at);
            let property = Property::get(set, link.at, &["name"])?;
            let own = property.text()?;
            let slashes: usize = own
                .parts()
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.matches('/').count(),
                    Part::Sym(_) => 0,
                })
                .sum();
            let message = if r.parent.is_some() {
                let own_type = r.get("type").and_then(|t| t.as_str()).unwrap_or_default();
                if slashes == 0 && !own_type.contains('/') {
                    return None;
                }
                format!("a link declared inside its service takes the short type `sharedPrivateLinkResources` and a one-segment name, not `{own}`")
            } else {
                // A symbol might hold a `/`: only literal structure decides.
                let segments = slashes + 1;
                if segments == 2 || (segments < 3 && !own.is_literal()) {
                    return None;
                }
                format!("the name `{own}` has {segments} segment(s); a link declared outside its service needs `service/link`")
            };
            Some(Finding::at("WPS113", property.anchor(), message).help("name it \"[format('{0}/{1}', parameters('serviceName'), 'link-name')]\""))
        })
        .collect()
}
