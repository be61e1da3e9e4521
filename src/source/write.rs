//! Writing files back (`--fix`, `--add-suppressions`, `--write-baseline`): atomically, and only
//! over the text that was read.
//!
//! The new text goes to a temporary file in the same folder, is synced, and is renamed over
//! the file, so a failed write (a full disk) leaves the original as it was. Just before the
//! rename the file is read again: if it no longer holds what the run read (another program
//! or an editor saved it meanwhile), it is left alone and the caller is told. What a plain
//! `write` kept is kept: a symbolic link is followed and its target replaced, the file's
//! permissions (and, where allowed, owner) carry over. A rename would give a file with
//! several hard links a new identity, cut off from its other names, so such a file (and one
//! whose owner cannot be kept) is written in place instead, after the same check; if that
//! write fails part-way, the original bytes are written back over the blocks they held.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::encoding::{encode, encoding_of};

/// Why a file was not replaced. In every case it holds what it held before.
#[derive(Debug)]
pub enum WriteError {
    /// It no longer holds the text that was read.
    Changed,
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Changed => f.write_str("it changed since it was read; left as it is"),
            WriteError::Io(e) => write!(f, "{e}; the file is left as it was"),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Replaces files. [`Disk`] is the real one; a test can put its own in front of it, to change
/// a file between the run's read and its write.
pub trait Replace {
    /// Replaces `path` with `new` if it still holds `read` (`None`: whatever it holds, or
    /// nothing, as for a report or baseline the run never read).
    fn replace(&self, path: &Path, read: Option<&[u8]>, new: &[u8]) -> Result<(), WriteError>;
}

/// The file system.
pub struct Disk;

impl Replace for Disk {
    fn replace(&self, path: &Path, read: Option<&[u8]>, new: &[u8]) -> Result<(), WriteError> {
        replace(path, read, new)
    }
}

/// [`replace`] for a text that was read as `read`, written in the encoding the file has
/// (UTF-16 stays UTF-16).
pub fn replace_text(
    disk: &dyn Replace,
    path: &Path,
    read: &str,
    new: &str,
) -> Result<(), WriteError> {
    let mut start = [0; 2];
    let known = File::open(path).and_then(|mut f| f.read(&mut start))?;
    let encoding = encoding_of(&start[..known]);
    disk.replace(path, Some(&encode(read, encoding)), &encode(new, encoding))
}

/// See the module's documentation.
pub fn replace(path: &Path, read: Option<&[u8]>, new: &[u8]) -> Result<(), WriteError> {
    replace_synced(path, read, new, true)
}

/// [`replace`] for a file whose loss costs only time (a cache): it is not synced to disk,
/// which can take longer than the run that writes it, so after a crash it may be damaged, and
/// its reader must tell.
pub fn replace_unsynced(path: &Path, new: &[u8]) -> Result<(), WriteError> {
    replace_synced(path, None, new, false)
}

fn replace_synced(
    path: &Path,
    read: Option<&[u8]>,
    new: &[u8],
    sync: bool,
) -> Result<(), WriteError> {
    let target = resolve_links(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound && read.is_none() => None,
        Err(e) => return Err(e.into()),
    };
    if existing.is_some() {
        // Only a file the user may write is replaced, as a write in place would check.
        OpenOptions::new().write(true).open(&target)?;
    }
    if existing.as_ref().is_some_and(has_other_names) {
        return overwrite(&target, read, new);
    }
    let (temp, mut file) = match temporary(&target) {
        Ok(made) => made,
        // A folder the user may not add to can still hold a file they may write.
        Err(e) if existing.is_some() && e.kind() == io::ErrorKind::PermissionDenied => {
            return overwrite(&target, read, new);
        }
        Err(e) => return Err(e.into()),
    };
    let written = (|| {
        if let Some(meta) = &existing {
            file.set_permissions(meta.permissions())?;
            keep_owner(&file, meta)?;
        }
        file.write_all(new)?;
        if sync { file.sync_all() } else { Ok(()) }
    })();
    drop(file);
    let outcome = match written {
        Err(e) if existing.is_some() && e.kind() == io::ErrorKind::PermissionDenied => {
            // The owner could not be kept: in place, the file keeps it.
            let _ = std::fs::remove_file(&temp);
            return overwrite(&target, read, new);
        }
        Err(e) => Err(e.into()),
        Ok(()) => still_holds(&target, read).and_then(|()| Ok(std::fs::rename(&temp, &target)?)),
    };
    if outcome.is_err() {
        let _ = std::fs::remove_file(&temp);
    } else if let Some(dir) = target.parent().filter(|_| sync) {
        // The rename is durable once the folder is synced; not every platform can.
        let _ = File::open(folder(dir)).and_then(|d| d.sync_all());
    }
    outcome
}

/// The file a path names, through any symbolic links (a dangling one gives the path it points
/// at, so a new file is created there as `write` would).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // As the kernel does, give up on a loop after 40 links.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn folder(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// A new file beside `target`, named after it and hidden, that no other run can have opened.
fn temporary(target: &Path) -> io::Result<(PathBuf, File)> {
    let dir = folder(target.parent().unwrap_or(Path::new(".")));
    let name = target
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    for attempt in 0u32.. {
        let temp = dir.join(format!(
            ".{name}.{}-{attempt}.wps-lint.tmp",
            std::process::id()
        ));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {}
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns by its hundredth attempt")
}

/// Whether the file still holds what was read (always, when nothing was read).
fn still_holds(target: &Path, read: Option<&[u8]>) -> Result<(), WriteError> {
    match read {
        Some(read) if std::fs::read(target)? != read => Err(WriteError::Changed),
        _ => Ok(()),
    }
}

/// Writes over the file's own bytes, after checking them under the same handle.
fn overwrite(target: &Path, read: Option<&[u8]>, new: &[u8]) -> Result<(), WriteError> {
    let mut file = OpenOptions::new().read(true).write(true).open(target)?;
    let mut current = Vec::new();
    file.read_to_end(&mut current)?;
    if read.is_some_and(|read| read != current) {
        return Err(WriteError::Changed);
    }
    let put = |file: &mut File, bytes: &[u8]| -> io::Result<()> {
        file.seek(SeekFrom::Start(0))?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    };
    if let Err(e) = put(&mut file, new) {
        // Not truncated first, the original's blocks are still the file's: writing its bytes
        // back needs no new space.
        let _ = put(&mut file, &current);
        return Err(e.into());
    }
    Ok(())
}

#[cfg(unix)]
fn has_other_names(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_names(_: &std::fs::Metadata) -> bool {
    false
}

/// Gives the new file the original's owner and group, when they differ from the writer's.
#[cfg(unix)]
fn keep_owner(file: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = file.metadata()?;
    if (mine.uid(), mine.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &std::fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_what_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(&path, "old").unwrap();
        replace(&path, Some(b"old"), b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert!(matches!(
            replace(&path, Some(b"old"), b"newer"),
            Err(WriteError::Changed)
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // No temporary file is left behind either way.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        replace(&dir.path().join("new.json"), None, b"created").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("new.json")).unwrap(),
            b"created"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_symlinks_and_hard_links() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("t.json", &link).unwrap();
        replace(&link, Some(b"old"), b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o777, 0o640);

        let other = dir.path().join("other-name.json");
        std::fs::hard_link(&path, &other).unwrap();
        let inode = std::fs::metadata(&path).unwrap().ino();
        replace(&path, Some(b"new"), b"newer, and longer").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode);
        assert_eq!(std::fs::read(&other).unwrap(), b"newer, and longer");
        assert!(matches!(
            replace(&path, Some(b"new"), b"x"),
            Err(WriteError::Changed)
        ));
        assert_eq!(std::fs::read(&other).unwrap(), b"newer, and longer");
    }
}
