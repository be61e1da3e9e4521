//! The command line of the contract: `check` (the default), `rules`, `explain`. Exit status 0
//! (nothing at or above `--fail-on`), 1 (something is), 2 (the run itself failed).

mod catalog;
mod check;

use std::ffi::OsString;

use clap::{Parser, Subcommand};

use catalog::CatalogArgs;
pub use check::CheckArgs;

#[derive(Parser)]
#[command(
    name = "wps-lint",
    version,
    about = "Lint shared private endpoints of Azure Web PubSub and SignalR in ARM templates",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Lint files and directories (the default command)
    Check(Box<CheckArgs>),
    /// List every rule: code, name, default level, summary
    Rules(CatalogArgs),
    /// Show a rule's documentation page
    Explain {
        /// A rule code (WPS103) or name (splr-group-id-mismatch)
        rule: String,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Run the language server over stdio
    Lsp,
}

/// Runs the command line and returns the exit status.
pub fn main(args: Vec<OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let status = match cli.command {
        Some(Command::Check(args)) => check::run(*args),
        None => check::run(cli.check),
        Some(Command::Rules(args)) => catalog::list(&args).map(|()| 0),
        Some(Command::Explain { rule, catalog }) => catalog::explain(&rule, &catalog).map(|()| 0),
        Some(Command::Lsp) => Ok(crate::lsp::run()),
    };
    status.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        2
    })
}
