//! The on-disk cache: each template file's pass (its `FileReport`) and each file's look
//! (`LookCache`) kept between processes, so that a hook, a second run or a language server
//! opening a workspace again reads and analyses only what changed.
//!
//! A pass is kept by its template's absolute path with everything its answer depends on: the
//! build of wps-lint (its version and the binary itself), the rules, the configuration of its
//! files, and every file it read (the template, its parameter files, the Bicep modules it
//! lowered, and modules it could not read), each with its stamp and a hash of its text. A
//! stamp vouches for a file that was already old when it was taken; any other file is read
//! and its hash compared (see `source::Stamp`). The places of files in a pass are those of the
//! run that stored it, so a pass read back is renumbered into this run's file list.
//!
//! One file per cache folder, as ruff keeps one per package: a warm run reads one file, and a
//! pass's report stays in its bytes until a run asks for it. The file is written whole,
//! atomically (a temporary file renamed over it, not synced: a crash may damage it, and
//! the checksum tells), only when something changed; two runs at
//! once each write what they know, the last one wins, and either file holds only true
//! entries. A file that is damaged (its checksum), cut short, or of another build is ignored
//! and written anew; a folder that cannot be written leaves the run uncached, with a warning.

use std::cell::{Cell, RefCell};
use std::io::ErrorKind;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use foldhash::{HashMap, HashMapExt};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use super::super::pass::{FileReport, Read};
use crate::facts::{FilePlaces, Renumber};
use crate::source::{
    FileId, Inputs, Look, LookCache, Stamp, absolute, digest, now, replace_unsynced,
};

/// What tells a cache file from any other file: these bytes, then the build, the checksum of
/// the rest, and the rest.
const MAGIC: &[u8; 16] = b"wps-lint cache\n\0";
const HEADER: usize = MAGIC.len() + 16;

/// The folder's `.gitignore`, so that nobody commits the cache.
const GITIGNORE: &str = "# Made by wps-lint: its cache, never committed.\n*\n";
/// Backup tools skip folders with this file (https://bford.info/cachedir/).
const CACHEDIR_TAG: &str =
    "Signature: 8a477f597d28d172789f06886806bc55\n# The cache of wps-lint.\n";

/// The cache of one folder. Reads and writes are each one file; what a run adds is kept in
/// memory until `save`.
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    file: PathBuf,
    build: u64,
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    passes: HashMap<String, Arc<Pass>>,
    /// Looks read from the file, until the run's `LookCache` takes them.
    looks: Vec<(PathBuf, Look)>,
    /// Whether the file on disk lacks something kept here (or is to be written anew).
    changed: bool,
}

/// A kept pass: what it was made from, and its report's bytes.
#[derive(Debug)]
struct Pass {
    head: Head,
    report: Blob,
}

/// What a kept pass was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    /// Digest of the rules and of the configurations of its files (`pass_key`).
    key: u64,
    /// When its files were stamped, before any was read.
    taken: Duration,
    /// The template, its parameter files in order, then the modules it read.
    files: Vec<FileRead>,
    /// The places of the template and its parameter files in the run that stored it.
    places: Vec<FileId>,
    /// The place in that run of each other file read, in order (`None`: not one of its files):
    /// findings inside a Bicep module are in the module file only when the run holds it.
    others: Vec<Option<FileId>>,
}

/// One file a pass read, by absolute path: its stamp and the hash of its text, or `None` if it
/// could not be read (a module that is missing: it may appear).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FileRead {
    path: String,
    read: Option<(Stamp, u128)>,
}

/// A report's bytes: a range of the cache file read, or bytes of its own.
#[derive(Debug, Clone)]
struct Blob {
    bytes: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl Blob {
    fn bytes(&self) -> &[u8] {
        &self.bytes[self.range.clone()]
    }
}

/// The file's body: looks, and passes with the length of each report; the reports follow.
#[derive(Serialize, Deserialize)]
struct Index {
    looks: Vec<(String, Look)>,
    passes: Vec<(Head, u32)>,
}

/// The key of a pass besides its files: the rules (`rules_digest`) and the digests of the
/// configurations of its files, in order.
pub fn pass_key(rules: u64, configs: &[u64]) -> u64 {
    digest(&(rules, configs))
}

impl DiskCache {
    /// The cache in `dir`; a missing, damaged or foreign file gives an empty one.
    pub fn open(dir: PathBuf) -> DiskCache {
        let file = dir.join(format!("wps-lint-{}.cache", env!("CARGO_PKG_VERSION")));
        let build = build();
        let kept = match std::fs::read(&file) {
            Ok(bytes) => read(bytes, build).unwrap_or(Kept {
                // Written anew, even if the run changes nothing.
                changed: true,
                ..Kept::default()
            }),
            Err(_) => Kept::default(),
        };
        DiskCache {
            dir,
            file,
            build,
            kept: Mutex::new(kept),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The looks read from the file, given once to the run's `LookCache`.
    pub fn fill(&self, looks: &LookCache) {
        looks.extend(std::mem::take(&mut self.kept().looks));
    }

    /// The kept pass of `template` with these parameter files, if everything it was made from
    /// is as it was, renumbered into this run, with the other files it read (modules, linked
    /// templates). Every file of the pass must be on disk.
    pub fn get(
        &self,
        inputs: &Inputs,
        template: FileId,
        parameters: &[FileId],
        key: u64,
        read: Read,
    ) -> Option<(FileReport, Vec<PathBuf>)> {
        let pass_files: Vec<FileId> = std::iter::once(template)
            .chain(parameters.iter().copied())
            .collect();
        let paths: Vec<String> = pass_files
            .iter()
            .map(|&f| path_key(inputs.files[f].disk_path.as_deref()?))
            .collect::<Option<_>>()?;
        let pass = self.kept().passes.get(&paths[0]).cloned()?;
        let head = &pass.head;
        if head.key != key
            || head.places.len() != paths.len()
            || head.files.len() < paths.len()
            || head.files.iter().zip(&paths).any(|(f, p)| f.path != *p)
        {
            return None;
        }
        let taken = now();
        let mut checked = Vec::with_capacity(head.files.len());
        let mut compared = false;
        for (i, file) in head.files.iter().enumerate() {
            // The template and parameter files were stamped when looked at, in this run.
            let looked = pass_files
                .get(i)
                .and_then(|&f| inputs.files[f].looked_stamp());
            let (now, by_content) = unchanged(file, looked, head.taken, read)?;
            checked.push(now);
            compared |= by_content;
        }
        let mut moves: Vec<(FileId, FileId, &str)> = head
            .places
            .iter()
            .zip(&pass_files)
            .map(|(&stored, &now)| (stored, now, inputs.files[now].path.as_str()))
            .collect();
        let others = &head.files[paths.len()..];
        if others.len() != head.others.len() {
            return None;
        }
        for (file, &stored) in others.iter().zip(&head.others) {
            match (stored, place(inputs, &file.path)) {
                (Some(stored), Some(now)) => {
                    moves.push((stored, now, inputs.files[now].path.as_str()))
                }
                (None, None) => {}
                _ => return None,
            }
        }
        let mut report: FileReport = postcard::from_bytes(pass.report.bytes()).ok()?;
        let places = FilePlaces::new(moves);
        report.renumber(&places)?;
        if compared {
            // Its stamps are taken again, so that the next run need not read the files.
            let head = Head {
                taken,
                files: checked,
                ..head.clone()
            };
            let report = pass.report.clone();
            self.insert(paths[0].clone(), Pass { head, report });
        }
        let others = head.files[paths.len()..]
            .iter()
            .map(|f| PathBuf::from(&f.path))
            .collect();
        Some((report, others))
    }

    /// Keeps the pass of `report`'s template with these parameter files, which read what
    /// `reads` recorded (the template first, then the parameter files in order).
    pub fn put(
        &self,
        inputs: &Inputs,
        parameters: &[FileId],
        key: u64,
        reads: Reads,
        report: &FileReport,
    ) {
        let files = reads.files.into_inner();
        let Some(template) = files.first().map(|f| f.path.clone()) else {
            return;
        };
        let (Ok(bytes), true) = (postcard::to_allocvec(report), reads.whole.into_inner()) else {
            return;
        };
        let places: Vec<FileId> = std::iter::once(report.template)
            .chain(parameters.iter().copied())
            .collect();
        let others = files
            .iter()
            .skip(places.len())
            .map(|f| place(inputs, &f.path))
            .collect();
        let head = Head {
            key,
            taken: reads.taken,
            files,
            places,
            others,
        };
        let report = Blob {
            range: 0..bytes.len(),
            bytes: Arc::new(bytes),
        };
        self.insert(template, Pass { head, report });
    }

    fn insert(&self, template: String, pass: Pass) {
        let mut kept = self.kept();
        kept.passes.insert(template, Arc::new(pass));
        kept.changed = true;
    }

    /// Writes the file if anything was added (passes here, looks in `looks`). Passes and
    /// looks of files that are gone are left out. `Err` says why the folder cannot hold it.
    pub fn save(&self, looks: Option<&LookCache>) -> Result<(), String> {
        let new_looks = looks.is_some_and(LookCache::take_new);
        let passes: Vec<(String, Arc<Pass>)> = {
            let mut kept = self.kept();
            if !kept.changed && !new_looks {
                return Ok(());
            }
            kept.changed = false;
            kept.passes
                .iter()
                .map(|(path, pass)| (path.clone(), pass.clone()))
                .collect()
        };
        let mut passes: Vec<(String, Arc<Pass>)> = passes
            .into_iter()
            .filter(|(path, _)| Path::new(path).exists())
            .collect();
        passes.sort_by(|a, b| a.0.cmp(&b.0));
        let mut looks: Vec<(String, Look)> = looks
            .map(LookCache::looks)
            .unwrap_or_default()
            .into_iter()
            .filter(|(path, _)| path.exists())
            .filter_map(|(path, look)| Some((path.to_str()?.to_string(), look)))
            .collect();
        looks.sort_by(|a, b| a.0.cmp(&b.0));
        let index = Index {
            looks,
            passes: passes
                .iter()
                .map(|(_, pass)| (pass.head.clone(), pass.report.range.len() as u32))
                .collect(),
        };
        let mut body = postcard::to_allocvec(&index).map_err(|e| e.to_string())?;
        for (_, pass) in &passes {
            body.extend_from_slice(pass.report.bytes());
        }
        let mut bytes = Vec::with_capacity(HEADER + body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.build.to_le_bytes());
        bytes.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        bytes.extend_from_slice(&body);
        self.write(&bytes).map_err(|e| {
            // Tried again by the next save.
            self.kept().changed = true;
            format!(
                "cannot write the cache in {}: {e}; this run was not cached",
                self.dir.display()
            )
        })
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        for (name, text) in [(".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)] {
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.dir.join(name));
            match made {
                Ok(mut file) => std::io::Write::write_all(&mut file, text.as_bytes())?,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        replace_unsynced(&self.file, bytes).map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// The kept passes and looks of a cache file's bytes; `None` when they are not a whole cache
/// file of this build.
fn read(bytes: Vec<u8>, build: u64) -> Option<Kept> {
    let header = bytes.get(..HEADER)?;
    let word = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
    if &header[..MAGIC.len()] != MAGIC
        || word(MAGIC.len()) != build
        || word(MAGIC.len() + 8) != xxh3_64(&bytes[HEADER..])
    {
        return None;
    }
    let (index, reports) = postcard::take_from_bytes::<Index>(&bytes[HEADER..]).ok()?;
    let mut start = bytes.len() - reports.len();
    let bytes = Arc::new(bytes);
    let mut passes = HashMap::with_capacity(index.passes.len());
    for (head, len) in index.passes {
        let range = start..start.checked_add(len as usize)?;
        start = range.end;
        let template = head.files.first()?.path.clone();
        let report = Blob {
            bytes: bytes.clone(),
            range,
        };
        passes.insert(template, Arc::new(Pass { head, report }));
    }
    (start == bytes.len()).then(|| Kept {
        passes,
        looks: index
            .looks
            .into_iter()
            .map(|(path, look)| (PathBuf::from(path), look))
            .collect(),
        changed: false,
    })
}

/// Whether a file a pass read is as it was: its stamp vouches for it, or its text has the same
/// hash. Gives its stamp now, and whether its text was compared.
fn unchanged(
    file: &FileRead,
    looked: Option<Stamp>,
    taken: Duration,
    read: Read,
) -> Option<(FileRead, bool)> {
    let path = Path::new(&file.path);
    if !read.reads_disk(path) {
        return None;
    }
    let Some((stamp, hash)) = file.read else {
        return read.read(path).is_err().then(|| (file.clone(), false));
    };
    let now = looked.or_else(|| Stamp::of(path))?;
    if stamp.vouches(&now, taken) {
        return Some((file.clone(), false));
    }
    if now.size != stamp.size {
        return None;
    }
    let text = read.read(path).ok()?;
    (text_hash(&text) == hash).then(|| {
        let file = FileRead {
            path: file.path.clone(),
            read: Some((now, hash)),
        };
        (file, true)
    })
}

fn text_hash(text: &str) -> u128 {
    xxh3_128(text.as_bytes())
}

/// A file's absolute path as passes are kept by (`None` for one that is not Unicode).
fn path_key(path: &Path) -> Option<String> {
    absolute(path).to_str().map(str::to_string)
}

/// Which of the run's files a recorded path is, if any.
fn place(inputs: &Inputs, path: &str) -> Option<FileId> {
    inputs.file_at(Path::new(path))
}

/// What tells this build of wps-lint from others: its version, and the binary's own stamp, so
/// that a rebuilt binary (a developer's, with changed rules in code) does not trust passes of
/// the one before.
fn build() -> u64 {
    let binary = std::env::current_exe().ok().and_then(|exe| Stamp::of(&exe));
    digest(&(
        env!("CARGO_PKG_VERSION"),
        binary.map(|s| (s.size, s.modified)),
    ))
}

/// The files one pass reads, each stamped before it is read and hashed after, for the pass's
/// entry. A file read twice with different texts (changed during the pass) spoils the entry.
#[derive(Debug)]
pub struct Reads {
    taken: Duration,
    files: RefCell<Vec<FileRead>>,
    whole: Cell<bool>,
}

impl Reads {
    pub fn start() -> Reads {
        Reads {
            taken: now(),
            files: RefCell::new(Vec::new()),
            whole: Cell::new(true),
        }
    }

    /// Reads a file through `read`, recording it. Only texts from disk can be kept: another
    /// (an editor's buffer for a module) spoils the entry.
    pub fn read(&self, read: Read, path: &Path) -> Result<String, String> {
        let stamp = Stamp::of(path);
        let text = read.read(path);
        let Some(key) = path_key(path).filter(|_| read.reads_disk(path)) else {
            self.whole.set(false);
            return text;
        };
        let recorded = match (&text, stamp) {
            (Ok(text), Some(stamp)) => Some((stamp, text_hash(text))),
            (Err(_), _) => None,
            // Read, but without a stamp to know it by.
            (Ok(_), None) => {
                self.whole.set(false);
                return text;
            }
        };
        let mut files = self.files.borrow_mut();
        match files.iter().find(|f| f.path == key) {
            Some(earlier) => {
                let same = earlier.read.map(|(_, h)| h) == recorded.map(|(_, h)| h);
                if !same {
                    self.whole.set(false);
                }
            }
            None => files.push(FileRead {
                path: key,
                read: recorded,
            }),
        }
        text
    }
}
