//! Reading candidates (in parallel), finding their parameter files and forming lint units.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::discover::{Candidate, Origin, display_path};
use super::encoding::{Encoding, encoding_of, not_utf8};
use super::pairing::is_parameter_name;
use super::stamp::{Stamp, now};
use super::{FileKind, Inputs, Language, ParameterFiles, SourceFile, read_text};
use crate::diagnostic::Notice;

/// What to lint besides the discovered files.
#[derive(Debug, Default)]
pub struct LoadOptions {
    /// `--parameters FILE`: used for every named template of the run.
    pub parameters: Option<PathBuf>,
    /// A template read from standard input, with its display name.
    pub stdin: Option<(String, String)>,
    /// Texts that stand for files on disk (an editor's unsaved documents), by path as
    /// discovery names them.
    pub overlays: HashMap<PathBuf, String>,
    /// Looks taken by earlier runs of this process (a language server's, on every edit).
    pub looks: Option<Arc<LookCache>>,
}

/// What the cheap look found in files on disk, by absolute path, with the file's stamp: a file
/// its stamp vouches for is not read again to learn its kind.
#[derive(Debug, Default)]
pub struct LookCache {
    looks: Mutex<HashMap<PathBuf, Look>>,
    /// Whether a look was taken since `take_new` last asked.
    new: AtomicBool,
}

/// One file's look: its kind, and the file's stamp when it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Look {
    pub kind: FileKind,
    pub stamp: Stamp,
    /// When the stamp was taken (see `Stamp::vouches`).
    pub taken: Duration,
}

impl LookCache {
    fn get(&self, path: &Path, now: &Stamp) -> Option<FileKind> {
        let looks = self.looks.lock().unwrap_or_else(|e| e.into_inner());
        looks
            .get(path)
            .filter(|look| look.stamp.vouches(now, look.taken))
            .map(|look| look.kind)
    }

    fn put(&self, path: PathBuf, look: Look) {
        let mut looks = self.looks.lock().unwrap_or_else(|e| e.into_inner());
        looks.insert(path, look);
        self.new.store(true, Ordering::Relaxed);
    }

    /// Adds looks kept elsewhere (the on-disk cache), without replacing any taken here.
    pub fn extend(&self, kept: impl IntoIterator<Item = (PathBuf, Look)>) {
        let mut looks = self.looks.lock().unwrap_or_else(|e| e.into_inner());
        for (path, look) in kept {
            looks.entry(path).or_insert(look);
        }
    }

    /// Every look, by absolute path.
    pub fn looks(&self) -> Vec<(PathBuf, Look)> {
        let looks = self.looks.lock().unwrap_or_else(|e| e.into_inner());
        looks
            .iter()
            .map(|(path, look)| (path.clone(), *look))
            .collect()
    }

    /// Whether a look was taken since the last call.
    pub fn take_new(&self) -> bool {
        self.new.swap(false, Ordering::Relaxed)
    }
}

/// Where a run's passes get file texts from, and how they tell, without reading, that a text
/// is the one seen before.
pub trait Texts: Sync {
    fn read(&self, path: &Path) -> Result<String, String>;
    /// A value that changes whenever the text `read` gives for a path does, for texts this
    /// holds itself (an editor's buffers); `None` for a file read from disk, whose stamp tells.
    fn fingerprint(&self, path: &Path) -> Option<u64>;
    /// Whether `read` gives the file's text on disk, not a text that stands for it (an
    /// editor's buffer): only passes over texts on disk are kept on disk.
    fn reads_disk(&self, path: &Path) -> bool;
}

impl Texts for LoadOptions {
    fn read(&self, path: &Path) -> Result<String, String> {
        LoadOptions::read(self, path)
    }

    fn fingerprint(&self, path: &Path) -> Option<u64> {
        self.overlays.get(path).map(|text| text_digest(text))
    }

    fn reads_disk(&self, path: &Path) -> bool {
        !self.overlays.contains_key(path)
    }
}

/// What tells one text from another: xxh3, many times faster than `digest` on an editor's
/// buffer of megabytes, which is fingerprinted on every keystroke.
pub fn text_digest(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

pub fn digest(value: &(impl std::hash::Hash + ?Sized)) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// How much of a file the cheap look reads first: enough for the `$schema` that leads almost
/// every template.
const LOOK: usize = 64 << 10;

impl LoadOptions {
    /// A file's text: its overlay, else what is on disk.
    pub fn read(&self, path: &Path) -> Result<String, String> {
        match self.overlays.get(path) {
            Some(text) => Ok(text.clone()),
            None => read_text(path),
        }
    }

    /// A file, looked at: its kind from the start of its text (all of it when the start does
    /// not settle it). The text is not kept; the pass reads it again.
    fn look_at(&self, display: String, path: &Path) -> Result<SourceFile, String> {
        if let Some(text) = self.overlays.get(path) {
            return Ok(SourceFile::looked_at(display, path.to_path_buf(), text));
        }
        let looked = self.looks.as_ref().and_then(|looks| {
            let taken = now();
            let stamp = Stamp::of(path)?;
            Some((looks, super::absolute(path), stamp, taken))
        });
        if let Some((looks, absolute, stamp, _)) = &looked
            && let Some(kind) = looks.get(absolute, stamp)
        {
            return Ok(SourceFile {
                path: display,
                disk_path: Some(path.to_path_buf()),
                kind,
                context: false,
                text: None,
                stamp: Some(*stamp),
            });
        }
        let (start, size) = read_start(path)?;
        let settled = size as usize <= start.len() || super::sniff::settles(&start);
        let mut file = if settled {
            SourceFile::looked_at(display, path.to_path_buf(), &start)
        } else {
            SourceFile::looked_at(display, path.to_path_buf(), &read_text(path)?)
        };
        if let Some((looks, absolute, stamp, taken)) = looked {
            let kind = file.kind;
            looks.put(absolute, Look { kind, stamp, taken });
            file.stamp = Some(stamp);
        }
        Ok(file)
    }
}

/// What a file on disk is, by the cheap look discovery takes (unreadable: `Other`).
pub fn kind_of_file(path: &Path) -> FileKind {
    LoadOptions::default()
        .look_at(display_path(path), path)
        .map_or(FileKind::Other, |f| f.kind)
}

/// The first bytes of a file as text (a character cut at the end is left out) and its size.
fn read_start(path: &Path) -> Result<(String, u64), String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read the file: {e}");
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let mut bytes = Vec::with_capacity(LOOK.min(size as usize));
    file.by_ref()
        .take(LOOK as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    // UTF-16, and what is not text at all, are read whole: the whole file says which.
    if encoding_of(&bytes) != Encoding::Utf8 || bytes.contains(&0) {
        return Ok((read_text(path)?, size));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, size)),
        Err(e) if e.utf8_error().error_len().is_none() => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            Ok((String::from_utf8(bytes).expect("valid up to here"), size))
        }
        Err(e) => Err(not_utf8(e.utf8_error().valid_up_to())),
    }
}

pub fn load(candidates: Vec<Candidate>, options: &LoadOptions) -> Result<Inputs, String> {
    let mut inputs = Inputs::default();
    let read: Vec<Result<SourceFile, Notice>> = candidates
        .par_iter()
        .map(|c| {
            options
                .look_at(c.display.clone(), &c.path)
                .map_err(|message| Notice {
                    file: c.display.clone(),
                    message,
                })
        })
        .collect();
    for (candidate, result) in candidates.iter().zip(read) {
        match result {
            Ok(mut file) => {
                file.context = candidate.origin == Origin::Context;
                if candidate.origin == Origin::Explicit && file.kind != FileKind::Template {
                    inputs.notices.push(not_a_template(&file));
                }
                if candidate.origin == Origin::Discovered && file.kind == FileKind::Other {
                    inputs.skipped.no_schema += 1;
                }
                if file.kind != FileKind::Other {
                    inputs.files.push(file);
                }
            }
            // Unreadable files found by walking are only worth a notice when they are JSON we
            // were asked about; a stray binary `.json` in a tree is not a template either way.
            Err(notice) if candidate.origin == Origin::Explicit => inputs.notices.push(notice),
            Err(notice)
                if candidate.origin == Origin::Discovered
                    && notice.message.starts_with("cannot read") =>
            {
                inputs.notices.push(notice)
            }
            Err(_) => {}
        }
    }
    if let Some((name, text)) = &options.stdin {
        let file = SourceFile::new(name.clone(), None, text.clone());
        // Standard input is named as surely as a file on the command line.
        if file.kind != FileKind::Template {
            inputs.notices.push(not_a_template(&file));
        }
        inputs.files.push(file);
    }
    skip_compiled_templates(&mut inputs, options);
    let named: HashSet<&Path> = candidates
        .iter()
        .filter(|c| c.origin == Origin::Explicit)
        .map(|c| c.path.as_path())
        .collect();
    add_sibling_parameter_files(&mut inputs, options, &named);
    let forced = match &options.parameters {
        Some(path) => {
            let text = options
                .read(path)
                .map_err(|e| format!("--parameters {}: {e}", path.display()))?;
            let file = SourceFile::new(display_path(path), Some(path.clone()), text);
            if file.kind != FileKind::Parameters {
                return Err(format!(
                    "--parameters {}: not a parameter file (its $schema does not name deploymentParameters.json)",
                    path.display()
                ));
            }
            inputs.files.push(file);
            Some(inputs.files.len() - 1)
        }
        None => None,
    };
    let parameter_files = ParameterFiles::new(&inputs.files);
    let mut units = Vec::new();
    for template in inputs.templates() {
        // `--parameters` is for the templates named, never for those only lending context.
        let paired = match forced {
            Some(p) if !inputs.files[template].context => vec![p],
            _ => parameter_files.of(&inputs.files[template]),
        };
        if paired.is_empty() {
            units.push((template, None));
        }
        units.extend(paired.into_iter().map(|p| (template, Some(p))));
    }
    inputs.units = units;
    Ok(inputs)
}

fn not_a_template(file: &SourceFile) -> Notice {
    let message = match file.kind {
        FileKind::Parameters => {
            "a parameter file, not a template: it is linted with the template it belongs to"
        }
        _ => "not a deployment template ($schema does not name deploymentTemplate.json); skipped",
    };
    Notice {
        file: file.path.clone(),
        message: message.into(),
    }
}

/// A JSON template that `bicep build` wrote from the `.bicep` file beside it is left out: the
/// Bicep file is linted, and findings land on its lines (linting both would report each
/// finding twice).
fn skip_compiled_templates(inputs: &mut Inputs, options: &LoadOptions) {
    let bicep: HashSet<PathBuf> = inputs
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Template)
        .filter_map(|f| f.disk_path.clone())
        .filter(|p| Language::of(p) == Some(Language::Bicep))
        .collect();
    if bicep.is_empty() {
        return;
    }
    let compiled = |file: &SourceFile| {
        let path = file.disk_path.as_deref()?;
        let source = path.with_extension("bicep");
        if file.kind != FileKind::Template
            || Language::of(path) != Some(Language::Json)
            || !bicep.contains(&source)
        {
            return None;
        }
        let text = options.read(path).ok()?;
        let generator = crate::json::parse(&text)
            .root
            .ok()?
            .path(&["metadata", "_generator", "name"])?
            .as_str()?
            .eq_ignore_ascii_case("bicep");
        generator.then(|| display_path(&source))
    };
    let mut kept = Vec::with_capacity(inputs.files.len());
    for file in std::mem::take(&mut inputs.files) {
        match compiled(&file) {
            Some(source) => inputs.notices.push(Notice {
                message: format!("compiled from {source}, which is linted instead; skipped"),
                file: file.path,
            }),
            None => kept.push(file),
        }
    }
    inputs.files = kept;
}

/// Parameter files beside a template are used even when the template was named alone, as a
/// deployment command is given them: the folders of the `named` templates are read for them.
/// A walked template has the parameter files the walk found (what it passed over, hidden,
/// ignored or excluded, stays out), so the folders of a large tree are not read twice.
fn add_sibling_parameter_files(inputs: &mut Inputs, options: &LoadOptions, named: &HashSet<&Path>) {
    // Template stems by folder, so each folder is read once.
    let mut stems: HashMap<&Path, Vec<&str>> = HashMap::new();
    for f in inputs.templates() {
        let Some(path) = &inputs.files[f].disk_path else {
            continue;
        };
        if let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str()))
            && named.contains(path.as_path())
        {
            stems.entry(dir).or_default().push(stem);
        }
    }
    let mut wanted: Vec<PathBuf> = Vec::new();
    for (dir, stems) in stems {
        let listed = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        for entry in std::fs::read_dir(listed).into_iter().flatten().flatten() {
            let p = entry.path();
            if stems.iter().any(|stem| is_parameter_name(&p, stem)) {
                wanted.push(dir.join(entry.file_name()));
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    let present: HashSet<PathBuf> = inputs
        .files
        .iter()
        .filter_map(|f| f.disk_path.clone())
        .collect();
    for p in wanted {
        if present.contains(&p) {
            continue;
        }
        if let Ok(mut file) = options.look_at(display_path(&p), &p)
            && file.kind == FileKind::Parameters
        {
            // Not named: reported on only as its template's parameter file.
            file.context = true;
            inputs.files.push(file);
        }
    }
}
