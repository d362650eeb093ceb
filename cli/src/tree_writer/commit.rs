//! The commit: only renames, dependencies first (node directories and files, then the
//! per-MAC entries that point at them, then the main script; in the classic flow's TFTP root
//! `pxelinux.cfg/` and `grub/` last), stale files removed, and the manifest renamed into
//! place last.

use super::root::RootDir;
use super::stage::Builder;
use super::{BuildError, PARTIAL_MANIFEST};
use ipxegen_core::manifest::MANIFEST_NAME;
use ipxegen_core::tree::{Root, written_last};
use std::fs;
use std::io;
use std::path::Path;

/// Moves `src` (staged) to `dst`: a new path moves in one rename (a whole directory at
/// once); an existing directory is merged entry by entry; a file replaces the old one.
fn move_entry(src: &Path, dst: &Path) -> io::Result<()> {
    let src_is_dir = fs::symlink_metadata(src)?.is_dir();
    match fs::symlink_metadata(dst) {
        Ok(m) if m.is_dir() && src_is_dir => {
            move_children(src, dst, &[], &[])?;
            fs::remove_dir(src)
        }
        Ok(_) => fs::rename(src, dst),
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::rename(src, dst),
        Err(e) => Err(e),
    }
}

/// Moves every child of `src` into `dst`, those named in `last` after the others, in
/// that order; leaves those named in `skip`.
fn move_children(src: &Path, dst: &Path, last: &[&str], skip: &[&str]) -> io::Result<()> {
    loop {
        let mut moved = 0usize;
        for child in fs::read_dir(src)? {
            let child = child?;
            let name = child.file_name();
            if last.iter().chain(skip).any(|l| name.as_os_str() == *l) {
                continue;
            }
            move_entry(&child.path(), &dst.join(&name))?;
            moved += 1;
        }
        if moved == 0 {
            break;
        }
    }
    for name in last {
        let child = src.join(name);
        if fs::symlink_metadata(&child).is_ok() {
            move_entry(&child, &dst.join(name))?;
        }
    }
    Ok(())
}

impl Builder<'_, '_, '_> {
    /// Moves the staged files into the roots (see the module docs for the order).
    pub(super) fn commit(
        &mut self,
        stale: &[(Root, String)],
        manifest_changed: bool,
    ) -> Result<(), BuildError> {
        let config = self.site.config();
        let failed = |rootdir: &RootDir, e: io::Error| {
            BuildError::io(format!(
                "{}: moving the staged tree in failed ({e}); run the build again to finish it",
                rootdir.what()
            ))
        };
        if self.opts.sync {
            // Both roots: the classic flow's tree is all in the TFTP root.
            for rootdir in std::iter::once(&self.http).chain(self.tftp.as_ref()) {
                if let Some(lock) = &rootdir.lock {
                    rustix::fs::syncfs(lock).map_err(|e| failed(rootdir, e.into()))?;
                }
            }
        }
        if let Some(tftp) = &self.tftp {
            let last = written_last(config, Root::Tftp);
            move_children(
                &tftp.stage,
                &tftp.dir,
                last.as_ref().map_or(&[], |l| l),
                &[],
            )
            .map_err(|e| failed(tftp, e))?;
        }
        let http = &self.http;
        let last = written_last(config, Root::Http).unwrap_or_default();
        move_children(
            &http.stage,
            &http.dir,
            &last,
            &[MANIFEST_NAME, PARTIAL_MANIFEST],
        )
        .map_err(|e| failed(http, e))?;
        self.remove_stale(stale)?;
        let http = &self.http;
        if manifest_changed {
            fs::rename(http.stage.join(MANIFEST_NAME), http.dir.join(MANIFEST_NAME))
                .map_err(|e| failed(http, e))?;
        }
        for rootdir in std::iter::once(&self.http).chain(self.tftp.as_ref()) {
            let _ = fs::remove_dir_all(&rootdir.stage);
            for leftover in &rootdir.leftovers {
                let _ = fs::remove_dir_all(leftover);
            }
        }
        Ok(())
    }
}
