//! WPS0xx: what the engine itself reports about a file.

pub mod invalid_expression;
pub mod invalid_json;
pub mod undefined_reference;
pub mod unresolved_value;
