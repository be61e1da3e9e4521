//! WPS1xx: the link itself, for every producer, each with its producer's facts.

pub mod duplicate_target;
pub mod frontdoor_mixed_origin_group;
pub mod group_id_mismatch;
pub mod invalid_name;
pub mod invalid_vault_name;
pub mod link_before_service;
pub mod literal_resource_id;
pub mod malformed_resource_id;
pub mod missing_request_message;
pub mod name_segments;
pub mod parallel_creation;
pub mod placeholder_resource_id;
pub mod preview_api_version;
pub mod read_only_property;
pub mod request_message_too_long;
pub mod unknown_api_version;
pub mod unsupported_sku;
pub mod unsupported_target;

use crate::expr::ResourceId;
use crate::facts::azure::FIRST_FQDNS_API_VERSION;
use crate::facts::links::{Field, SharedLink};
use crate::facts::{Anchor, TemplateFacts};
use crate::rules::common::Property;

/// The link's `apiVersion`, its position in the list of versions its type exists in (`None`:
/// not a version of it), and whether it uses `fqdns`, the property only Web PubSub and SignalR
/// previews have.
struct ApiVersion<'s, 'a> {
    property: Property<'s, 'a>,
    version: &'a str,
    position: Option<usize>,
    uses_fqdns: bool,
}

/// How a message calls a link: its noun and name, or "this" and its noun for one instance of a
/// copy loop, so that instances alike give one message (`rules::merge_repeated` then counts or
/// names them) and a loop's name is not spelt out symbolically, and for a link whose name is
/// unknown (one a user function builds).
fn called(facts: &TemplateFacts, link: &SharedLink) -> String {
    let noun = link.producer.noun;
    match named(facts, link) {
        Some(name) => format!("{noun} {name}"),
        None => format!("this {noun}"),
    }
}

/// The link's name for a message: `None` for an instance of a copy loop, or a name unknown.
fn named(facts: &TemplateFacts, link: &SharedLink) -> Option<String> {
    let name = &facts.resource(link.at).name;
    (link.instance.is_none() && !name.is_unknown()).then(|| name.describe())
}

fn api_version<'s, 'a>(
    facts: &'s TemplateFacts<'a>,
    link: &SharedLink,
) -> Option<ApiVersion<'s, 'a>> {
    let versions = link.producer.api_versions;
    if versions.is_empty() {
        return None;
    }
    let property = Property::get(facts, link.at, &["apiVersion"])?;
    let version = property.node.as_str()?;
    let position = versions
        .iter()
        .position(|v| v.eq_ignore_ascii_case(version));
    Some(ApiVersion {
        property,
        version,
        position,
        uses_fqdns: link.producer.is_signalr_family()
            && Property::get(facts, link.at, &["properties", "fqdns"]).is_some(),
    })
}

/// The first API version with `fqdns`, for producers that have it.
fn fqdns_since(link: &SharedLink) -> Option<&'static str> {
    link.producer
        .is_signalr_family()
        .then_some(FIRST_FQDNS_API_VERSION)
}

/// Where a finding on a field of the link points.
fn anchor(facts: &TemplateFacts, link: &SharedLink, field: &Field) -> Anchor {
    facts.units[link.at.0].anchor(link.at.1, field.node)
}

/// The link's target ID property: the field, and its anchor.
fn target_property<'l, 'a>(
    facts: &TemplateFacts,
    link: &'l SharedLink<'a>,
) -> Option<(&'l Field<'a>, Anchor)> {
    let field = link.target_field.as_ref()?;
    Some((field, anchor(facts, link, field)))
}

/// How messages call a property of the producer: its path below `properties`.
fn property_name(path: &[&str]) -> String {
    let path = match path.first() {
        Some(&"properties") if path.len() > 1 => &path[1..],
        _ => path,
    };
    path.join(".")
}

/// The `resourceId()` call that builds the target ID a link's property holds as text, with the
/// type the text names (`resourceId('Microsoft.Storage/storageAccounts', ...)`), so that the help
/// fits every producer's targets and not only Key Vault.
fn resource_id_call(field: &Field) -> String {
    match field
        .value
        .as_text()
        .and_then(|t| ResourceId::parse(&t).ok())
    {
        Some(id) => format!("resourceId('{}', ...)", id.type_name()),
        None => "resourceId()".to_string(),
    }
}
