//! Stale files: what a previous manifest of the root lists and this build does not make.
//! Only those are ever removed, and then their directories if empty.

use super::stage::Builder;
use super::{Action, BuildError, STAGING_PREFIX, fingerprint};
use ipxegen_core::manifest::{MANIFEST_NAME, ManifestLines};
use ipxegen_core::tree::Root;
use std::collections::HashSet;
use std::fs;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// A path a manifest may list: relative, `/`-separated, no empty, `.` or `..` segment,
/// not in a staging directory.
fn is_tree_path(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\0'))
        && !path.starts_with(STAGING_PREFIX)
}

/// Longest line of a manifest read back (an entry is a few hundred bytes).
const MANIFEST_LINE_MAX: u64 = 64 * 1024;

/// Calls `each` for every entry (root, path) of the manifest at `path`, read a line at a
/// time with the core's manifest reader (so a manifest of any size takes O(1) memory);
/// `false` when there is no manifest.
///
/// # Errors
/// The manifest exists but cannot be read, or is not an ipxegen manifest.
fn read_manifest_file(path: &Path, mut each: impl FnMut(Root, &str)) -> io::Result<bool> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut file = io::BufReader::new(file);
    let mut lines = ManifestLines::new();
    let mut line = Vec::new();
    let bad = |e: ipxegen_core::Error| io::Error::other(format!("not an ipxegen manifest: {e}"));
    loop {
        line.clear();
        let read = (&mut file)
            .take(MANIFEST_LINE_MAX)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let text = match line.strip_suffix(b"\n") {
            Some(text) => text,
            None if u64::try_from(line.len()).is_ok_and(|n| n >= MANIFEST_LINE_MAX) => {
                return Err(io::Error::other(format!(
                    "not an ipxegen manifest: a line longer than {MANIFEST_LINE_MAX} bytes"
                )));
            }
            None => &line,
        };
        if let Some(entry) = lines.line(text).map_err(bad)? {
            each(entry.root, entry.path);
        }
    }
    lines.finish().map_err(bad)?;
    Ok(true)
}

impl Builder<'_, '_, '_> {
    /// Stale files: those a previous manifest (the root's, or one a killed build staged)
    /// lists and this build does not make; per-MAC entries first.
    pub(super) fn stale(&self) -> Result<Vec<(Root, String)>, BuildError> {
        let mut manifests: Vec<std::path::PathBuf> = vec![self.http.dir.join(MANIFEST_NAME)];
        for rootdir in std::iter::once(&self.http).chain(self.tftp.as_ref()) {
            manifests.extend(rootdir.leftovers.iter().map(|l| l.join(MANIFEST_NAME)));
        }
        let mut seen = HashSet::new();
        let mut stale = Vec::new();
        for manifest in manifests {
            let read = read_manifest_file(&manifest, |root, path| {
                let fp = fingerprint(root, path);
                let known_root = root == Root::Http || self.tftp.is_some();
                if known_root && is_tree_path(path) && !self.made.contains(&fp) && seen.insert(fp) {
                    stale.push((root, path.to_owned()));
                }
            });
            if let Err(e) = read {
                return Err(BuildError::io(format!(
                    "{}: cannot read the previous manifest ({e}); move it away to build anew",
                    manifest.display()
                )));
            }
        }
        // Per-MAC entries first: no link is left pointing at a removed config.
        let per_mac = format!("{}/", self.site.config().per_mac_dir.as_str());
        stale.sort_by_key(|(_, p)| !p.starts_with(&per_mac));
        Ok(stale)
    }

    /// Removes (or, dry, reports) stale files, then their directories if empty and no
    /// longer part of the tree.
    pub(super) fn remove_stale(&mut self, stale: &[(Root, String)]) -> Result<(), BuildError> {
        for (root, path) in stale {
            let dir = self.root(*root)?.dir.clone();
            let segments: Vec<&str> = path.split('/').collect();
            let parents = segments.len().saturating_sub(1);
            // Never follow a link: every parent inside the root must be a real directory.
            let mut real = true;
            let mut at = dir.clone();
            for segment in segments.iter().take(parents) {
                at.push(segment);
                real &= fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir());
            }
            let target = dir.join(path);
            let removable = real && fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir());
            if !removable {
                continue;
            }
            if !self.opts.dry_run {
                fs::remove_file(&target).map_err(|e| {
                    BuildError::io(format!("{}: cannot remove it: {e}", target.display()))
                })?;
            }
            self.changed(Some(Action::Remove), *root, path);
            if self.opts.dry_run {
                continue;
            }
            for depth in (1..=parents).rev() {
                let parent = segments.get(..depth).unwrap_or_default().join("/");
                if self.made.contains(&fingerprint(*root, &parent)) {
                    break;
                }
                if fs::remove_dir(dir.join(&parent)).is_err() {
                    break;
                }
            }
        }
        Ok(())
    }
}
