//! Everything sscsim hands to people: CSV files, the manifest, a workbook
//! of the tables, and the printed tables. Output formats know nothing of the
//! simulation's internals: they see metrics and summaries.

pub mod csv;
pub mod manifest;
pub mod pool;
pub mod replay;
pub mod table;
pub mod xlsx;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

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
        builder.prefix(".sscsim-").suffix(".partial");
        // Result files are ordinary files: readable as the user's umask
        // allows, not private like the temporary files they start as.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        builder.tempfile_in(&self.dir)
    }

    /// Renames finished temporary files to their final names, in order.
    ///
    /// # Errors
    /// When a rename fails.
    pub fn commit(&self, files: Vec<(NamedTempFile, &str)>) -> io::Result<()> {
        for (file, name) in files {
            file.persist(self.dir.join(name)).map_err(|e| e.error)?;
        }
        Ok(())
    }
}
