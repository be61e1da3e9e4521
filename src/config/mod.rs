//! `wps-lint.toml`: rule levels by code or name, `exclude` globs and `rules-dirs`. The file
//! nearest to a template (walking up from its folder) applies to it, unless `--config` names one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Level;

pub const FILE_NAME: &str = "wps-lint.toml";

#[derive(Debug, Default)]
pub struct Config {
    /// Where the file is (`None` for the defaults).
    pub path: Option<PathBuf>,
    /// Levels by code or name, as written.
    levels: Vec<(String, Level)>,
    pub exclude: GlobSet,
    pub rules_dirs: Vec<PathBuf>,
    /// A digest of the file's text (0 for the defaults): what the on-disk cache keys the passes
    /// of the files it applies to by.
    pub digest: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    rules: HashMap<String, String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules_dirs: Vec<PathBuf>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
        let fail = |message: String| format!("{}: {message}", path.display());
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|span| {
                    let (line, column) = line_column(text, span.start);
                    format!(":{line}:{column}")
                })
                .unwrap_or_default();
            format!("{}{at}: {}", path.display(), e.message().trim_end())
        })?;
        let mut levels = Vec::new();
        for (key, level) in file.rules {
            let level = Level::parse(&level).ok_or_else(|| {
                fail(format!(
                    "[rules] {key} = \"{level}\": use error, warning, info or off"
                ))
            })?;
            levels.push((key, level));
        }
        let mut exclude = GlobSetBuilder::new();
        for pattern in &file.exclude {
            exclude.add(Glob::new(pattern).map_err(|e| fail(format!("exclude `{pattern}`: {e}")))?);
        }
        let base = path.parent().unwrap_or(Path::new("."));
        Ok(Config {
            path: Some(path.to_path_buf()),
            levels,
            exclude: exclude.build().map_err(|e| fail(e.to_string()))?,
            rules_dirs: file.rules_dirs.iter().map(|d| base.join(d)).collect(),
            digest: {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                text.hash(&mut hasher);
                hasher.finish()
            },
        })
    }

    /// The codes and names `[rules]` sets levels for.
    pub fn rule_keys(&self) -> impl Iterator<Item = &str> {
        self.levels.iter().map(|(key, _)| key.as_str())
    }

    /// The configured level of a rule, by its code or its name.
    pub fn level(&self, code: &str, name: &str) -> Option<Level> {
        let level = |wanted: &str| {
            self.levels
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(wanted))
                .map(|(_, level)| *level)
        };
        level(code).or_else(|| level(name))
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Finds and caches the configuration that applies to each file.
#[derive(Debug, Default)]
pub struct Configs {
    explicit: Option<Arc<Config>>,
    by_dir: HashMap<PathBuf, Arc<Config>>,
}

impl Configs {
    pub fn new(explicit: Option<Config>) -> Configs {
        Configs {
            explicit: explicit.map(Arc::new),
            by_dir: HashMap::new(),
        }
    }

    /// The configuration for a file (or for the current folder, for standard input).
    pub fn for_file(&mut self, file: Option<&Path>) -> Result<Arc<Config>, String> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        let dir = match file.and_then(Path::parent) {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        self.for_dir(&dir)
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, String> {
        if let Some(config) = self.by_dir.get(dir) {
            return Ok(config.clone());
        }
        let candidate = dir.join(FILE_NAME);
        let config = if candidate.is_file() {
            Arc::new(Config::load(&candidate)?)
        } else {
            match dir.parent() {
                // A relative folder's parent, up to its first component, needs no current
                // folder: asking for it for every folder of a large tree costs.
                Some(parent) if !parent.as_os_str().is_empty() => self.for_dir(parent)?,
                _ => {
                    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                    match absolute.parent() {
                        Some(parent) if parent != absolute => self.for_dir(parent)?,
                        _ => Arc::new(Config::default()),
                    }
                }
            }
        };
        self.by_dir.insert(dir.to_path_buf(), config.clone());
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_code_or_name_and_clear_errors() {
        let path = Path::new("wps-lint.toml");
        let config = Config::parse(
            "[rules]\nWPS105 = \"off\"\nsplr-invalid-name = \"warning\"\n",
            path,
        )
        .unwrap();
        assert_eq!(config.level("wps105", "x"), Some(Level::Off));
        assert_eq!(
            config.level("WPS112", "splr-invalid-name"),
            Some(Level::Warning)
        );
        assert_eq!(config.level("WPS101", "y"), None);
        let error = Config::parse("[rules]\nWPS105 = \"loud\"\n", path).unwrap_err();
        assert!(error.contains("loud"), "{error}");
        assert_eq!(
            Config::parse("exclude = []\nunknown = 1\n", path).unwrap_err(),
            "wps-lint.toml:2:1: unknown field `unknown`, expected one of `rules`, `exclude`, `rules-dirs`"
        );
        assert_eq!(
            Config::parse("[rules]\nWPS105 = \"off\"\nWPS106 = [\n", path).unwrap_err(),
            "wps-lint.toml:3:11: unclosed array, expected `]`"
        );
    }
}
