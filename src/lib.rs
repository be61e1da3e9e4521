//! wps-lint: a linter and language server for shared and managed private endpoints in Azure
//! deployments. The pipeline is layered; each module imports only from the ones listed before
//! it (`tests/layers.rs` keeps this true; ARCHITECTURE.md says what each owns):
//!
//! 1. `diagnostic`: what a finding is when reported: locations, levels, fixes, notices.
//! 2. `config`: `wps-lint.toml`, found per file.
//! 3. `json`: JSON with comments parsed with byte spans, pointers and line indexes.
//! 4. `bicep`: the Bicep front end: Bicep text parsed into a syntax tree with byte spans.
//! 5. `expr`: ARM template expressions: parser, values, evaluator, resource IDs.
//! 6. `template`: the template model every front end builds: parameters, variables,
//!    resources, scopes, nested deployments.
//! 7. `source`: finding, classifying, reading and pairing files.
//! 8. `facts`: what rules read of a template file, and the cross-file evidence.
//! 9. `rules`: the checks and their metadata (`rules/*.md`).
//! 10. `run`: a file's pass, the join, resolution of spans, suppressions, levels, the cache,
//!     the baseline.
//! 11. `report`, `fix`: output formats; fixes and suppressions written into files.
//! 12. `lsp`, `cli`: the language server and the command line.

pub mod diagnostic;

pub mod config;

pub mod json;

pub mod bicep;

pub mod expr;

pub mod template;

pub mod source;

pub mod facts;

pub mod rules;

pub mod run;

pub mod fix;
pub mod report;

pub mod lsp;

pub mod cli;
