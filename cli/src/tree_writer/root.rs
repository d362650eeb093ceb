//! One root of a build: created if missing, locked against a second build, and the staging
//! directories that killed builds left in it.

use super::{BuildError, STAGING_PREFIX};
use ipxegen_core::tree::Root;
use std::fs::{self, File};
use std::io;
use std::path::PathBuf;

/// One root being built.
pub(super) struct RootDir {
    root: Root,
    /// The root directory.
    pub(super) dir: PathBuf,
    /// This build's staging directory inside it.
    pub(super) stage: PathBuf,
    /// The root existed before this build.
    pub(super) exists: bool,
    created: bool,
    /// The lock on the root (held while the build runs).
    pub(super) lock: Option<File>,
    /// Staging directories of killed builds.
    pub(super) leftovers: Vec<PathBuf>,
}

impl RootDir {
    pub(super) fn new(root: Root, dir: PathBuf) -> Self {
        let stage = dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        RootDir {
            root,
            dir,
            stage,
            exists: false,
            created: false,
            lock: None,
            leftovers: Vec::new(),
        }
    }

    /// `http root DIR` or `tftp root DIR`, for messages.
    pub(super) fn what(&self) -> String {
        format!("{} root {}", self.root.as_str(), self.dir.display())
    }

    /// Creates (unless dry), locks and inspects the root; creates the staging directory.
    pub(super) fn open(&mut self, dry_run: bool) -> Result<(), BuildError> {
        match fs::metadata(&self.dir) {
            Ok(m) if m.is_dir() => self.exists = true,
            Ok(_) => {
                return Err(BuildError::io(format!(
                    "{}: exists and is not a directory",
                    self.what()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(BuildError::io(format!("{}: {e}", self.what()))),
        }
        if dry_run {
            if self.exists {
                self.find_leftovers()?;
            }
            return Ok(());
        }
        if !self.exists {
            fs::create_dir_all(&self.dir)
                .map_err(|e| BuildError::io(format!("{}: cannot create it: {e}", self.what())))?;
            self.created = true;
        }
        let lock = File::open(&self.dir)
            .map_err(|e| BuildError::io(format!("{}: cannot open it: {e}", self.what())))?;
        match rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                return Err(BuildError::io(format!(
                    "{}: another ipxegen build is writing it",
                    self.what()
                )));
            }
            Err(e) => {
                return Err(BuildError::io(format!(
                    "{}: cannot lock it: {e}",
                    self.what()
                )));
            }
        }
        self.lock = Some(lock);
        self.find_leftovers()?;
        fs::create_dir(&self.stage).map_err(|e| {
            BuildError::io(format!(
                "{}: cannot write in it ({e}); nothing was changed",
                self.what()
            ))
        })?;
        Ok(())
    }

    /// Staging directories of builds that were killed.
    fn find_leftovers(&mut self) -> Result<(), BuildError> {
        let entries = fs::read_dir(&self.dir)
            .map_err(|e| BuildError::io(format!("{}: cannot list it: {e}", self.what())))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_stage = name.to_str().is_some_and(|n| n.starts_with(STAGING_PREFIX));
            if is_stage && entry.path() != self.stage {
                self.leftovers.push(entry.path());
            }
        }
        Ok(())
    }

    /// Removes what this build staged (and the root, if this build created it).
    pub(super) fn abandon(&self) {
        if self.lock.is_some() {
            let _ = fs::remove_dir_all(&self.stage);
        }
        if self.created {
            let _ = fs::remove_dir(&self.dir);
        }
    }
}
