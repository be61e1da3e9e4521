//! wps-lint: a linter for shared private endpoints of Azure Web PubSub and SignalR in ARM
//! templates. The pipeline, one module per stage: `source` (find and read files) → `json`
//! (parse with spans) → `template` (the model: resources, scopes, deployments) → `expr`
//! (evaluate expressions) → `analysis` and `rules` (findings, suppressions) → `baseline`
//! (accepted findings) → `report` (output formats); `fix` applies the findings' fixes.

pub mod analysis;
pub mod baseline;
pub mod bicep;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod expr;
pub mod fix;
pub mod json;
pub mod lsp;
pub mod report;
pub mod rules;
pub mod run;
pub mod source;
pub mod suppress;
pub mod template;
