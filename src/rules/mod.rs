//! Layer 8, `rules`: the checks. Metadata and documentation come from the pages in `rules/`;
//! each native check is a function in its own file under a family folder, registered here by
//! its code. Checks never parse JSON or strings themselves: they read `facts` and report
//! findings with spans.

mod approval;
mod certificate;
mod common;
pub mod declarative;
mod engine;
mod link;
mod meta;
mod registry;
mod repeated;

use crate::facts::{Evidence, Finding, Resolved, ResourceRef, TemplateFacts, Unit};

pub use meta::RuleMeta;
pub use registry::{builtin_rules, find, rules_with_custom};
pub use repeated::merge_repeated;

/// A check of one template (with its parameter file).
type UnitCheck = fn(&Unit) -> Vec<Finding>;
/// A check across the resources of one template file (with each of its parameter files). Its
/// findings may wait for what other files hold (`Finding::unless`).
type SetCheck = fn(&TemplateFacts) -> Vec<Finding>;
/// A check across the summaries of every file of the run.
type JoinCheck = fn(&Evidence) -> Vec<Resolved>;

/// How a native rule checks.
#[derive(Clone, Copy)]
pub enum Check {
    Unit(UnitCheck),
    Set(SetCheck),
    Join(JoinCheck),
    /// Reported by the run itself: WPS001 while parsing, WPS005 after suppressions.
    Run,
}

/// A rule implemented in Rust: its code, written once, and its check. The rest of what a rule
/// is (name, level, summary, documentation) is its page in `rules/`.
#[derive(Clone, Copy)]
pub struct NativeRule {
    pub code: &'static str,
    pub check: Check,
}

impl NativeRule {
    pub const fn unit(code: &'static str, check: UnitCheck) -> NativeRule {
        NativeRule {
            code,
            check: Check::Unit(check),
        }
    }

    pub const fn set(code: &'static str, check: SetCheck) -> NativeRule {
        NativeRule {
            code,
            check: Check::Set(check),
        }
    }

    pub const fn join(code: &'static str, check: JoinCheck) -> NativeRule {
        NativeRule {
            code,
            check: Check::Join(check),
        }
    }

    pub const fn run(code: &'static str) -> NativeRule {
        NativeRule {
            code,
            check: Check::Run,
        }
    }
}

/// Rules a `.bicep` file does not get. The Bicep compiler checks a child's name segments as it
/// compiles (the catalog's "Anchors in Bicep source"), and writes every template expression of
/// the file: one that is not valid is the lowering's (one nested deeper than the expression
/// parser follows), not the user's, and its value is simply unknown.
pub const NOT_FOR_BICEP: &[&str] = &[
    link::name_segments::RULE.code,
    engine::invalid_expression::RULE.code,
];

/// Every native rule, by code: the checks of one template (`Unit`), of one template file with
/// each of its parameter files (`Set`), across every file's summary (`Join`), and the two the
/// run reports itself.
pub const NATIVE_RULES: &[NativeRule] = &[
    engine::invalid_json::RULE,
    UNUSED_SUPPRESSION,
    engine::invalid_expression::RULE,
    engine::undefined_reference::RULE,
    engine::unresolved_value::RULE,
    link::malformed_resource_id::RULE,
    link::unsupported_target::RULE,
    link::group_id_mismatch::RULE,
    link::invalid_vault_name::RULE,
    link::missing_request_message::RULE,
    link::request_message_too_long::RULE,
    link::read_only_property::RULE,
    link::unknown_api_version::RULE,
    link::preview_api_version::RULE,
    link::invalid_name::RULE,
    link::name_segments::RULE,
    link::placeholder_resource_id::RULE,
    link::literal_resource_id::RULE,
    link::parallel_creation::RULE,
    link::frontdoor_mixed_origin_group::RULE,
    link::link_before_service::RULE,
    approval::missing::RULE,
    approval::not_approved::RULE,
    approval::missing_dependency::RULE,
    approval::orphaned::RULE,
    approval::wrong_vault::RULE,
    approval::not_needed::RULE,
    certificate::private_link_host::RULE,
    certificate::unknown_certificate::RULE,
    certificate::hardcoded_vault_host::RULE,
    link::unsupported_sku::RULE,
    link::duplicate_target::RULE,
    certificate::vault_unreachable::RULE,
    certificate::no_identity::RULE,
    certificate::domain_requires_premium::RULE,
];

/// WPS005: reported by the run once suppressions are applied.
pub const UNUSED_SUPPRESSION: NativeRule = NativeRule::run("WPS005");

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
pub use engine::invalid_json::{
    RULE as INVALID_JSON, check as check_invalid_json, check_bicep as check_invalid_bicep,
    check_shape,
};

/// Codes that have a check, native or declarative.
pub fn implemented_codes(rules: &[RuleMeta]) -> Vec<&str> {
    NATIVE_RULES
        .iter()
        .map(|rule| rule.code)
        .chain(
            rules
                .iter()
                .filter(|r| !r.checks.is_empty())
                .map(|r| r.code.as_str()),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_native_rule_has_one_code_and_a_page() {
        let mut codes: Vec<&str> = NATIVE_RULES.iter().map(|r| r.code).collect();
        codes.sort();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before, "a code registered twice");
        for code in codes {
            assert!(
                builtin_rules().iter().any(|r| r.code == code),
                "{code} has a check but no page in rules/"
            );
        }
    }
}
