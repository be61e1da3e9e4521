//! The server's world: open documents, workspace folders, settings, the index and the latest
//! analysis. Handlers change it under a short lock and wake the scheduler; nothing slow runs
//! while it is held.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use foldhash::{HashMap, HashMapExt};
use tokio::sync::Notify;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::run::{Cancel, PassCache, Prepared};
use crate::source::LookCache;

use super::analysis::{Request, WorkspaceFindings};
use super::index::{Index, templates_of_parameter_file};
use super::settings::ClientSettings;

pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

#[derive(Default)]
pub struct Session {
    /// Open documents by file path; documents that are not files (untitled) are not linted.
    pub documents: HashMap<PathBuf, Document>,
    pub folders: Vec<PathBuf>,
    pub settings: ClientSettings,
    /// `None` until the first scan of the folders completes.
    pub index: Option<Index>,
    /// Bumped by every change that can alter findings; a result computed for an older
    /// generation is never published.
    pub generation: u64,
    /// The last published analysis and the document versions it was computed for, for hover
    /// and code actions.
    pub latest: Option<Published>,
    /// The run error last shown, so that it is shown once, and the config file it was put on.
    pub error: Option<(String, Option<Uri>)>,
    pub dynamic_watch: bool,
    /// Counts index scans, so that only the latest one's result is kept.
    pub scans: u64,
    /// Each template's last pass: an edit re-analyses the file it touches, then the join.
    pub passes: Arc<PassCache>,
    /// What each workspace file is, so that an edit does not look at every file again.
    pub looks: Arc<LookCache>,
    /// Counts what can change the disk under the analysis: watched files' events, saves, scans,
    /// and changes the background check finds.
    pub disk: u64,
    /// The last run's prepared files and what they were prepared for: a keystroke that leaves
    /// those unchanged is analysed without touching the disk.
    pub prepared: Option<(PreparedFor, Arc<Prepared>)>,
    /// When the background check last compared the prepared files with the disk.
    pub checked: Option<std::time::Instant>,
}

/// What a run's files were prepared for: the set, the settings and the disk as last seen.
#[derive(Clone, PartialEq)]
pub struct PreparedFor {
    pub files: BTreeSet<PathBuf>,
    pub settings: ClientSettings,
    pub disk: u64,
}

pub struct Published {
    pub analysis: Arc<WorkspaceFindings>,
    pub versions: HashMap<PathBuf, i32>,
}

/// What one analysis run works on: the request and the documents to publish for.
pub struct Snapshot {
    pub generation: u64,
    pub request: Request,
    /// The files as a run prepared them for `prepared_for`, when that is still the state.
    pub prepared: Option<Arc<Prepared>>,
    pub prepared_for: PreparedFor,
    pub documents: Vec<(PathBuf, Uri, i32)>,
}

impl Session {
    pub fn touch(&mut self) {
        self.generation += 1;
    }

    /// Records that files on disk may have changed: the next run prepares its files anew.
    pub fn disk_changed(&mut self) {
        self.disk += 1;
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut files = self
            .index
            .as_ref()
            .map(|i| i.files.clone())
            .unwrap_or_default();
        let mut overlays = HashMap::new();
        let mut documents = Vec::new();
        for (path, doc) in &self.documents {
            files.insert(path.clone());
            files.extend(templates_of_parameter_file(path));
            overlays.insert(path.clone(), doc.text.clone());
            documents.push((path.clone(), doc.uri.clone(), doc.version));
        }
        let prepared_for = PreparedFor {
            files: files.clone(),
            settings: self.settings.clone(),
            disk: self.disk,
        };
        let prepared = self
            .prepared
            .as_ref()
            .filter(|(kept_for, _)| *kept_for == prepared_for)
            .map(|(_, prepared)| prepared.clone());
        Snapshot {
            generation: self.generation,
            prepared,
            prepared_for,
            request: Request {
                files,
                overlays,
                settings: self.settings.clone(),
                passes: self.passes.clone(),
                looks: self.looks.clone(),
                cancel: Cancel::default(),
            },
            documents,
        }
    }

    /// The latest analysis when it was computed for exactly this version of the document,
    /// with the document's text (positions in it are only valid for that version).
    pub fn current(&self, path: &Path) -> Option<(Arc<WorkspaceFindings>, &Document)> {
        let doc = self.documents.get(path)?;
        let latest = self.latest.as_ref()?;
        (latest.versions.get(path) == Some(&doc.version)).then(|| (latest.analysis.clone(), doc))
    }

    /// The folder relative settings paths are read from.
    pub fn base(&self) -> Option<&Path> {
        self.folders.first().map(PathBuf::as_path)
    }
}

/// What every handler gets: the client, the session and the scheduler's bell.
#[derive(Clone)]
pub struct ServerHandle {
    pub client: Client,
    pub session: Arc<Mutex<Session>>,
    pub wake: Arc<Notify>,
}

impl ServerHandle {
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        // A panic while the lock was held leaves plain data behind; keep serving.
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a change that can alter findings and asks for an analysis.
    pub fn changed(&self, session: &mut Session) {
        session.touch();
        self.wake.notify_one();
    }
}

pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.as_str().starts_with("file:") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}
