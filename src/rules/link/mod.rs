//! WPS1xx: the shared private link resource itself.

pub mod duplicate_target;
pub mod group_id_mismatch;
pub mod invalid_name;
pub mod invalid_vault_name;
pub mod literal_resource_id;
pub mod malformed_resource_id;
pub mod name_segments;
pub mod placeholder_resource_id;
pub mod preview_api_version;
pub mod unknown_api_version;
pub mod unsupported_sku;
pub mod unsupported_target;

use crate::analysis::AnalysisSet;
use crate::analysis::azure::link_api_versions;
use crate::analysis::links::SharedLink;
use crate::rules::common::Property;

/// The SPLR's `apiVersion`, its position in the list of versions its type exists in (`None`:
/// not a version of it), and whether it uses `fqdns`, the property only previews have.
struct ApiVersion<'s, 'a> {
    property: Property<'s, 'a>,
    version: &'a str,
    position: Option<usize>,
    uses_fqdns: bool,
}

fn api_version<'s, 'a>(set: &'s AnalysisSet<'a>, link: &SharedLink) -> Option<ApiVersion<'s, 'a>> {
    let property = Property::get(set, link.at, &["apiVersion"])?;
    let version = property.node.as_str()?;
    let position = link_api_versions(link.service_type)
        .iter()
        .position(|v| v.eq_ignore_ascii_case(version));
    Some(ApiVersion {
        property,
        version,
        position,
        uses_fqdns: Property::get(set, link.at, &["properties", "fqdns"]).is_some(),
    })
}

/// The SPLR's `privateLinkResourceId` property.
fn resource_id_property<'s, 'a>(
    set: &'s AnalysisSet<'a>,
    link: &SharedLink,
) -> Option<Property<'s, 'a>> {
    Property::get(set, link.at, &["properties", "privateLinkResourceId"])
}
