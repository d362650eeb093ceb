//! Staging: each entry of the tree that is new or differs from what the root holds is
//! written into the root's staging directory; what is already right is left alone.

use super::root::RootDir;
use super::{Action, BuildError, ByHand, Links, Options, Summary, fingerprint};
use crate::sources::{Readable, SourceState, Sources};
use ipxegen_core::CheckedSite;
use ipxegen_core::limits::SCRIPT_MAX;
use ipxegen_core::manifest::{Digested, HashingWriter};
use ipxegen_core::tree::{Entry, EntryKind, Root, ScriptCache};
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write as _};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// State of a directory of the tree met during the walk.
#[derive(Clone, Debug, Default)]
pub(super) struct Dir {
    path: String,
    /// It exists in the root.
    exists: bool,
    /// It exists in the staging directory.
    staged: bool,
}

/// The config of the node last visited (its per-MAC entries follow it): where it is and
/// whether it was staged, for hard links to it.
struct LastConfig {
    node: Option<usize>,
    path: String,
    staged: bool,
}

/// The manifest being staged: written to a file (unless dry) and hashed.
pub(super) struct ManifestOut {
    pub(super) file: Option<BufWriter<File>>,
    pub(super) hash: HashingWriter,
    pub(super) error: Option<io::Error>,
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

/// The tree writer of one build.
pub(super) struct Builder<'s, 'o, 'c> {
    pub(super) site: &'s CheckedSite<'s>,
    pub(super) opts: &'o Options,
    pub(super) sources: &'o mut Sources,
    pub(super) http: RootDir,
    pub(super) tftp: Option<RootDir>,
    /// Fingerprints of every path (directories too) this build makes.
    pub(super) made: HashSet<u64>,
    /// The site's own directories met so far (the per-MAC directory; in the classic flow also
    /// GRUB's), each with its root: the walk keeps adding entries to them.
    site_dirs: Vec<(Root, Dir)>,
    /// The directory of the node being visited, with its root.
    node_dir: (Root, Dir),
    last_config: Option<LastConfig>,
    /// Renders each script once (a node's per-MAC entries reuse its config); `None` only
    /// while an entry holds it.
    scripts: Option<ScriptCache<Vec<u8>>>,
    existing: Vec<u8>,
    pub(super) summary: Summary,
    by_hand_index: HashMap<PathBuf, usize>,
    on_change: &'c mut dyn FnMut(Action, Root, &str),
}

impl<'s, 'o, 'c> Builder<'s, 'o, 'c> {
    /// A builder of `site`'s tree as `opts` says.
    pub(super) fn new(
        site: &'s CheckedSite<'s>,
        sources: &'o mut Sources,
        opts: &'o Options,
        on_change: &'c mut dyn FnMut(Action, Root, &str),
    ) -> Self {
        Builder {
            site,
            opts,
            sources,
            http: RootDir::new(Root::Http, opts.http_root.clone()),
            tftp: opts
                .tftp_root
                .clone()
                .map(|dir| RootDir::new(Root::Tftp, dir)),
            made: HashSet::new(),
            site_dirs: Vec::new(),
            node_dir: (Root::Http, Dir::default()),
            last_config: None,
            scripts: Some(ScriptCache::new(vec![0; SCRIPT_MAX], true)),
            existing: Vec::with_capacity(SCRIPT_MAX),
            summary: Summary::default(),
            by_hand_index: HashMap::new(),
            on_change,
        }
    }
}

impl Builder<'_, '_, '_> {
    pub(super) fn root(&self, root: Root) -> Result<&RootDir, BuildError> {
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
        self.site_dirs
            .iter()
            .chain(std::iter::once(&self.node_dir))
            .find(|(r, d)| *r == root && d.path == parent)
            .map(|(_, d)| d)
    }

    fn dir_of_mut(&mut self, root: Root, path: &str) -> Option<&mut Dir> {
        let (parent, _) = path.rsplit_once('/')?;
        self.site_dirs
            .iter_mut()
            .chain(std::iter::once(&mut self.node_dir))
            .find(|(r, d)| *r == root && d.path == parent)
            .map(|(_, d)| d)
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
        if let Some(dir) = self.dir_of_mut(root, path)
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

    pub(super) fn changed(&mut self, action: Option<Action>, root: Root, path: &str) {
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

    /// Handles one entry; gives the digest the manifest lists (none: place by hand).
    pub(super) fn visit(&mut self, entry: &Entry<'_>) -> Result<Option<Digested>, BuildError> {
        self.made.insert(fingerprint(entry.root, entry.path));
        match entry.kind {
            EntryKind::Directory => {
                self.directory(entry)?;
                Ok(None)
            }
            EntryKind::Script(_) | EntryKind::PerMac { .. } => {
                let mut scripts = self
                    .scripts
                    .take()
                    .ok_or_else(|| BuildError::io("internal error: no script cache".into()))?;
                let placed = self.place_script(entry, &mut scripts);
                self.scripts = Some(scripts);
                placed.map(Some)
            }
            EntryKind::File { source } => {
                self.place_file(entry, Path::new(&source.to_string()), false)
            }
            EntryKind::Loader { name } => {
                let source = self.loader_source(name.as_str());
                self.place_file(entry, &source, true)
            }
        }
    }

    /// Places a script entry: a script, or a per-MAC entry standing for its node's config.
    fn place_script(
        &mut self,
        entry: &Entry<'_>,
        scripts: &mut ScriptCache<Vec<u8>>,
    ) -> Result<Digested, BuildError> {
        let rendered = scripts
            .render(self.site.config(), entry)
            .map_err(|e| BuildError::io(format!("cannot render a script: {e}")))?
            .ok_or_else(|| BuildError::io("internal error: not a script entry".into()))?;
        let bytes = rendered.bytes.ok_or_else(|| {
            BuildError::io(format!(
                "{}: script longer than {SCRIPT_MAX} bytes",
                entry.path
            ))
        })?;
        let action = match entry.kind {
            EntryKind::PerMac { target, .. } => self.place_per_mac(entry, target, bytes)?,
            _ => {
                let action = self.place_bytes(entry, bytes)?;
                if entry.node.is_some() {
                    self.last_config = Some(LastConfig {
                        node: entry.node,
                        path: entry.path.to_owned(),
                        staged: action.is_some(),
                    });
                }
                action
            }
        };
        self.changed(action, entry.root, entry.path);
        Ok(rendered.digest)
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
        if entry.node.is_none() {
            self.site_dirs.push((entry.root, dir));
        } else {
            self.node_dir = (entry.root, dir);
        }
        // A directory the root lacks is made in the staging directory now, so that it
        // moves in whole (with its files) in one rename.
        if !exists && !self.opts.dry_run {
            self.staged_path(entry.root, &format!("{}/x", entry.path), entry.node)?;
        }
        Ok(())
    }

    /// Places a per-MAC entry whose config is `bytes`: a link to, or a copy of, the config.
    fn place_per_mac(
        &mut self,
        entry: &Entry<'_>,
        target: &str,
        bytes: &[u8],
    ) -> Result<Option<Action>, BuildError> {
        match self.opts.links {
            Links::Copy => {
                // A hard link (from --links hardlink) is not a copy: replace it.
                if self.existing(entry)?.is_some_and(|m| m.nlink() > 1) {
                    self.stage_bytes(entry, bytes)?;
                    return Ok(Some(Action::Update));
                }
                self.place_bytes(entry, bytes)
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
                // The node's config was placed just before its per-MAC entries.
                let (path, staged) = match &self.last_config {
                    Some(last) if last.node == entry.node => (last.path.clone(), last.staged),
                    _ => (String::new(), false),
                };
                let rootdir = self.root(entry.root)?;
                let config = if staged {
                    rootdir.stage.join(&path)
                } else {
                    rootdir.dir.join(&path)
                };
                let action = match self.existing(entry)? {
                    None => Some(Action::Create),
                    Some(_) if staged || path.is_empty() => Some(Action::Update),
                    Some(m) => {
                        let same = fs::metadata(&config)
                            .is_ok_and(|c| (c.dev(), c.ino()) == (m.dev(), m.ino()));
                        (!same).then_some(Action::Update)
                    }
                };
                if action.is_some() && !self.opts.dry_run {
                    let staged = self.staged_path(entry.root, entry.path, entry.node)?;
                    if path.is_empty() {
                        File::create_new(&staged).and_then(|mut f| f.write_all(bytes))
                    } else {
                        fs::hard_link(&config, &staged)
                    }
                    .map_err(|e| self.write_error(entry, &staged, &e))?;
                }
                Ok(action)
            }
        }
    }

    /// Where the loader `name` comes from: the first of `DIR/NAME` and `DIR/NAME.signed`
    /// (Debian's name for its signed EFI binaries) that is a readable file, for each loader
    /// directory in order; else the first directory's `DIR/NAME`, which the warning names.
    fn loader_source(&mut self, name: &str) -> PathBuf {
        self.sources.find_loader(&self.opts.loaders, name)
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
}

/// Copies a source into the staging directory: mode 0644, the source's mtime.
fn copy_file(source: &Readable, to: &Path) -> io::Result<()> {
    let (mut from, _) = crate::sources::open_regular(&source.path)?;
    let mut file = File::create(to)?;
    io::copy(&mut from, &mut file)?;
    file.set_permissions(fs::Permissions::from_mode(0o644))?;
    if let Some(modified) = source.modified {
        file.set_modified(modified)?;
    }
    Ok(())
}
