//! WPS116 splr-parallel-creation: the check. Its page, `rules/WPS116.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS116`).

use crate::expr::Value;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::links::SharedLink;
use crate::json::Node;
use crate::rules::NativeRule;

/// Registered by this code; the rule's page is `rules/WPS116.md`.
pub const RULE: NativeRule = NativeRule::set("WPS116", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut links: Vec<&SharedLink> = facts
        .links
        .iter()
        .filter(|l| l.producer.serial_creation && l.producer.is_resource())
        .collect();
    // One resource once, whatever instances of its loops it has: the loop is checked as such.
    links.dedup_by_key(|l| l.at);
    let mut findings = Vec::new();
    for (n, later) in links.iter().enumerate() {
        let unit = &facts.units[later.at.0];
        let t = &unit.template;
        let r = &t.resources[later.at.1];
        // A loop, on the link or on a deployment that holds it, that may run instances at once.
        let holders = std::iter::once(later.at.1).chain(t.enclosing(r.deployment));
        for holder in holders {
            let Some(copy) = t.resources[holder].node.get("copy") else {
                continue;
            };
            if parallel(copy, |node| t.eval(holder, node)) {
                findings.push(
                    Finding::at(
                        RULE.code,
                        unit.at(copy),
                        format!(
                            "this copy loop may create several AI Search shared private links on one service at the same time ({} rejects concurrent creation)",
                            later.service_type
                        ),
                    )
                    .help("create the links one at a time: `@batchSize(1)` above the Bicep `for`, or `\"mode\": \"serial\", \"batchSize\": 1` in the JSON `copy`"),
                );
            }
        }
        let Some(service) = &later.service else {
            continue;
        };
        let concurrent = links[..n].iter().find(|earlier| {
            earlier.at.0 == later.at.0
                && earlier.at.1 != later.at.1
                && earlier
                    .service
                    .as_ref()
                    .is_some_and(|s| s.same_as(service) == Some(true))
                && !facts.depends_on(later.at, earlier.at)
                && !facts.depends_on(earlier.at, later.at)
        });
        let (Some(earlier), Some(name)) = (concurrent, r.node.get("name")) else {
            continue;
        };
        let first = &t.resources[earlier.at.1];
        findings.push(
            Finding::at(
                RULE.code,
                unit.at(name),
                format!(
                    "this AI Search shared private link and `{}` may be created at the same time on one service: neither depends on the other, and AI Search rejects concurrent creation",
                    first.name.describe()
                ),
            )
            .help("make this link depend on the other one (dependsOn), so that ARM creates them one after another")
            .related(
                unit.file,
                first.node.get("name").map_or_else(Default::default, |n| n.span),
                "the other link",
            ),
        );
    }
    findings
}

/// Whether a copy loop may run more than one instance at a time: a count above 1 and not
/// `mode: serial` with `batchSize: 1`. An unknown count stays silent.
fn parallel(copy: &Node, eval: impl Fn(&Node) -> Value) -> bool {
    let value = |key: &str| copy.get(key).map(&eval);
    let several = value("count")
        .and_then(|c| c.as_int())
        .is_some_and(|c| c > 1);
    let serial = value("mode")
        .and_then(|m| m.as_literal_str().map(|m| m.eq_ignore_ascii_case("serial")))
        .unwrap_or(false);
    let one_at_a_time = value("batchSize").and_then(|b| b.as_int()) == Some(1);
    several && !(serial && one_at_a_time)
}
