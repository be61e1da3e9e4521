//! Server settings from the client: `initializationOptions` and
//! `workspace/didChangeConfiguration`, either bare or under a `wps-lint` key (VS Code sends its
//! configuration section that way).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct Raw {
    rules_dirs: Vec<PathBuf>,
    select: Vec<String>,
    ignore: Vec<String>,
    config: Option<PathBuf>,
    /// The client's own settings (where the binary is) that travel in the same section.
    path: Option<Value>,
    trace: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientSettings {
    pub rules_dirs: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// One `wps-lint.toml` for every file instead of the nearest one.
    pub config: Option<PathBuf>,
}

impl ClientSettings {
    /// Relative paths are taken from `base` (the first workspace folder).
    pub fn from_client(
        value: Option<&Value>,
        base: Option<&Path>,
    ) -> Result<ClientSettings, String> {
        let Some(value) = value else {
            return Ok(ClientSettings::default());
        };
        let inner = value
            .get("wps-lint")
            .or_else(|| value.get("wpsLint"))
            .unwrap_or(value);
        if inner.is_null() {
            return Ok(ClientSettings::default());
        }
        let raw: Raw =
            serde_json::from_value(inner.clone()).map_err(|e| format!("wps-lint settings: {e}"))?;
        let resolve = |p: PathBuf| match base {
            Some(base) if p.is_relative() => base.join(p),
            _ => p,
        };
        Ok(ClientSettings {
            rules_dirs: raw
                .rules_dirs
                .into_iter()
                .filter(|p| !p.as_os_str().is_empty())
                .map(resolve)
                .collect(),
            select: raw.select,
            ignore: raw.ignore,
            config: raw
                .config
                .filter(|p| !p.as_os_str().is_empty())
                .map(resolve),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bare_or_sectioned_with_relative_paths_from_the_folder() {
        let base = Path::new("/ws");
        let bare = json!({"select": ["WPS1"], "rulesDirs": ["org"], "config": ""});
        let settings = ClientSettings::from_client(Some(&bare), Some(base)).unwrap();
        assert_eq!(settings.select, ["WPS1"]);
        assert_eq!(settings.rules_dirs, [PathBuf::from("/ws/org")]);
        assert_eq!(settings.config, None);
        let sectioned = json!({"wps-lint": {"ignore": ["WPS005"], "path": "wps-lint"}});
        let settings = ClientSettings::from_client(Some(&sectioned), Some(base)).unwrap();
        assert_eq!(settings.ignore, ["WPS005"]);
        let error = ClientSettings::from_client(Some(&json!({"selekt": []})), None).unwrap_err();
        assert!(error.contains("selekt"), "{error}");
    }
}
