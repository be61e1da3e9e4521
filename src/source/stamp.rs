//! What tells, without reading a file, that it is unchanged since it was last read: its size and
//! modification time. A file's modification time can stay the same across two writes (a
//! clock's tick, a file system that keeps seconds, a tool that sets it back), so a stamp is
//! trusted only for a file that was already older than `STEADY` when the stamp was taken: a
//! later write cannot give it that old a time again. Otherwise the caller reads the file and
//! compares its content (the approach of git's index for "racily clean" files).

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// How much older than its stamp a file must have been for the stamp to vouch for it: more
/// than the coarsest modification times in use (FAT keeps two seconds).
pub const STEADY: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Since the Unix epoch.
    pub modified: Duration,
}

impl Stamp {
    /// The file's stamp now (`None` when it cannot be had: no file, no modification time).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            size: meta.len(),
            modified: meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?,
        })
    }

    /// Whether a file stamped `self` at `taken` is certainly unchanged now that its stamp is
    /// `now`.
    pub fn vouches(&self, now: &Stamp, taken: Duration) -> bool {
        self == now && self.modified + STEADY < taken
    }
}

/// The time now, since the Unix epoch: when a stamp is taken (before the file is read).
pub fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_vouches_only_for_a_file_already_old_when_it_was_taken() {
        let at = |secs| Stamp {
            size: 10,
            modified: Duration::from_secs(secs),
        };
        let taken = Duration::from_secs(100);
        assert!(at(90).vouches(&at(90), taken));
        // Written in the seconds before the stamp: a second write may keep its time.
        assert!(!at(98).vouches(&at(98), taken));
        assert!(!at(90).vouches(&at(91), taken));
        let resized = Stamp { size: 11, ..at(90) };
        assert!(!at(90).vouches(&resized, taken));
    }
}
