//! `wps-lint check`: load, analyse, report, exit status.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::config::{Config, Configs};
use crate::diagnostic::{Diagnostic, Level};
use crate::fix::{Mode, add_suppressions, fix, unified_diff};
use crate::report::{Format, ReportInput, render};
use crate::rules::{RuleMeta, rules_with_custom};
use crate::run::baseline;
use crate::run::{CacheDir, Cancel, Outcome, RunOptions, lint};
use crate::source::{FileKind, LoadOptions, Skipped, kind_of_file};

#[derive(Args, Default)]
pub struct CheckArgs {
    /// Files and directories to lint (default `.`; `-` reads one template from standard input)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, default_value = "human", value_parser = Format::NAMES)]
    format: String,
    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this level is reported
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Only these rules: codes, names or prefixes such as WPS2 (comma-separated or repeated)
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Not these rules: codes, names or prefixes
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Use this configuration file instead of the nearest wps-lint.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// A folder of your own declarative rule files (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
    /// Do not report the findings this baseline file lists
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the current findings in FILE as a baseline, and exit 0
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Parameter file to evaluate every named template with (not the ones read as context)
    #[arg(long, value_name = "FILE")]
    parameters: Option<PathBuf>,
    /// Read a template from standard input and call it NAME (also with `-`); the
    /// wps-lint.toml nearest to NAME applies
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Colour in the human format
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Threads to use (default: all cores)
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// No summary line
    #[arg(long, short)]
    quiet: bool,
    /// Analyse named files alone, without the other templates of their project
    #[arg(long)]
    no_context: bool,
    /// Neither read nor write the cache of passes on disk
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
    /// Keep the cache in DIR (default: $WPS_LINT_CACHE_DIR, else .wps-lint-cache at the
    /// project root; none outside a project)
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Apply every machine-applicable fix, then report what remains
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    fix: bool,
    /// Print the unified diff the fixes would make, change nothing; exit 1 when there is one
    #[arg(long, conflicts_with = "write_baseline")]
    diff: bool,
    /// Add every current finding's rule to its resource's metadata.wps-lint.disable, and exit 0
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline", "statistics"])]
    add_suppressions: bool,
    /// Print how many findings each rule has instead of the findings
    #[arg(long, conflicts_with_all = ["format", "diff", "write_baseline"])]
    statistics: bool,
    /// Print the configuration file, rules and levels that apply to FILE, and lint nothing
    #[arg(long, value_name = "FILE", conflicts_with_all = ["select", "ignore", "fix", "diff"])]
    show_settings: Option<PathBuf>,
}

impl CheckArgs {
    /// The paths as given (for the command line's check of mistyped subcommands).
    pub(crate) fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
}

/// Why a run found no template: a green run that checked nothing must not pass unnoticed.
fn nothing_linted(paths: &[PathBuf], skipped: &Skipped) -> String {
    let looked: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut why = Vec::new();
    let mut count = |n: usize, what: &str| {
        if n > 0 {
            why.push(format!("{n} {what}"));
        }
    };
    count(
        skipped.no_schema,
        "JSON files whose $schema names no deployment template",
    );
    count(skipped.hidden, "hidden files or folders");
    count(
        skipped.excluded,
        "files matched by `exclude` in wps-lint.toml",
    );
    count(
        skipped.not_json,
        "files that are not .json, .jsonc, .bicep or .bicepparam",
    );
    let mut message = format!("warning: no template was linted in {}", looked.join(", "));
    if !why.is_empty() {
        message.push_str(&format!("; passed over: {}", why.join(", ")));
    }
    message.push_str(" (files .gitignore ignores are not looked at)");
    message
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// The exit status, or why the run itself failed.
pub fn run(args: CheckArgs) -> Result<i32, String> {
    if let Some(jobs) = args.jobs {
        // Only the first call configures the pool; a second run in one process keeps it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    if let Some(file) = &args.show_settings {
        return show_settings(&args, file).map(|()| 0);
    }
    // Files named by options are checked first, so that their errors name the option.
    if let Some(path) = &args.config {
        Config::load(path).map_err(|e| format!("--config {e}"))?;
    }
    if let Some(path) = &args.parameters {
        std::fs::metadata(path).map_err(|e| format!("--parameters {}: {e}", path.display()))?;
    }
    if let Some(output) = &args.output {
        let inputs = args.paths.iter().chain(&args.parameters);
        if let Some(input) = inputs.into_iter().find(|input| reads(input, output)) {
            return Err(format!(
                "--output {}: it is {}, which the report would replace",
                output.display(),
                if input.is_dir() {
                    format!("a file the run lints in {}", input.display())
                } else {
                    "among the files the run lints".into()
                }
            ));
        }
    }
    let cache_dir = (!args.no_cache).then(|| match &args.cache_dir {
        Some(dir) => CacheDir::At(dir.clone()),
        None => CacheDir::from_env(),
    });
    let mut load = LoadOptions {
        parameters: args.parameters.clone(),
        // Kept on disk with the passes, so that unchanged files are not looked at again.
        looks: cache_dir.is_some().then(Default::default),
        ..LoadOptions::default()
    };
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    let mut paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    // As ruff does: a name for standard input means standard input is read.
    if dash || args.stdin_filename.is_some() {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into());
        load.stdin = Some((name, text));
    } else if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let options = RunOptions {
        paths: paths.clone(),
        load,
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        rules_dirs: args.rules_dirs.clone(),
        baseline: args.baseline.clone(),
        no_context: args.no_context,
        // --fix and --diff lint again after each round: unchanged files keep their passes.
        cache: (args.fix || args.diff).then(Default::default),
        cache_dir,
        cancel: Cancel::default(),
    };
    if args.diff {
        return diff(options, args.output.as_deref());
    }
    if args.add_suppressions {
        let done = add_suppressions(&options)?;
        for line in &done.refused {
            eprintln!("{line}");
        }
        eprintln!(
            "added {} to {}{}",
            plural(done.added, "suppression"),
            plural(done.files, "file"),
            if done.outside == 0 {
                String::new()
            } else {
                format!(
                    "; {} outside any resource (silence those with a comment or in wps-lint.toml)",
                    plural(done.outside, "finding")
                )
            }
        );
        return Ok(0);
    }
    let outcome = if args.fix {
        let fixed = fix(options, Mode::Write)?;
        for line in &fixed.refused {
            eprintln!("{line}");
        }
        if !args.quiet {
            eprintln!(
                "fixed {} in {}",
                plural(fixed.applied, "finding"),
                plural(fixed.changes.len(), "file")
            );
        }
        fixed.outcome
    } else {
        lint(&options)?
    };
    warn_about_cache(&outcome);
    let diagnostics = &outcome.diagnostics;
    if outcome.files_linted() == 0 && outcome.notices().is_empty() {
        eprintln!("{}", nothing_linted(&paths, outcome.skipped()));
    }
    if let Some(path) = &args.write_baseline {
        let recorded = baseline::write(diagnostics, path)?;
        eprintln!(
            "wrote {recorded} finding{} to baseline {}; `--baseline {}` hides them",
            if recorded == 1 { "" } else { "s" },
            path.display(),
            path.display()
        );
        return Ok(0);
    }

    let format: Format = args
        .format
        .parse()
        .map_err(|e: crate::report::ParseFormatError| e.0)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let source = |path: &str| outcome.source(path);
    let input = ReportInput {
        diagnostics,
        notices: outcome.notices(),
        files_linted: outcome.files_linted(),
        source: &source,
        rules: &outcome.rules,
        tool_version: env!("CARGO_PKG_VERSION"),
        color,
        quiet: args.quiet,
    };
    let mut buffer = Vec::new();
    if args.statistics {
        statistics(diagnostics, &outcome.rules, &mut buffer).map_err(|e| e.to_string())?;
    } else {
        render(format, &input, &mut buffer).map_err(|e| e.to_string())?;
    }
    write_out(args.output.as_deref(), &buffer)?;
    let threshold = match args.fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warning => Some(Level::Warning),
        FailOn::Info => Some(Level::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| diagnostics.iter().any(|d| d.level >= t));
    // The process exits next: giving every finding and excerpt back one by one is wasted time.
    std::mem::forget(outcome);
    Ok(i32::from(failed))
}

/// `--diff`: the fixes' changes as one unified diff (on standard output, or `--output`); 1
/// when there is one.
fn diff(options: RunOptions, output: Option<&std::path::Path>) -> Result<i32, String> {
    let fixed = fix(options, Mode::Preview)?;
    warn_about_cache(&fixed.outcome);
    for line in &fixed.refused {
        eprintln!("{line}");
    }
    let text: String = fixed.changes.iter().map(unified_diff).collect();
    write_out(output, text.as_bytes())?;
    Ok(i32::from(!fixed.changes.is_empty()))
}

/// Whether the run given `input` (a file or a folder it walks) reads the existing file
/// `output`: named the same or otherwise (a link, `./`), or a template or parameter file in
/// the folder.
fn reads(input: &std::path::Path, output: &std::path::Path) -> bool {
    let (Ok(input), Ok(output)) = (std::fs::canonicalize(input), std::fs::canonicalize(output))
    else {
        return false;
    };
    input == output
        || input.is_dir() && output.starts_with(&input) && kind_of_file(&output) != FileKind::Other
}

/// The report (or diff) to `--output FILE`, else to standard output. A report that does not
/// arrive fails the run, wherever it was going: a script must not take a cut-off report for
/// a whole one.
fn write_out(output: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("--output {}: {e}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| format!("cannot write the report to standard output: {e}"))
        }
    }
}

/// A cache that could not be written costs time, not answers: a warning, not a failure.
fn warn_about_cache(outcome: &Outcome) {
    if let Some(problem) = outcome.cache_problem() {
        eprintln!("warning: {problem}");
    }
}

fn plural(count: usize, one: &str) -> String {
    format!("{count} {one}{}", if count == 1 { "" } else { "s" })
}

/// `--statistics`: one line per rule with findings, most first:
/// `COUNT  CODE  NAME`, and how many of them `--fix` can fix.
fn statistics(
    diagnostics: &[Diagnostic],
    rules: &[RuleMeta],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for d in diagnostics {
        let fixable = usize::from(d.fix.is_some());
        match counts.iter_mut().find(|(code, _, _)| *code == d.code) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += fixable;
            }
            None => counts.push((&d.code, 1, fixable)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let name = |code: &str| {
        rules
            .iter()
            .find(|r| r.code == code)
            .map_or("", |r| r.name.as_str())
    };
    let width = counts
        .iter()
        .map(|c| c.1.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = counts.iter().map(|c| c.0.len()).max().unwrap_or(0);
    for (code, count, fixable) in &counts {
        let fixes = match fixable {
            0 => String::new(),
            n => format!(" ({n} fixable)"),
        };
        writeln!(
            out,
            "{count:>width$}  {code:code_width$}  {}{fixes}",
            name(code)
        )?;
    }
    let total: usize = counts.iter().map(|c| c.1).sum();
    writeln!(out, "{total:>width$}  total")
}

/// `--show-settings FILE`: the configuration file that applies to FILE (the nearest
/// wps-lint.toml, or `--config`), then every rule with the level it has there and where the
/// level comes from.
fn show_settings(args: &CheckArgs, file: &std::path::Path) -> Result<(), String> {
    std::fs::metadata(file).map_err(|e| format!("--show-settings {}: {e}", file.display()))?;
    let explicit = args
        .config
        .as_deref()
        .map(Config::load)
        .transpose()
        .map_err(|e| format!("--config {e}"))?;
    let config = Configs::new(explicit).for_file(Some(file))?;
    let rules = rules_with_custom(args.rules_dirs.iter().chain(&config.rules_dirs))?;
    let mut text = format!("RuleSettings for {}\n", file.display());
    let origin = config
        .path
        .as_ref()
        .map_or("none (the defaults)".to_string(), |p| {
            p.display().to_string()
        });
    text.push_str(&format!("Configuration file: {origin}\n"));
    for dir in args.rules_dirs.iter().chain(&config.rules_dirs) {
        text.push_str(&format!("Rules folder: {}\n", dir.display()));
    }
    text.push('\n');
    let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for rule in &rules {
        let (level, from) = match config.level(&rule.code, &rule.name) {
            Some(level) => (level, "configuration"),
            None => (rule.level, "default"),
        };
        text.push_str(&format!(
            "{}  {:width$}  {:7}  ({from})\n",
            rule.code,
            rule.name,
            level.as_str()
        ));
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    Ok(())
}
