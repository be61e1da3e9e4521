//! One file per LSP method. Each handler updates the session and rings the scheduler, or
//! answers from the latest analysis; none of them analyses.

pub mod code_action;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_change_workspace_folders;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod hover;
pub mod initialize;
pub mod initialized;
