//! WPS113 splr-name-segments: the check. Its page, `rules/WPS113.md`, is the one source of what it
//! reports and why (`wps-lint explain WPS113`).

use crate::expr::Part;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::rules::NativeRule;
use crate::rules::common::Property;

/// Registered by this code; the rule's page is `rules/WPS113.md`.
pub const RULE: NativeRule = NativeRule::set("WPS113", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    facts.links
        .iter()
        .filter(|link| link.producer.is_resource())
        .filter_map(|link| {
            let r = facts.resource(link.at);
            let property = Property::get(facts, link.at, &["name"])?;
            let own = property.text()?;
            let slashes: usize = own
                .parts()
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.matches('/').count(),
                    Part::Sym(_) => 0,
                })
                .sum();
            let levels = |type_name: &str| type_name.matches('/').count();
            let link_levels = levels(link.producer.link_type);
            let message = if let Some(parent) = r.parent {
                let parent_type = &facts.resource((link.at.0, parent)).type_name;
                let below = link_levels.saturating_sub(levels(parent_type)).max(1);
                let own_type = r.get("type").and_then(|t| t.as_str()).unwrap_or_default();
                if slashes + 1 == below && levels(own_type) + 1 == below {
                    return None;
                }
                if below == 1 {
                    format!("a link declared inside its service takes the short type `{}` and a one-segment name, not `{own}`", link.producer.child_type())
                } else {
                    format!("a link declared inside its parent takes a type and a name of {below} segments, not `{own}`")
                }
            } else {
                // A symbol might hold a `/`: only literal structure decides.
                let segments = slashes + 1;
                if segments == link_levels || (segments < link_levels + 1 && !own.is_literal()) {
                    return None;
                }
                if link_levels == 2 {
                    format!("the name `{own}` has {segments} segment(s); a link declared outside its service needs `service/link`")
                } else {
                    format!("the name `{own}` has {segments} segment(s); a link declared outside its parents needs {link_levels}, one per level of `{}`", link.producer.link_type)
                }
            };
            let help = if link_levels == 2 {
                "name it \"[format('{0}/{1}', parameters('serviceName'), 'link-name')]\"".to_string()
            } else {
                format!("name it with one segment per level of {}", link.producer.link_type)
            };
            Some(Finding::at(RULE.code, property.anchor(), message).help(help))
        })
        .collect()
}
