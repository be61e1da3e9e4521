//! WPS112 splr-invalid-name: the check. Its page, `rules/WPS112.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS112`).

use regex::Regex;

use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::azure::link_name_problem;
use crate::facts::producers::NameRule;
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS112.md`.
pub const RULE: NativeRule = NativeRule::set("WPS112", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter(|link| link.producer.is_resource())
        .filter_map(|link| {
            let r = facts.resource(link.at);
            let name = r.name.as_text()?.split('/').pop()?;
            let name = name.as_literal()?;
            let (why, help) = match link.producer.name_rule {
                NameRule::Splr => (
                    link_name_problem(name)?,
                    "use 3-63 letters, digits and hyphens, starting with a letter and ending with a letter or digit".to_string(),
                ),
                NameRule::Pattern(pattern, reads) => {
                    let fits = Regex::new(pattern).is_ok_and(|re| re.is_match(name));
                    if fits {
                        return None;
                    }
                    (format!("it must be {reads}"), format!("use {reads}"))
                }
                NameRule::None => return None,
            };
            let property = Property::get(facts, link.at, &["name"])?;
            let noun = link.producer.noun;
            Some(
                Finding::at(RULE.code, property.anchor(), format!("`{name}` is not a valid {noun} name: {why}"))
                    .help(help),
            )
        })
        .collect()
}
