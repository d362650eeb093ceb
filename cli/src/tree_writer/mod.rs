//! Writing a site's boot tree into its HTTP root (and TFTP root): staged, then swapped in.
//!
//! One module per concern: [`root`] (each root: create, lock, leftovers of killed builds),
//! [`stage`] (the entries of the tree, written into the staging directory), [`commit`] (the
//! renames), [`stale`] (removing what an earlier build made and this one does not).
//!
//! # Design: stage every file, then rename each into place
//!
//! A build has two phases.
//!
//! 1. **Stage.** Every file that is new or differs from what the root holds is written into
//!    a staging directory *inside* its root (`<root>/.ipxegen-staging-<pid>/`, so it is on
//!    the same filesystem and every rename below is atomic), with the same relative path.
//!    Files that are already right are not touched (scripts are compared byte for byte;
//!    copied kernels and loaders by size and modification time, which a copy keeps, like
//!    rsync's quick check; hard links by inode), so their mtime does not change. The new
//!    manifest is staged last. Everything that can fail (reading a source, disk full, a root
//!    that is not writable, a symbolic link where a directory belongs) fails here, and then
//!    the staging directory is removed and the served tree has not changed at all.
//! 2. **Commit.** Only renames: each staged file or new directory is renamed over its
//!    target, dependencies first (node directories and files, then the per-MAC entries
//!    that point at them, then the main script), then the files that the *previous*
//!    manifest lists and this build no longer makes are removed (per-MAC entries first),
//!    and the manifest is renamed into place last. A new node's whole directory moves in
//!    one rename.
//!
//! Why not swap the whole root directory: an HTTP root is often shared (the operator's own
//! files, other tools' files) and such files must be kept, not copied into a new tree while
//! someone may be writing them; the root may be a mount point, which cannot be renamed;
//! and its parent may not be writable. Per-file renames work in all these cases.
//!
//! What a reader sees: every path always holds a whole file, old or new, never a partial
//! one. A build that fails or is killed while staging leaves the previous tree exactly as
//! it was. A build killed during the commit (a few renames per changed node) leaves a mix
//! of whole old and whole new files; the manifest is then still the old one (it moves last)
//! and the staging directory still holds the new one, so the next build finishes the job:
//! it takes the files listed in both manifests as its own (to remove what neither site
//! makes any more) and deletes the leftover staging directory. Two builds of one root at
//! once are refused (an exclusive `flock` on the root directory).
//!
//! What it removes: only files a previous manifest of this root lists (ipxegen made them),
//! and then the directories of those files if they are empty and no longer part of the
//! tree. It never follows a symbolic link inside a root: a directory of the tree that is a
//! link (which could lead outside the root) stops the build with an error.

mod commit;
mod root;
mod stage;
mod stale;

use crate::sources::Sources;
use indicatif::ProgressBar;
use ipxegen_core::CheckedSite;
use ipxegen_core::manifest::{HashingWriter, Item, MANIFEST_NAME, ManifestWriter};
use ipxegen_core::tree::{Root, Tree};
use stage::{Builder, ManifestOut};
use std::collections::hash_map::DefaultHasher;
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;

/// Prefix of staging directories inside a root.
pub const STAGING_PREFIX: &str = ".ipxegen-staging-";
/// The staged manifest while it is being written (renamed to [`MANIFEST_NAME`] in the
/// staging directory once complete: only a complete one marks a staging directory whose
/// commit may have started).
const PARTIAL_MANIFEST: &str = "ipxegen-manifest.json.partial";

/// How per-MAC entries (and placed files) are made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Links {
    /// Per-MAC entries are relative symbolic links to `../<id>/config` (Ironic's layout);
    /// kernels, ramdisks and ISOs are copied.
    #[default]
    Symlink,
    /// Per-MAC entries are copies of the config; files are copied (for servers that do not
    /// follow links, or trees synced to object stores).
    Copy,
    /// Per-MAC entries are hard links to `<id>/config`; kernels, ramdisks and ISOs are hard
    /// links to their sources when on the same filesystem (copied otherwise).
    Hardlink,
}

impl Links {
    /// Its name, as `--links` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Links::Symlink => "symlink",
            Links::Copy => "copy",
            Links::Hardlink => "hardlink",
        }
    }
}

/// What a build does to one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A file that was not there.
    Create,
    /// A file whose content changes.
    Update,
    /// A file an earlier build made that the site no longer has.
    Remove,
}

impl Action {
    /// The word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Remove => "remove",
        }
    }
}

/// How and where to build.
pub struct Options {
    /// The HTTP root.
    pub http_root: PathBuf,
    /// The TFTP root, if the site has one.
    pub tftp_root: Option<PathBuf>,
    /// How per-MAC entries and placed files are made.
    pub links: Links,
    /// Where loaders are copied from: directories searched in order (see
    /// `Builder::loader_source`).
    pub loaders: Vec<PathBuf>,
    /// Only report what would change.
    pub dry_run: bool,
    /// Flush the staged files to disk (`syncfs`) before the first rename, so that a power
    /// cut after a rename cannot leave an empty file at a served path.
    pub sync: bool,
    /// Ticked once per node.
    pub progress: ProgressBar,
}

/// A file that could not be placed and must be placed by hand.
#[derive(Clone, Debug)]
pub struct ByHand {
    /// Where it should come from.
    pub source: PathBuf,
    /// Why it was not placed.
    pub reason: String,
    /// The first path (root and path inside it) that needs it.
    pub first: (Root, String),
    /// How many paths need it.
    pub count: u64,
    /// It is an iPXE loader (missing from the loader directory).
    pub loader: bool,
}

/// What a build did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Summary {
    /// Files created.
    pub created: u64,
    /// Files whose content changed.
    pub updated: u64,
    /// Files already right.
    pub unchanged: u64,
    /// Files removed.
    pub removed: u64,
    /// Files to place by hand, one per source.
    pub by_hand: Vec<ByHand>,
}

/// A failed build: exit code, message, and the node it concerns.
#[derive(Debug)]
pub struct BuildError {
    /// sysexits code.
    pub code: u8,
    /// What failed (paths included).
    pub message: String,
    /// Index of the node concerned.
    pub node: Option<usize>,
}

impl BuildError {
    fn io(message: String) -> Self {
        BuildError {
            code: crate::failure::EX_IOERR,
            message,
            node: None,
        }
    }
}

/// Builds `site`'s tree as `opts` says; calls `on_change` for each file created, updated or
/// removed (dry: that would be).
///
/// # Errors
/// The first failure; the roots are then as they were (see the module docs).
pub fn build_tree(
    site: &CheckedSite<'_>,
    sources: &mut Sources,
    opts: &Options,
    on_change: &mut dyn FnMut(Action, Root, &str),
) -> Result<Summary, BuildError> {
    let mut builder = Builder::new(site, sources, opts, on_change);
    let result = run(&mut builder);
    if result.is_err() && !opts.dry_run {
        builder.http.abandon();
        if let Some(tftp) = &builder.tftp {
            tftp.abandon();
        }
    }
    result.map(|()| builder.summary)
}

/// Stages every entry and the manifest, then commits (or, dry, reports).
fn run(b: &mut Builder<'_, '_, '_>) -> Result<(), BuildError> {
    b.http.open(b.opts.dry_run)?;
    if let Some(tftp) = &mut b.tftp {
        tftp.open(b.opts.dry_run)?;
    }
    let partial = b.http.stage.join(PARTIAL_MANIFEST);
    let file = if b.opts.dry_run {
        None
    } else {
        let f = File::create_new(&partial)
            .map_err(|e| BuildError::io(format!("cannot write {}: {e}", partial.display())))?;
        Some(BufWriter::with_capacity(64 * 1024, f))
    };
    let mut out = ManifestOut {
        file,
        hash: HashingWriter::new(),
        error: None,
    };
    let manifest_failed = |out: &mut ManifestOut, e: ipxegen_core::Error| {
        BuildError::io(match out.error.take() {
            Some(io) => format!("cannot write {}: {io}", partial.display()),
            None => format!("cannot build the tree: {e}"),
        })
    };
    let site = b.site;
    let symlinks = b.opts.links == Links::Symlink;
    let mut manifest = match ManifestWriter::begin(site.config(), &mut out) {
        Ok(manifest) => manifest,
        Err(e) => return Err(manifest_failed(&mut out, e)),
    };
    let mut tree = Tree::new(site);
    let mut written = Ok(());
    while let Some(entry) = tree.next_entry() {
        let entry = entry.map_err(|e| BuildError::io(format!("cannot build the tree: {e}")))?;
        let digest = b.visit(&entry)?;
        if let Some(item) = Item::of_entry(&entry, symlinks, digest) {
            written = manifest.item(&item);
            if written.is_err() {
                break;
            }
        }
    }
    let written = written.and_then(|()| manifest.finish());
    if let Err(e) = written {
        return Err(manifest_failed(&mut out, e));
    }
    b.opts.progress.finish_and_clear();
    let new_digest = out.hash.clone().finish();
    if let Some(mut file) = out.file.take() {
        file.flush()
            .and_then(|()| fs::rename(&partial, b.http.stage.join(MANIFEST_NAME)))
            .map_err(|e| BuildError::io(format!("cannot write {}: {e}", partial.display())))?;
    }
    b.made.insert(fingerprint(Root::Http, MANIFEST_NAME));
    let current = b.http.dir.join(MANIFEST_NAME);
    let manifest_changed = match crate::sources::hash_file(&current) {
        Ok(old) => old != new_digest,
        Err(_) => true,
    };
    let manifest_action = match (manifest_changed, b.http.exists && current.exists()) {
        (false, _) => None,
        (true, true) => Some(Action::Update),
        (true, false) => Some(Action::Create),
    };
    let stale = b.stale()?;
    if b.opts.dry_run {
        b.remove_stale(&stale)?;
    } else {
        b.commit(&stale, manifest_changed)?;
    }
    b.changed(manifest_action, Root::Http, MANIFEST_NAME);
    Ok(())
}

/// A fingerprint of a path of the tree (root included), to know which paths this build
/// makes. A collision can only make a stale file look current, so it is kept, never a
/// current file removed.
fn fingerprint(root: Root, path: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (root == Root::Http).hash(&mut h);
    path.hash(&mut h);
    h.finish()
}
