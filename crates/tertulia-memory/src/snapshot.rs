//! The state in a file: a JSON snapshot replaced atomically after every write.
//!
//! Each save writes a temporary file beside the snapshot, flushes it to disk, renames it over
//! the snapshot and flushes the directory, so the file is always either the previous state
//! or the new one, whatever moment the process dies.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::state::State;

const VERSION: u32 = 1;

static SAVES: AtomicU64 = AtomicU64::new(0);

#[derive(Serialize)]
struct SnapshotOut<'a> {
    version: u32,
    state: &'a State,
}

#[derive(Deserialize)]
struct SnapshotVersion {
    version: u32,
}

#[derive(Deserialize)]
struct SnapshotIn {
    state: State,
}

/// Where the state lives on disk.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    path: PathBuf,
}

/// Why a snapshot could not be read or written.
#[derive(Debug)]
pub(crate) enum SnapshotError {
    Io(std::io::Error),
    Format(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Io(error) => write!(f, "{error}"),
            SnapshotError::Format(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SnapshotError {}

impl From<std::io::Error> for SnapshotError {
    fn from(error: std::io::Error) -> Self {
        SnapshotError::Io(error)
    }
}

impl Snapshot {
    pub(crate) fn new(path: impl Into<PathBuf>) -> Self {
        Snapshot { path: path.into() }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Makes sure the snapshot's directory exists, so the first save can happen.
    pub(crate) fn prepare_directory(&self) -> Result<(), SnapshotError> {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => fs::create_dir_all(parent).map_err(SnapshotError::from),
            _ => Ok(()),
        }
    }

    /// Reads the state, or `None` when there is no snapshot yet.
    pub(crate) fn load(&self) -> Result<Option<State>, SnapshotError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let unreadable = |error: serde_json::Error| SnapshotError::Format(format!("unreadable snapshot: {error}"));
        // The version first, so a snapshot from another version is named as such.
        let version: SnapshotVersion = serde_json::from_slice(&bytes).map_err(unreadable)?;
        if version.version != VERSION {
            return Err(SnapshotError::Format(format!(
                "snapshot version {} is not the supported version {VERSION}",
                version.version
            )));
        }
        let snapshot: SnapshotIn = serde_json::from_slice(&bytes).map_err(unreadable)?;
        Ok(Some(snapshot.state))
    }

    /// Writes the state atomically and durably.
    pub(crate) fn save(&self, state: &State) -> Result<(), SnapshotError> {
        let bytes = serde_json::to_vec(&SnapshotOut { version: VERSION, state })
            .map_err(|error| SnapshotError::Format(format!("state not serialisable: {error}")))?;
        let directory = match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = self.path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        // Unique per process and per save, so two writers never share a temporary file.
        let attempt = SAVES.fetch_add(1, Ordering::Relaxed);
        let temporary = directory.join(format!(".{file_name}.{}.{attempt}.tmp", std::process::id()));
        let written = (|| {
            let mut file = File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&temporary, &self.path)?;
            sync_directory(&directory)
        })();
        if written.is_err() {
            // Best effort: a leftover temporary file is harmless, but tidy when possible.
            let _ = fs::remove_file(&temporary);
        }
        written.map_err(SnapshotError::from)
    }
}

#[cfg(unix)]
fn sync_directory(directory: &Path) -> std::io::Result<()> {
    File::open(directory)?.sync_all()
}

#[cfg(not(unix))]
fn sync_directory(_directory: &Path) -> std::io::Result<()> {
    Ok(())
}
