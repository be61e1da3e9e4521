//! Baselines: findings a project has accepted for now. Each is recorded by file, rule and JSON
//! pointer, not by line, so edits elsewhere in a file keep it hidden. `--write-baseline`
//! records a run's diagnostics; `--baseline` hides the ones it lists. Files are recorded
//! relative to the baseline file's folder, so one baseline serves runs from any folder.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::source::lexical;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::diagnostic::TOOL_NAME;

const VERSION: u32 = 1;

/// The findings a baseline file lists.
#[derive(Debug)]
pub struct Baseline {
    findings: BTreeSet<Key>,
    /// The baseline file's folder: the files it lists are relative to it.
    base: PathBuf,
}

/// What identifies a finding across edits. Field order is the file's sort order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    file: String,
    code: String,
    pointer: String,
}

impl Key {
    /// The key of a diagnostic for a baseline in folder `base`.
    fn of(d: &Diagnostic, base: &Path) -> Key {
        Key {
            file: relative(base, Path::new(&d.location.file)),
            code: d.code.clone(),
            pointer: d.location.pointer.clone(),
        }
    }
}

/// The folder a baseline file is in, absolute.
fn folder_of(path: &Path) -> PathBuf {
    lexical(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `file` relative to the folder `base`, with `/` separators and `..` where it is outside.
fn relative(base: &Path, file: &Path) -> String {
    let file = lexical(&std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf()));
    let (file, base): (Vec<Component>, Vec<Component>) =
        (file.components().collect(), base.components().collect());
    let common = file.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        file[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    tool: String,
    findings: BTreeSet<Key>,
}

impl Baseline {
    /// Reads a baseline file; a missing or malformed one is an error of the run.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let fail = |message: String| format!("--baseline {}: {message}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| {
            fail(format!(
                "{e} (`--write-baseline {}` creates it)",
                path.display()
            ))
        })?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| fail(format!("not a wps-lint baseline: {e}")))?;
        if file.tool != TOOL_NAME || file.version != VERSION {
            return Err(fail(format!(
                "written by {} version {}; this wps-lint reads {TOOL_NAME} version {VERSION}",
                file.tool, file.version
            )));
        }
        Ok(Baseline {
            findings: file.findings,
            base: folder_of(path),
        })
    }

    /// Whether the baseline lists this diagnostic's file, rule and pointer.
    pub fn hides(&self, d: &Diagnostic) -> bool {
        self.findings.contains(&Key::of(d, &self.base))
    }
}

/// Writes a baseline of `diagnostics` to `path` (sorted, so the file diffs well) and returns how
/// many findings it lists: diagnostics with the same file, rule and pointer are one entry.
pub fn write(diagnostics: &[Diagnostic], path: &Path) -> Result<usize, String> {
    let base = folder_of(path);
    let file = BaselineFile {
        version: VERSION,
        tool: TOOL_NAME.to_string(),
        findings: diagnostics.iter().map(|d| Key::of(d, &base)).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    crate::source::replace(path, None, text.as_bytes())
        .map_err(|e| format!("--write-baseline {}: {e}", path.display()))?;
    Ok(file.findings.len())
}
