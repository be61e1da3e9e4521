//! WPS202 approval-not-approved: the check. Its page, `rules/WPS202.md`, is the one source of what
//! it reports and why (`wps-lint explain WPS202`).

use crate::diagnostic::Level;
use crate::facts::Finding;
use crate::facts::TemplateFacts;
use crate::facts::approvals::ApprovalKind;
use crate::facts::producers::approvable_type;
use crate::rules::NativeRule;
use crate::rules::common::{Property, replace_string};

/// Registered by this code; the rule's page is `rules/WPS202.md`.
pub const RULE: NativeRule = NativeRule::set("WPS202", check);

pub fn check(facts: &TemplateFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for approval in facts
        .approvals
        .iter()
        .filter(|a| a.kind == ApprovalKind::Connection)
    {
        let state_path = ["properties", "privateLinkServiceConnectionState"];
        let Some(status) = Property::get(
            facts,
            approval.at,
            &[state_path[0], state_path[1], "status"],
        ) else {
            let holder = Property::get(facts, approval.at, &state_path)
                .or_else(|| Property::get(facts, approval.at, &["properties"]))
                .or_else(|| Property::get(facts, approval.at, &["name"]));
            if let Some(holder) = holder {
                findings.push(
                    Finding::at(RULE.code, holder.anchor(), "the connection has no status, so it is not approved")
                        .help("set privateLinkServiceConnectionState to a status `Approved` and a description"),
                );
            }
            continue;
        };
        let Some(value) = status
            .text()
            .and_then(|t| t.as_literal().map(str::to_string))
        else {
            continue;
        };
        if value.eq_ignore_ascii_case("Approved") {
            continue;
        }
        let words = approval
            .target
            .type_name
            .as_deref()
            .and_then(approvable_type)
            .and_then(|t| t.statuses);
        let known = words.is_none_or(|w| w.iter().any(|s| s.eq_ignore_ascii_case(&value)));
        let mut finding = match known {
            true => Finding::at(
                RULE.code,
                status.anchor(),
                format!("the connection's status is `{value}`, so it is not approved"),
            ),
            false => {
                let mut f = Finding::at(
                    RULE.code,
                    status.anchor(),
                    format!(
                        "`{value}` is not a connection status ({})",
                        words.unwrap_or_default().join(", ")
                    ),
                );
                f.level = Some(Level::Error);
                f
            }
        };
        finding = finding.help("set the status to `Approved`");
        findings.push(replace_string(
            finding,
            status.anchored_node(),
            "Replace with `Approved`",
            "Approved",
        ));
    }
    findings
}
