//! `wps-lint rules` and `wps-lint explain`: the catalog of rules, the built-in ones and users'
//! own, loaded as `check` loads them.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::config::Configs;
use crate::report::rule_url;
use crate::rules::{RuleMeta, find, rules_with_custom};

#[derive(Args)]
pub struct CatalogArgs {
    /// A folder of your own declarative rule files (repeatable); the `rules-dirs` of the
    /// wps-lint.toml that applies to the current folder are read too
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
}

#[derive(Args)]
pub struct RulesArgs {
    #[command(flatten)]
    catalog: CatalogArgs,
    /// `text`: one line per rule; `json`: an array of {code, name, level, summary, url}
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct RuleView<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    summary: &'a str,
    /// `null` for a user's rule whose front matter names no page.
    url: Option<String>,
}

/// `rules`: one line per rule, or a JSON array.
pub fn list(args: &RulesArgs) -> Result<(), String> {
    let rules = load(&args.catalog)?;
    let mut out = std::io::stdout().lock();
    if let ListFormat::Json = args.format {
        let views: Vec<RuleView> = rules
            .iter()
            .map(|r| RuleView {
                code: &r.code,
                name: &r.name,
                level: r.level.as_str(),
                summary: &r.summary,
                url: rule_url(r),
            })
            .collect();
        let text = serde_json::to_string_pretty(&views).map_err(|e| e.to_string())?;
        let _ = writeln!(out, "{text}");
        return Ok(());
    }
    let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in &rules {
        let _ = writeln!(
            out,
            "{}  {:width$}  {:7}  {}",
            r.code,
            r.name,
            r.level.as_str(),
            r.summary
        );
    }
    Ok(())
}

/// `explain`: a rule's page, by code or name.
pub fn explain(rule: &str, args: &CatalogArgs) -> Result<(), String> {
    let rules = load(args)?;
    let r = find(&rules, rule)
        .ok_or_else(|| format!("no rule is called `{rule}`; `wps-lint rules` lists them"))?;
    let _ = writeln!(
        std::io::stdout().lock(),
        "# {} {}\n\nDefault level: {}. {}.\n\n{}",
        r.code,
        r.name,
        r.level.as_str(),
        r.summary,
        r.documentation
    );
    Ok(())
}

/// The `--rules` folders, then those of the config for the current folder.
fn load(args: &CatalogArgs) -> Result<Vec<RuleMeta>, String> {
    let here = Configs::new(None).for_file(None)?;
    rules_with_custom(args.rules_dirs.iter().chain(&here.rules_dirs))
}
