//! WPS112 splr-invalid-name.
//!
//! ## What it does
//! Reports an SPLR whose own name (the last segment) breaks the pattern: 3-63 characters,
//! starting with a letter, ending with a letter or digit, only letters, digits and `-`.
//!
//! ## Why is this bad
//! The resource provider rejects the name.

use crate::analysis::AnalysisSet;
use crate::analysis::azure::link_name_problem;
use crate::rules::Finding;
use crate::rules::common::Property;

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    set.links
        .iter()
        .filter_map(|link| {
            let r = set.resource(link.at);
            let name = r.name.as_text()?.split('/').pop()?;
            let name = name.as_literal()?;
            let why = link_name_problem(name)?;
            let property = Property::get(set, link.at, &["name"])?;
            Some(
                Finding::at("WPS112", property.anchor(), format!("`{name}` is not a valid shared private link name: {why}"))
                    .help("use 3-63 letters, digits and hyphens, starting with a letter and ending with a letter or digit"),
            )
        })
        .collect()
}
