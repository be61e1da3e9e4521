//! Baselines: findings a project has accepted for now. Each is recorded by file, rule and JSON
//! pointer, not by line, so edits elsewhere in a file keep it hidden. `--write-baseline`
//! records a run's diagnostics; `--baseline` hides the ones it lists.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::report::TOOL_NAME;

const VERSION: u32 = 1;

/// The findings a baseline file lists.
#[derive(Debug)]
pub struct Baseline {
    findings: BTreeSet<Key>,
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
    fn of(d: &Diagnostic) -> Key {
        Key {
            file: d.location.file.clone(),
            code: d.code.clone(),
            pointer: d.location.pointer.clone(),
        }
    }
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
        })
    }

    /// Whether the baseline lists this diagnostic's file, rule and pointer.
    pub fn hides(&self, d: &Diagnostic) -> bool {
        self.findings.contains(&Key::of(d))
    }
}

/// Writes a baseline of `diagnostics` to `path` (sorted, so the file diffs well) and returns how
/// many findings it lists: diagnostics with the same file, rule and pointer are one entry.
pub fn write(diagnostics: &[Diagnostic], path: &Path) -> Result<usize, String> {
    let file = BaselineFile {
        version: VERSION,
        tool: TOOL_NAME.to_string(),
        findings: diagnostics.iter().map(Key::of).collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| format!("--write-baseline {}: {e}", path.display()))?;
    Ok(file.findings.len())
}
