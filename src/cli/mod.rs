//! The command line of the contract: `check` (the default), `rules`, `explain`. Exit status 0
//! (nothing at or above `--fail-on`), 1 (something is), 2 (the run itself failed).

mod check;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

use crate::rules::{builtin_rules, find};

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
    Rules,
    /// Show a rule's documentation page
    Explain {
        /// A rule code (WPS103) or name (splr-group-id-mismatch)
        rule: String,
    },
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
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Some(Command::Check(args)) => check::run(*args),
        None => check::run(cli.check),
        Some(Command::Rules) => {
            let rules = builtin_rules();
            let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in rules {
                let _ = writeln!(
                    stdout,
                    "{}  {:width$}  {:7}  {}",
                    r.code,
                    r.name,
                    r.level.as_str(),
                    r.summary
                );
            }
            0
        }
        Some(Command::Explain { rule }) => match find(builtin_rules(), &rule) {
            Some(r) => {
                let _ = writeln!(
                    stdout,
                    "# {} {}\n\nDefault level: {}. {}.\n\n{}",
                    r.code,
                    r.name,
                    r.level.as_str(),
                    r.summary,
                    r.documentation
                );
                0
            }
            None => {
                eprintln!("error: no rule is called `{rule}`; `wps-lint rules` lists them");
                2
            }
        },
    }
}
