//! Writing a file atomically: into a temporary file in the same directory, then
//! renamed over the target, so a failed export never leaves half a file and
//! readers never see one.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::{ExportError, shown};

/// Fails when `path` exists and is not a regular file (a directory, a device…).
pub(crate) fn check_target(path: &Path) -> Result<(), ExportError> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(ExportError::NotAFile { path: shown(path) }),
        _ => Ok(()),
    }
}

/// A temporary file next to a target; removed on drop unless persisted. For writers that
/// stream a large output: write into the [`File`] of [`TempFile::beside`], then
/// [`TempFile::persist`] it over the target.
pub struct TempFile {
    path: PathBuf,
    persisted: bool,
}

impl TempFile {
    /// Creates an empty temporary file in the directory of `target`.
    pub fn beside(target: &Path) -> Result<(TempFile, File), ExportError> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let stem = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".to_owned());
        let mut attempt = 0;
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{stem}.{}-{n}.tmp", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok((
                        TempFile {
                            path,
                            persisted: false,
                        },
                        file,
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => {
                    return Err(ExportError::io(
                        &path,
                        "creating a temporary file next to the output",
                        e,
                    ));
                }
            }
        }
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the temporary file to `target`, replacing an existing file.
    pub fn persist(mut self, target: &Path) -> Result<(), ExportError> {
        std::fs::rename(&self.path, target)
            .map_err(|e| ExportError::io(target, "replacing the file", e))?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            // Best effort: the error that caused the drop is the one to report.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to `target` atomically.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let (temp, mut file) = TempFile::beside(target)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| ExportError::io(target, "writing", e))?;
    drop(file);
    temp.persist(target)
}
