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
use crate::analysis::links::SharedLink;
use crate::rules::common::Property;

/// The SPLR's `privateLinkResourceId` property.
fn resource_id_property<'s, 'a>(
    set: &'s AnalysisSet<'a>,
    link: &SharedLink,
) -> Option<Property<'s, 'a>> {
    Property::get(set, link.at, &["properties", "privateLinkResourceId"])
}
