//! Stage 5: the rules. Metadata and documentation come from `rules/`; each native check is a
//! function in its own file under a family folder, registered here by code. Checks never parse
//! JSON or strings themselves: they read the template model and report findings with spans.

mod approval;
mod certificate;
mod common;
pub mod declarative;
mod engine;
mod link;
mod meta;
mod registry;

use crate::facts::{Evidence, Finding, Resolved, ResourceRef, TemplateFacts, Unit};

pub use meta::RuleMeta;
pub use registry::{builtin_rules, find, rules_with_custom};

/// A check of one template (with its parameter file).
type UnitCheck = fn(&Unit) -> Vec<Finding>;
/// A check across the resources of one template file (with each of its parameter files). Its
/// findings may wait for what other files hold (`Finding::unless`).
type SetCheck = fn(&TemplateFacts) -> Vec<Finding>;
/// A check across the summaries of every file of the run.
type JoinCheck = fn(&Evidence) -> Vec<Resolved>;

/// The native per-template checks, by code.
pub const UNIT_CHECKS: &[(&str, UnitCheck)] = &[
    ("WPS002", engine::invalid_expression::check),
    ("WPS003", engine::undefined_reference::check),
];

/// The native checks of one template file's resources, by code.
pub const SET_CHECKS: &[(&str, SetCheck)] = &[
    ("WPS004", engine::unresolved_value::check),
    ("WPS101", link::malformed_resource_id::check),
    ("WPS102", link::unsupported_target::check),
    ("WPS103", link::group_id_mismatch::check),
    ("WPS104", link::invalid_vault_name::check),
    ("WPS105", link::missing_request_message::check),
    ("WPS106", link::request_message_too_long::check),
    ("WPS107", link::read_only_property::check),
    ("WPS109", link::unknown_api_version::check),
    ("WPS110", link::preview_api_version::check),
    ("WPS112", link::invalid_name::check),
    ("WPS113", link::name_segments::check),
    ("WPS114", link::placeholder_resource_id::check),
    ("WPS115", link::literal_resource_id::check),
    ("WPS116", link::parallel_creation::check),
    ("WPS117", link::frontdoor_mixed_origin_group::check),
    ("WPS201", approval::missing::check),
    ("WPS202", approval::not_approved::check),
    ("WPS203", approval::missing_dependency::check),
    ("WPS204", approval::orphaned::check),
    ("WPS205", approval::wrong_vault::check),
    ("WPS118", approval::not_needed::check),
    ("WPS301", certificate::private_link_host::check),
    ("WPS305", certificate::unknown_certificate::check),
    ("WPS306", certificate::hardcoded_vault_host::check),
];

/// The native checks across files, by code: they read the summaries of every file.
pub const JOIN_CHECKS: &[(&str, JoinCheck)] = &[
    ("WPS108", link::unsupported_sku::join),
    ("WPS111", link::duplicate_target::join),
    ("WPS302", certificate::vault_unreachable::join),
    ("WPS303", certificate::no_identity::join),
    ("WPS304", certificate::domain_requires_premium::join),
];

/// The findings a service would get from the checks that depend on what else the analysis set
/// holds (a link to it, a certificate or domain of it), for its summary.
pub fn service_findings(facts: &TemplateFacts, service: ResourceRef) -> Vec<Finding> {
    if !facts.resource(service).deployed {
        return Vec::new();
    }
    [
        link::unsupported_sku::finding,
        certificate::no_identity::finding,
        certificate::domain_requires_premium::finding,
    ]
    .iter()
    .filter_map(|finding| finding(facts, service))
    .collect()
}

pub use certificate::vault_unreachable::denies_public_access;
pub use engine::invalid_json::check as check_invalid_json;

/// Codes that have a check, native or declarative.
pub fn implemented_codes(rules: &[RuleMeta]) -> Vec<&str> {
    // The analysis itself reports invalid JSON and unused suppressions.
    ["WPS001", "WPS005"]
        .into_iter()
        .chain(UNIT_CHECKS.iter().map(|(code, _)| *code))
        .chain(SET_CHECKS.iter().map(|(code, _)| *code))
        .chain(JOIN_CHECKS.iter().map(|(code, _)| *code))
        .chain(
            rules
                .iter()
                .filter(|r| !r.checks.is_empty())
                .map(|r| r.code.as_str()),
        )
        .collect()
}
