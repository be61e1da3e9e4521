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

use crate::analysis::{AnalysisSet, Anchor, Resolved, Unit, Unless, World};
use crate::diagnostic::{Level, Span};
use crate::expr::Text;
use crate::source::FileId;

pub use meta::RuleMeta;
pub use registry::{builtin_rules, find, rules_with_custom};

/// A rule's finding before configuration and rendering: the file and byte span of its anchor.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: String,
    pub file: FileId,
    pub span: Span,
    pub message: String,
    pub related: Vec<RelatedSpan>,
    pub help: Option<String>,
    pub fix: Option<FixSpec>,
    /// A level other than the rule's default that this particular finding has.
    pub level: Option<Level>,
    /// Reported only when no file of the analysis set has this.
    pub unless: Option<Unless>,
    /// Gets "the vault is declared here" where any file of the analysis set declares it.
    pub vault: Option<Text>,
    /// The parameter file of the unit that found it, when only that one's values give it.
    pub parameters: Option<FileId>,
}

impl Finding {
    pub fn new(code: &str, file: FileId, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            code: code.to_string(),
            file,
            span,
            message: message.into(),
            related: Vec::new(),
            help: None,
            fix: None,
            level: None,
            unless: None,
            vault: None,
            parameters: None,
        }
    }

    /// A finding at an anchor, with the anchor's related locations.
    pub fn at(code: &str, anchor: Anchor, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(code, anchor.file, anchor.span, message);
        finding.related = anchor.related;
        finding.parameters = anchor.parameters;
        finding
    }

    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Finding {
        self.related.push(RelatedSpan {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(mut self, description: impl Into<String>, edits: Vec<(Span, String)>) -> Finding {
        self.fix = Some(FixSpec {
            description: description.into(),
            edits,
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn unless(mut self, unless: Unless) -> Finding {
        self.unless = Some(unless);
        self
    }

    /// Adds "the vault is declared here" where the analysis set declares it.
    pub fn with_vault(mut self, vault: &Text) -> Finding {
        self.vault = Some(vault.clone());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelatedSpan {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FixSpec {
    pub description: String,
    pub edits: Vec<(Span, String)>,
}

/// A check of one template (with its parameter file).
type UnitCheck = fn(&Unit) -> Vec<Finding>;
/// A check across the resources of one template file (with each of its parameter files). Its
/// findings may wait for what other files hold (`Finding::unless`).
type SetCheck = fn(&AnalysisSet) -> Vec<Finding>;
/// A check across the summaries of every file of the run.
type JoinCheck = fn(&World) -> Vec<Resolved>;

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
pub fn service_findings(set: &AnalysisSet, service: crate::analysis::ResourceRef) -> Vec<Finding> {
    if !set.resource(service).deployed {
        return Vec::new();
    }
    [
        link::unsupported_sku::finding,
        certificate::no_identity::finding,
        certificate::domain_requires_premium::finding,
    ]
    .iter()
    .filter_map(|finding| finding(set, service))
    .collect()
}

pub use certificate::vault_unreachable::denies_public_access;
pub use engine::invalid_json::check as check_invalid_json;
pub use engine::invalid_json::check_shape;

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
