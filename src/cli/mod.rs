//! The command line of the contract: `check` (the default), `rules`, `explain`, and the
//! helpers `completions` and `man`. Exit status 0 (nothing at or above `--fail-on`), 1
//! (something is), 2 (the run itself failed).

mod catalog;
mod check;

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, Parser, Subcommand};

use catalog::{CatalogArgs, RulesArgs};
pub use check::CheckArgs;

#[derive(Parser)]
#[command(
    name = "wps-lint",
    version,
    about = "Lint shared and managed private endpoints in Azure ARM templates and Bicep",
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
    Rules(RulesArgs),
    /// Show a rule's documentation page
    Explain {
        /// A rule code (WPS103) or name (splr-group-id-mismatch)
        rule: String,
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Print a shell completion script (e.g. `wps-lint completions bash > /etc/bash_completion.d/wps-lint`)
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), e.g. `wps-lint man > wps-lint.1`
    Man,
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
        None => match mistyped_subcommand(&cli.check) {
            Some(message) => Err(message),
            None => check::run(cli.check),
        },
        Some(Command::Rules(args)) => catalog::list(&args).map(|()| 0),
        Some(Command::Explain { rule, catalog }) => catalog::explain(&rule, &catalog).map(|()| 0),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "wps-lint", &mut out);
            print(&out)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| e.to_string())
                .and_then(|()| print(&out))
        }
        Some(Command::Lsp) => Ok(crate::lsp::run()),
    };
    status.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        2
    })
}

fn print(bytes: &[u8]) -> Result<i32, String> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not a failure.
    let _ = out.write_all(bytes).and_then(|_| out.flush());
    Ok(0)
}

/// Bare paths are the default command, so `wps-lint chek` would say that `chek` does not
/// exist; when such a path is one word close to a subcommand's name, say which was meant.
fn mistyped_subcommand(check: &CheckArgs) -> Option<String> {
    let [path] = check.paths() else { return None };
    let word = path.to_str()?;
    if path.exists() || word.contains(['/', '\\', '.']) {
        return None;
    }
    let command = Cli::command();
    let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
    let best = names
        .iter()
        .map(|name| (distance(&word.to_ascii_lowercase(), name), *name))
        .min()?;
    (best.0 <= 2 && best.0 < best.1.len()).then(|| {
        format!(
            "`{word}` is neither a file nor a subcommand; did you mean `{}`?",
            best.1
        )
    })
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(distance("chek", "check"), 1);
        assert_eq!(distance("rulse", "rules"), 2);
        assert_eq!(distance("", "man"), 3);
        assert_eq!(distance("explain", "explain"), 0);
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
