//! Writing a result folder so that no file is seen half written: each is
//! written under a temporary name in the folder and renamed into place when
//! complete, the manifest last. A process interrupted mid-run removes its
//! temporary files through a ledger, since the thread that exits cannot rely
//! on their destructors.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tempfile::NamedTempFile;

use super::ResultFile;

/// Prefix and suffix of the temporary files results are written to.
const PARTIAL_PREFIX: &str = ".sscsim-";
const PARTIAL_SUFFIX: &str = ".partial";

/// What the process has under way in its result folders: the temporary
/// files it created, the folders it completed, and whether it is closing.
/// A process stopped while a replication is still running exits from
/// another thread ([`close_results`]), so it cannot rely on the temporary
/// files' destructors: it removes what this records.
struct Ledger {
    temporary: Vec<PathBuf>,
    committed: Vec<PathBuf>,
    closed: bool,
}

static LEDGER: Mutex<Ledger> = Mutex::new(Ledger {
    temporary: Vec::new(),
    committed: Vec::new(),
    closed: false,
});

/// The ledger, even if a thread panicked while holding it: it only lists
/// paths.
fn ledger() -> MutexGuard<'static, Ledger> {
    LEDGER.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error of a temporary file or a commit asked for once the process
/// is closing its results.
fn closing() -> io::Error {
    io::Error::other(crate::run::Interrupted)
}

/// Closes every result folder of the process for good: removes every
/// temporary file still there, and makes later [`ResultFolder::temporary`]
/// and [`ResultFolder::commit`] calls fail with [`crate::run::Interrupted`].
/// Waits for a commit under way, so a folder is never left half renamed.
/// Returns the folders completed before, each once, in order; `None` when
/// the results were already closed. For a process about to exit on an
/// interruption.
pub fn close_results() -> Option<Vec<PathBuf>> {
    let mut ledger = ledger();
    if ledger.closed {
        return None;
    }
    ledger.closed = true;
    for path in std::mem::take(&mut ledger.temporary) {
        // Committed files were renamed away, dropped ones removed.
        let _ = fs::remove_file(path);
    }
    let mut committed: Vec<PathBuf> = Vec::new();
    for dir in &ledger.committed {
        if !committed.contains(dir) {
            committed.push(dir.clone());
        }
    }
    Some(committed)
}

/// Starts a command's record of its result folders afresh. What an
/// interruption removes and names is the current command's; a process that
/// runs many commands one after another (the fuzz campaign runs hundreds of
/// thousands) would otherwise keep every earlier command's paths. Does
/// nothing once the results are closed: the process is exiting.
pub fn start_results() {
    let mut ledger = ledger();
    if !ledger.closed {
        ledger.temporary.clear();
        ledger.committed.clear();
    }
}

/// A result folder whose files appear only when complete: each is written
/// under a temporary name in the folder and renamed into place by
/// [`ResultFolder::commit`]. Files not committed are deleted when dropped.
#[derive(Debug)]
pub struct ResultFolder {
    dir: PathBuf,
}

impl ResultFolder {
    /// Creates the folder (and its parents) if needed.
    ///
    /// # Errors
    /// When the folder cannot be created.
    pub fn create(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        Ok(ResultFolder {
            dir: dir.to_owned(),
        })
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// A new temporary file in the folder.
    ///
    /// # Errors
    /// When the file cannot be created.
    pub fn temporary(&self) -> io::Result<NamedTempFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(PARTIAL_PREFIX).suffix(PARTIAL_SUFFIX);
        // Result files are ordinary files: readable as the user's umask
        // allows, not private like the temporary files they start as.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut ledger = ledger();
        if ledger.closed {
            return Err(closing());
        }
        let file = builder.tempfile_in(&self.dir)?;
        ledger.temporary.push(file.path().to_owned());
        Ok(file)
    }

    /// Removes what an earlier run left in the folder: its results
    /// ([`ResultFile::ALL`], manifest first, so the folder never looks
    /// complete with some of them gone) and the temporary files of a run
    /// that was killed. Other files are left alone.
    ///
    /// # Errors
    /// When a file cannot be removed.
    pub(crate) fn remove_previous_results(&self) -> io::Result<()> {
        for file in ResultFile::ALL {
            match fs::remove_file(self.dir.join(file.name())) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PARTIAL_PREFIX) && name.ends_with(PARTIAL_SUFFIX) {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Renames finished temporary files to their final names, in order.
    ///
    /// # Errors
    /// When a rename fails.
    /// Fails with [`crate::run::Interrupted`], renaming nothing, once the
    /// process closes its results ([`close_results`]).
    pub fn commit(&self, files: Vec<(NamedTempFile, &str)>) -> io::Result<()> {
        let mut ledger = ledger();
        if ledger.closed {
            return Err(closing());
        }
        for (file, name) in files {
            let temporary = file.path().to_owned();
            file.persist(self.dir.join(name)).map_err(|e| e.error)?;
            ledger.temporary.retain(|p| *p != temporary);
        }
        ledger.committed.push(self.dir.clone());
        Ok(())
    }
}
