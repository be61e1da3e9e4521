//! WPS202 approval-not-approved.
//!
//! ## What it does
//! Reports a vault private endpoint connection resource whose status is not `Approved`
//! (`Pending`, `Rejected`, `Disconnected`, or missing: warning), or is not a status at all
//! (error).
//!
//! ## Why is this bad
//! The resource exists but does not approve anything; the link stays unusable.

use crate::analysis::AnalysisSet;
use crate::analysis::approvals::ApprovalKind;
use crate::analysis::azure::CONNECTION_STATUSES;
use crate::diagnostic::Level;
use crate::rules::Finding;
use crate::rules::common::{Property, replace_string};

pub fn check(set: &AnalysisSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for approval in set
        .approvals
        .iter()
        .filter(|a| a.kind == ApprovalKind::Connection)
    {
        let state_path = ["properties", "privateLinkServiceConnectionState"];
        let Some(status) =
            Property::get(set, approval.at, &[state_path[0], state_path[1], "status"])
        else {
            let holder = Property::get(set, approval.at, &state_path)
                .or_else(|| Property::get(set, approval.at, &["properties"]))
                .or_else(|| Property::get(set, approval.at, &["name"]));
            if let Some(holder) = holder {
                findings.push(
                    Finding::at("WPS202", holder.anchor(), "the connection has no status, so it is not approved")
                        .help("set \"privateLinkServiceConnectionState\": {\"status\": \"Approved\", \"description\": \"...\"}"),
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
        let known = CONNECTION_STATUSES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&value));
        if known.is_some_and(|s| *s == "Approved") {
            continue;
        }
        let mut finding = match known {
            Some(_) => Finding::at(
                "WPS202",
                status.anchor(),
                format!("the connection's status is `{value}`, so it is not approved"),
            ),
            None => {
                let mut f = Finding::at(
                    "WPS202",
                    status.anchor(),
                    format!(
                        "`{value}` is not a connection status (Pending, Approved, Rejected, Disconnected)"
                    ),
                );
                f.level = Some(Level::Error);
                f
            }
        };
        finding = finding.help("set \"status\": \"Approved\"");
        findings.push(replace_string(
            finding,
            status.anchored_node(),
            "Replace with `Approved`",
            "Approved",
        ));
    }
    findings
}
