//! Writing a site's boot tree into its HTTP root (and TFTP root): staged, then swapped in.
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

use crate::commands::build::Links;
use crate::sources::{SourceState, Sources};
use embedded_io::Write as _;
use embedded_io_adapters::std::FromStd;
use indicatif::ProgressBar;
use ipxegen_core::manifest::{Digested, HashingWriter, Item, MANIFEST_NAME, ManifestWriter};
use ipxegen_core::tree::{Entry, EntryKind, Root, Script, walk_tree, write_script};
use ipxegen_core::{Error, ErrorKind, Site};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write as _};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// Prefix of staging directories inside a root.
pub const STAGING_PREFIX: &str = ".ipxegen-staging-";
/// The staged manifest while it is being written (renamed to [`MANIFEST_NAME`] in the
/// staging directory once complete: only a complete one marks a staging directory whose
/// commit may have started).
const PARTIAL_MANIFEST: &str = "ipxegen-manifest.json.partial";

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

/// The name of a root in messages and output.
pub fn root_name(root: Root) -> &'static str {
    match root {
        Root::Http => "http",
        Root::Tftp => "tftp",
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
    /// Where loaders are copied from.
    pub loaders: PathBuf,
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

/// One root being built.
struct RootDir {
    root: Root,
    dir: PathBuf,
    stage: PathBuf,
    exists: bool,
    created: bool,
    lock: Option<File>,
    leftovers: Vec<PathBuf>,
}

impl RootDir {
    fn new(root: Root, dir: PathBuf) -> Self {
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

    fn what(&self) -> String {
        format!("{} root {}", root_name(self.root), self.dir.display())
    }

    /// Creates (unless dry), locks and inspects the root; creates the staging directory.
    fn open(&mut self, dry_run: bool) -> Result<(), BuildError> {
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
    fn abandon(&self) {
        if self.lock.is_some() {
            let _ = fs::remove_dir_all(&self.stage);
        }
        if self.created {
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// State of a directory of the tree met during the walk.
#[derive(Clone, Debug, Default)]
struct Dir {
    path: String,
    /// It exists in the root.
    exists: bool,
    /// It exists in the staging directory.
    staged: bool,
}

/// The config of the node last visited: its content, digest and whether it was staged.
struct LastConfig {
    node: Option<usize>,
    path: String,
    bytes: Vec<u8>,
    digest: Digested,
    staged: bool,
}

/// The manifest being staged: written to a file (unless dry) and hashed.
struct ManifestOut {
    file: Option<BufWriter<File>>,
    hash: HashingWriter,
    error: Option<io::Error>,
}

impl embedded_io::ErrorType for ManifestOut {
    type Error = embedded_io::ErrorKind;
}

impl embedded_io::Write for ManifestOut {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if let Some(file) = &mut self.file
            && let Err(e) = file.write_all(buf)
        {
            self.error = Some(e);
            return Err(embedded_io::ErrorKind::Other);
        }
        let _ = self.hash.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
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

/// A path a manifest may list: relative, `/`-separated, no empty, `.` or `..` segment,
/// not in a staging directory.
fn is_tree_path(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\0'))
        && !path.starts_with(STAGING_PREFIX)
}

/// Calls `each` for every entry (root, path) of the manifest at `path`. Relies on the
/// core's manifest layout: a header line, then one entry object per line.
///
/// # Errors
/// The manifest exists but cannot be read, or is not an ipxegen manifest.
fn read_manifest(path: &Path, mut each: impl FnMut(Root, &str)) -> io::Result<bool> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut lines = BufReader::new(file).lines();
    let header = lines.next().transpose()?.unwrap_or_default();
    if !header.starts_with("{\"schema\": 1, \"generator\": \"ipxegen\"") {
        return Err(io::Error::other("not an ipxegen manifest"));
    }
    for line in lines {
        let line = line?;
        let line = line.trim().trim_end_matches(',');
        if !(line.starts_with('{') && line.ends_with('}')) {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(io::Error::other)?;
        let root = match value.get("root").and_then(|r| r.as_str()) {
            Some("http") => Root::Http,
            Some("tftp") => Root::Tftp,
            _ => continue,
        };
        if let Some(p) = value.get("path").and_then(|p| p.as_str()) {
            each(root, p);
        }
    }
    Ok(true)
}

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

/// The tree writer of one build.
struct Builder<'s, 'o, 'c> {
    site: &'s Site<'s>,
    opts: &'o Options,
    sources: &'o mut Sources,
    http: RootDir,
    tftp: Option<RootDir>,
    /// Fingerprints of every path (directories too) this build makes.
    made: HashSet<u64>,
    per_mac: Dir,
    node_dir: Dir,
    last_config: Option<LastConfig>,
    buf: Vec<u8>,
    existing: Vec<u8>,
    summary: Summary,
    by_hand_index: HashMap<PathBuf, usize>,
    on_change: &'c mut dyn FnMut(Action, Root, &str),
}

impl Builder<'_, '_, '_> {
    fn root(&self, root: Root) -> Result<&RootDir, BuildError> {
        match root {
            Root::Http => Ok(&self.http),
            Root::Tftp => self
                .tftp
                .as_ref()
                .ok_or_else(|| BuildError::io("the site has no tftp_root".into())),
        }
    }

    fn dir_of(&self, root: Root, path: &str) -> Option<&Dir> {
        let (parent, _) = path.rsplit_once('/')?;
        if root != Root::Http {
            return None;
        }
        [&self.per_mac, &self.node_dir]
            .into_iter()
            .find(|d| d.path == parent)
    }

    fn dir_of_mut(&mut self, path: &str) -> Option<&mut Dir> {
        let (parent, _) = path.rsplit_once('/')?;
        if self.per_mac.path == parent {
            Some(&mut self.per_mac)
        } else if self.node_dir.path == parent {
            Some(&mut self.node_dir)
        } else {
            None
        }
    }

    /// Whether the parent directory of `path` exists in the root.
    fn parent_exists(&self, root: Root, path: &str) -> Result<bool, BuildError> {
        if !path.contains('/') {
            return Ok(self.root(root)?.exists);
        }
        self.dir_of(root, path)
            .map(|d| d.exists)
            .ok_or_else(|| BuildError::io(format!("{path}: directory not visited first")))
    }

    /// The staged path of `path`, its parent directory created in the staging directory.
    fn staged_path(
        &mut self,
        root: Root,
        path: &str,
        node: Option<usize>,
    ) -> Result<PathBuf, BuildError> {
        let stage = self.root(root)?.stage.clone();
        if let Some(dir) = self.dir_of_mut(path)
            && !dir.staged
        {
            let staged_dir = stage.join(&dir.path);
            fs::create_dir(&staged_dir).map_err(|e| BuildError {
                code: crate::failure::EX_IOERR,
                message: format!("cannot create {}: {e}", staged_dir.display()),
                node,
            })?;
            dir.staged = true;
        }
        Ok(stage.join(path))
    }

    fn write_error(&self, entry: &Entry<'_>, target: &Path, e: &io::Error) -> BuildError {
        let root = self.root(entry.root).map(RootDir::what).unwrap_or_default();
        BuildError {
            code: crate::failure::EX_IOERR,
            message: format!(
                "{}: cannot write {}: {e}; {root} was left as it was",
                entry.path,
                target.display()
            ),
            node: entry.node,
        }
    }

    fn changed(&mut self, action: Option<Action>, root: Root, path: &str) {
        match action {
            None => self.summary.unchanged += 1,
            Some(a) => {
                match a {
                    Action::Create => self.summary.created += 1,
                    Action::Update => self.summary.updated += 1,
                    Action::Remove => self.summary.removed += 1,
                }
                (self.on_change)(a, root, path);
            }
        }
    }

    /// What is at `path` in the root now, or `None`; refuses a directory.
    fn existing(&self, entry: &Entry<'_>) -> Result<Option<fs::Metadata>, BuildError> {
        if !self.parent_exists(entry.root, entry.path)? {
            return Ok(None);
        }
        let target = self.root(entry.root)?.dir.join(entry.path);
        match fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() => Err(BuildError {
                code: crate::failure::EX_IOERR,
                message: format!(
                    "{}: is a directory where ipxegen writes a file; remove it first",
                    target.display()
                ),
                node: entry.node,
            }),
            Ok(m) => Ok(Some(m)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.write_error(entry, &target, &e)),
        }
    }

    /// Places `self.buf` at the entry's path (unless it already holds it).
    fn place_bytes(
        &mut self,
        entry: &Entry<'_>,
        bytes: &[u8],
    ) -> Result<Option<Action>, BuildError> {
        let action = match self.existing(entry)? {
            None => Some(Action::Create),
            Some(m) if m.is_file() && m.len() == u64::try_from(bytes.len()).unwrap_or(0) => {
                let target = self.root(entry.root)?.dir.join(entry.path);
                self.existing.clear();
                let same = File::open(&target)
                    .and_then(|mut f| f.read_to_end(&mut self.existing))
                    .is_ok_and(|_| self.existing == bytes);
                (!same).then_some(Action::Update)
            }
            Some(_) => Some(Action::Update),
        };
        if action.is_some() {
            self.stage_bytes(entry, bytes)?;
        }
        Ok(action)
    }

    fn stage_bytes(&mut self, entry: &Entry<'_>, bytes: &[u8]) -> Result<(), BuildError> {
        if self.opts.dry_run {
            return Ok(());
        }
        let staged = self.staged_path(entry.root, entry.path, entry.node)?;
        File::create_new(&staged)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| self.write_error(entry, &staged, &e))
    }

    fn render(&mut self, script: Script<'_>) -> Result<Digested, BuildError> {
        self.buf.clear();
        let mut out = FromStd::new(&mut self.buf);
        write_script(self.site, script, &mut out)
            .map_err(|e| BuildError::io(format!("cannot render a script: {e}")))?;
        let mut hasher = HashingWriter::new();
        let _ = hasher.write_all(&self.buf);
        Ok(hasher.finish())
    }

    /// Handles one entry; gives the digest the manifest lists (none: place by hand).
    fn visit(&mut self, entry: &Entry<'_>) -> Result<Option<Digested>, BuildError> {
        self.made.insert(fingerprint(entry.root, entry.path));
        match entry.kind {
            EntryKind::Directory => {
                self.directory(entry)?;
                Ok(None)
            }
            EntryKind::Script(script) => {
                let digest = self.render(script)?;
                let bytes = std::mem::take(&mut self.buf);
                let action = self.place_bytes(entry, &bytes);
                self.buf = bytes;
                let action = action?;
                self.changed(action, entry.root, entry.path);
                if let Script::Node(_) = script {
                    let mut last = self.last_config.take().map(|l| l.bytes).unwrap_or_default();
                    last.clear();
                    last.extend_from_slice(&self.buf);
                    self.last_config = Some(LastConfig {
                        node: entry.node,
                        path: entry.path.to_owned(),
                        bytes: last,
                        digest,
                        staged: action.is_some(),
                    });
                }
                Ok(Some(digest))
            }
            EntryKind::PerMac { target, script } => self.per_mac(entry, target, script).map(Some),
            EntryKind::File { source } => {
                self.place_file(entry, Path::new(&source.to_string()), false)
            }
            EntryKind::Loader { name } => {
                let source = self.opts.loaders.join(name.as_str());
                self.place_file(entry, &source, true)
            }
        }
    }

    fn directory(&mut self, entry: &Entry<'_>) -> Result<(), BuildError> {
        if entry.node.is_some() {
            self.opts.progress.inc(1);
        }
        let rootdir = self.root(entry.root)?;
        let target = rootdir.dir.join(entry.path);
        let exists = if rootdir.exists {
            match fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => true,
                Ok(m) => {
                    let what = if m.file_type().is_symlink() {
                        "a symbolic link (it could lead outside the root)"
                    } else {
                        "not a directory"
                    };
                    return Err(BuildError {
                        code: crate::failure::EX_IOERR,
                        message: format!(
                            "{}: is {what}; refusing to write through it, nothing was changed",
                            target.display()
                        ),
                        node: entry.node,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => false,
                Err(e) => return Err(self.write_error(entry, &target, &e)),
            }
        } else {
            false
        };
        let dir = Dir {
            path: entry.path.to_owned(),
            exists,
            staged: false,
        };
        if entry.path == self.site.config().per_mac_dir.as_str() && entry.node.is_none() {
            self.per_mac = dir;
        } else {
            self.node_dir = dir;
        }
        // A directory the root lacks is made in the staging directory now, so that it
        // moves in whole (with its files) in one rename.
        if !exists && !self.opts.dry_run {
            self.staged_path(entry.root, &format!("{}/x", entry.path), entry.node)?;
        }
        Ok(())
    }

    fn per_mac(
        &mut self,
        entry: &Entry<'_>,
        target: &str,
        script: Script<'_>,
    ) -> Result<Digested, BuildError> {
        let fresh = self
            .last_config
            .as_ref()
            .is_some_and(|l| l.node == entry.node);
        if !fresh {
            let digest = self.render(script)?;
            self.last_config = Some(LastConfig {
                node: entry.node,
                path: String::new(),
                bytes: self.buf.clone(),
                digest,
                staged: false,
            });
        }
        let last = self
            .last_config
            .take()
            .ok_or_else(|| BuildError::io("no config rendered".into()))?;
        let result = self.place_per_mac(entry, target, &last);
        let digest = last.digest;
        self.last_config = Some(last);
        let action = result?;
        self.changed(action, entry.root, entry.path);
        Ok(digest)
    }

    fn place_per_mac(
        &mut self,
        entry: &Entry<'_>,
        target: &str,
        last: &LastConfig,
    ) -> Result<Option<Action>, BuildError> {
        match self.opts.links {
            Links::Copy => {
                // A hard link (from --links hardlink) is not a copy: replace it.
                if self.existing(entry)?.is_some_and(|m| m.nlink() > 1) {
                    self.stage_bytes(entry, &last.bytes)?;
                    return Ok(Some(Action::Update));
                }
                self.place_bytes(entry, &last.bytes)
            }
            Links::Symlink => {
                let action = match self.existing(entry)? {
                    None => Some(Action::Create),
                    Some(m) if m.file_type().is_symlink() => {
                        let root = self.root(entry.root)?.dir.join(entry.path);
                        let same = fs::read_link(&root).is_ok_and(|t| t == Path::new(target));
                        (!same).then_some(Action::Update)
                    }
                    Some(_) => Some(Action::Update),
                };
                if action.is_some() && !self.opts.dry_run {
                    let staged = self.staged_path(entry.root, entry.path, entry.node)?;
                    symlink(target, &staged).map_err(|e| self.write_error(entry, &staged, &e))?;
                }
                Ok(action)
            }
            Links::Hardlink => {
                let rootdir = self.root(entry.root)?;
                let config = if last.staged {
                    rootdir.stage.join(&last.path)
                } else {
                    rootdir.dir.join(&last.path)
                };
                let action = match self.existing(entry)? {
                    None => Some(Action::Create),
                    Some(_) if last.staged || last.path.is_empty() => Some(Action::Update),
                    Some(m) => {
                        let same = fs::metadata(&config)
                            .is_ok_and(|c| (c.dev(), c.ino()) == (m.dev(), m.ino()));
                        (!same).then_some(Action::Update)
                    }
                };
                if action.is_some() && !self.opts.dry_run {
                    let staged = self.staged_path(entry.root, entry.path, entry.node)?;
                    if last.path.is_empty() {
                        File::create_new(&staged).and_then(|mut f| f.write_all(&last.bytes))
                    } else {
                        fs::hard_link(&config, &staged)
                    }
                    .map_err(|e| self.write_error(entry, &staged, &e))?;
                }
                Ok(action)
            }
        }
    }

    /// Places a local file (a kernel, ramdisk or ISO; or a loader).
    fn place_file(
        &mut self,
        entry: &Entry<'_>,
        source: &Path,
        loader: bool,
    ) -> Result<Option<Digested>, BuildError> {
        let ready = match self.sources.state(source) {
            SourceState::Ready(r) => r.clone(),
            SourceState::Unreadable(why) => {
                let why = why.clone();
                let resolved = self.sources.resolve(source);
                self.place_by_hand(entry, resolved, why, loader);
                return Ok(None);
            }
        };
        let digest = self.sources.digest(source).map_err(|e| BuildError {
            code: crate::failure::EX_NOINPUT,
            message: format!("{}: cannot read {}: {e}", entry.path, ready.path.display()),
            node: entry.node,
        })?;
        let link = self.opts.links == Links::Hardlink && !loader;
        let action = match self.existing(entry)? {
            None => Some(Action::Create),
            Some(m) if m.is_file() => {
                let same_inode = (m.dev(), m.ino()) == ready.dev_ino;
                let cross_device = m.dev() != ready.dev_ino.0;
                let same_copy = m.len() == ready.len && m.modified().ok() == ready.modified;
                // A copy must not share the source's inode (editing one would change the
                // other); a link must, unless the source is on another filesystem.
                let same = if link && !cross_device {
                    same_inode
                } else {
                    !same_inode && same_copy
                };
                (!same).then_some(Action::Update)
            }
            Some(_) => Some(Action::Update),
        };
        if action.is_some() && !self.opts.dry_run {
            let staged = self.staged_path(entry.root, entry.path, entry.node)?;
            let linked = link && fs::hard_link(&ready.path, &staged).is_ok();
            if !linked {
                copy_file(&ready, &staged).map_err(|e| {
                    let _ = fs::remove_file(&staged);
                    self.write_error(entry, &staged, &e)
                })?;
            }
        }
        self.changed(action, entry.root, entry.path);
        Ok(Some(digest))
    }

    fn place_by_hand(&mut self, entry: &Entry<'_>, source: PathBuf, reason: String, loader: bool) {
        if let Some(item) = self
            .by_hand_index
            .get(&source)
            .and_then(|&i| self.summary.by_hand.get_mut(i))
        {
            item.count += 1;
            return;
        }
        self.by_hand_index
            .insert(source.clone(), self.summary.by_hand.len());
        self.summary.by_hand.push(ByHand {
            source,
            reason,
            first: (entry.root, entry.path.to_owned()),
            count: 1,
            loader,
        });
    }

    /// Stale files: those a previous manifest (the root's, or one a killed build staged)
    /// lists and this build does not make.
    fn stale(&self) -> Result<Vec<(Root, String)>, BuildError> {
        let mut manifests = vec![self.http.dir.join(MANIFEST_NAME)];
        for rootdir in std::iter::once(&self.http).chain(self.tftp.as_ref()) {
            manifests.extend(rootdir.leftovers.iter().map(|l| l.join(MANIFEST_NAME)));
        }
        let mut seen = HashSet::new();
        let mut stale = Vec::new();
        for manifest in manifests {
            let read = read_manifest(&manifest, |root, path| {
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
    fn remove_stale(&mut self, stale: &[(Root, String)]) -> Result<(), BuildError> {
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

    /// Moves the staged files into the roots (see the module docs for the order).
    fn commit(
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
        if self.opts.sync
            && let Some(lock) = &self.http.lock
        {
            rustix::fs::syncfs(lock).map_err(|e| failed(&self.http, e.into()))?;
        }
        if let Some(tftp) = &self.tftp {
            move_children(&tftp.stage, &tftp.dir, &[], &[]).map_err(|e| failed(tftp, e))?;
        }
        let http = &self.http;
        let last = [config.per_mac_dir.as_str(), config.boot_script.as_str()];
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

/// Copies a source into the staging directory: mode 0644, the source's mtime.
fn copy_file(source: &crate::sources::Readable, to: &Path) -> io::Result<()> {
    fs::copy(&source.path, to)?;
    let file = File::options().write(true).open(to)?;
    file.set_permissions(fs::Permissions::from_mode(0o644))?;
    if let Some(modified) = source.modified {
        file.set_modified(modified)?;
    }
    Ok(())
}

/// Builds `site`'s tree as `opts` says; calls `on_change` for each file created, updated or
/// removed (dry: that would be).
///
/// # Errors
/// The first failure; the roots are then as they were (see the module docs).
pub fn build_tree(
    site: &Site<'_>,
    sources: &mut Sources,
    opts: &Options,
    on_change: &mut dyn FnMut(Action, Root, &str),
) -> Result<Summary, BuildError> {
    let mut builder = Builder {
        site,
        opts,
        sources,
        http: RootDir::new(Root::Http, opts.http_root.clone()),
        tftp: opts
            .tftp_root
            .clone()
            .map(|dir| RootDir::new(Root::Tftp, dir)),
        made: HashSet::new(),
        per_mac: Dir::default(),
        node_dir: Dir::default(),
        last_config: None,
        buf: Vec::with_capacity(4096),
        existing: Vec::with_capacity(4096),
        summary: Summary::default(),
        by_hand_index: HashMap::new(),
        on_change,
    };
    let result = run(&mut builder);
    if result.is_err() && !opts.dry_run {
        builder.http.abandon();
        if let Some(tftp) = &builder.tftp {
            tftp.abandon();
        }
    }
    result.map(|()| builder.summary)
}

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
    let mut failure: Option<BuildError> = None;
    let site = b.site;
    let links = b.opts.links;
    let walked = ManifestWriter::begin(site, &mut out).and_then(|mut manifest| {
        walk_tree(site, |entry| {
            let digest = match b.visit(entry) {
                Ok(d) => d,
                Err(e) => {
                    failure = Some(e);
                    return Err(Error::new(ErrorKind::Internal));
                }
            };
            match Item::of_entry(entry, links == Links::Symlink, digest) {
                Some(item) => manifest.item(&item),
                None => Ok(()),
            }
        })?;
        manifest.finish()
    });
    if let Some(f) = failure {
        return Err(f);
    }
    if let Err(e) = walked {
        let message = match out.error.take() {
            Some(io) => format!("cannot write {}: {io}", partial.display()),
            None => format!("cannot build the tree: {e}"),
        };
        return Err(BuildError::io(message));
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
