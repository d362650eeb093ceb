//! The boot tree of a site: every file an HTTP root (and a TFTP root) must hold, in a fixed
//! order, as a cursor ([`Tree::next_entry`]) that needs no allocation.
//!
//! The order: the HTTP root's main script, the per-MAC directory, then for each node
//! (document order) its directory, its config, the files to place beside it, and one per-MAC
//! entry per network-boot NIC; finally the loaders (the EFI ones in the HTTP root for UEFI
//! HTTP boot; all of them in the TFTP root when the site has one). Paths are relative to
//! their root, use `/`, and never leave it: every segment is a validated name, node id or
//! MAC.
//!
//! Ironic's layout: `<per_mac_dir>/aa-bb-cc-dd-ee-ff` is a relative link to `../<id>/config`;
//! a front end may write a copy instead (for servers and object stores without links).
//!
//! A node's per-MAC entries come right after its config, so its config is rendered once for
//! all of them: [`ScriptCache`] keeps the last one.
//!
//! A site with `ipxe_enabled` false (the classic flow, [`crate::classic`]) has its whole tree
//! in the TFTP root, in this order: `pxelinux.cfg/`, `pxelinux.cfg/default`, `grub/`,
//! `grub/grub.cfg`; for each node its directory, its PXELINUX config (`<id>/config`), the
//! files to place beside it, one `pxelinux.cfg/01-<mac>` per network-boot NIC (a link to
//! `../<id>/config`), its GRUB config (`<id>/grub.cfg`) and one `grub/grub.cfg-01-<mac>` per
//! network-boot NIC (a link to `../<id>/grub.cfg`); finally the loaders `pxelinux.0`,
//! `ldlinux.c32` and `grubnetx64.efi` (as the site names the first and the last). The HTTP
//! root holds only the manifest.

use crate::classic;
use crate::classic::template::Loader;
use crate::error::{Error, ErrorKind, Result};
use crate::ipxe;
use crate::limits::{NAME_MAX, NODE_ID_MAX};
use crate::manifest::{Digested, HashingWriter};
use crate::model::{LocalPath, Name, Node, SiteConfig, Source};
use crate::output::write_to_slice;
use crate::site::{CheckedSite, Nodes};
use embedded_io::Write;

/// Longest path of an entry (per-MAC dir, `/`, a node id or MAC, `/`, a name).
pub const TREE_PATH_MAX: usize = NAME_MAX + NODE_ID_MAX + NAME_MAX + 2;

// The classic tree's longest path, `grub/grub.cfg-01-<mac>`, fits.
const _: () = assert!("grub/grub.cfg-01-".len() + 17 <= TREE_PATH_MAX);

/// Which root an entry belongs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The HTTP root (`http_root`).
    Http,
    /// The TFTP root (`tftp_root`).
    Tftp,
}

impl Root {
    /// Its name in the manifest and in messages: `http` or `tftp`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Root::Http => "http",
            Root::Tftp => "tftp",
        }
    }
}

/// A script the core writes.
#[derive(Clone, Copy, Debug)]
pub enum Script<'e> {
    /// The main script.
    Main,
    /// A node's config.
    Node(&'e Node<'e>),
    /// The classic flow's `pxelinux.cfg/default` (machines without a config).
    PxelinuxDefault,
    /// A node's PXELINUX config (classic flow).
    PxelinuxNode(&'e Node<'e>),
    /// The classic flow's `grub/grub.cfg` (what GRUB reads first).
    GrubMain,
    /// A node's GRUB config (classic flow).
    GrubNode(&'e Node<'e>),
}

/// Which of the scripts a [`Script`] is, without its node: [`ScriptCache`] tells a node's two
/// classic configs apart by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
    /// [`Script::Main`].
    Main,
    /// [`Script::Node`].
    Node,
    /// [`Script::PxelinuxDefault`].
    PxelinuxDefault,
    /// [`Script::PxelinuxNode`].
    PxelinuxNode,
    /// [`Script::GrubMain`].
    GrubMain,
    /// [`Script::GrubNode`].
    GrubNode,
}

impl Script<'_> {
    /// Which script it is.
    pub const fn kind(&self) -> ScriptKind {
        match self {
            Script::Main => ScriptKind::Main,
            Script::Node(_) => ScriptKind::Node,
            Script::PxelinuxDefault => ScriptKind::PxelinuxDefault,
            Script::PxelinuxNode(_) => ScriptKind::PxelinuxNode,
            Script::GrubMain => ScriptKind::GrubMain,
            Script::GrubNode(_) => ScriptKind::GrubNode,
        }
    }
}

/// What an entry is.
#[derive(Clone, Copy, Debug)]
pub enum EntryKind<'e> {
    /// A directory.
    Directory,
    /// A script written by the core (see [`write_script`]).
    Script(Script<'e>),
    /// The per-MAC entry of a NIC: a relative link to `target` (`../<id>/config`, or in the
    /// classic flow also `../<id>/grub.cfg`), whose content is the same as `script`.
    PerMac {
        /// The link target, relative to the link's directory.
        target: &'e str,
        /// The script it stands for.
        script: Script<'e>,
    },
    /// A local file to place here (kernel, ramdisk, ISO), copied by the front end.
    File {
        /// Where it comes from.
        source: LocalPath<'e>,
    },
    /// A loader (iPXE's `undionly.kpxe`, `snponly.efi`, ...; in the classic flow
    /// `pxelinux.0`, `ldlinux.c32`, `grubnetx64.efi`), copied from a loader directory.
    Loader {
        /// Its file name.
        name: Name<'e>,
    },
}

/// One entry of the tree.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'e> {
    /// Its root.
    pub root: Root,
    /// Its path inside the root (no leading `/`; directories without a trailing `/`).
    pub path: &'e str,
    /// What it is.
    pub kind: EntryKind<'e>,
    /// Index of the node it belongs to in `nodes`, if any.
    pub node: Option<usize>,
}

impl<'e> Entry<'e> {
    /// The script this entry holds (a script, or a per-MAC entry standing for one).
    pub fn script(&self) -> Option<Script<'e>> {
        match self.kind {
            EntryKind::Script(script) | EntryKind::PerMac { script, .. } => Some(script),
            _ => None,
        }
    }
}

type Path = heapless::String<TREE_PATH_MAX>;

fn set_path(path: &mut Path, parts: &[&str]) -> Result<()> {
    path.clear();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            path.push('/')
                .map_err(|_| Error::new(ErrorKind::Internal))?;
        }
        path.push_str(part)
            .map_err(|_| Error::new(ErrorKind::Internal))?;
    }
    Ok(())
}

/// The entry the cursor is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Start,
    MainScript,
    PerMacDir,
    NodeDir,
    NodeConfig,
    /// The node's image `n` (0: kernel or ISO, 1: ramdisk), a file to place.
    NodeFile(u8),
    /// The node's NIC `n`, which network boots.
    PerMac(u8),
    /// Classic flow: `grub/`.
    GrubDir,
    /// Classic flow: `grub/grub.cfg`.
    GrubMain,
    /// Classic flow: `pxelinux.cfg/default`.
    PxelinuxDefault,
    /// Classic flow: the node's GRUB config.
    NodeGrubConfig,
    /// Classic flow: the GRUB per-MAC entry of the node's NIC `n`, which network boots.
    GrubPerMac(u8),
    /// Loader `n` of the HTTP root (the EFI loaders).
    HttpLoader(u8),
    /// Loader `n` of the TFTP root.
    TftpLoader(u8),
    Done,
}

/// The tree of a checked site as a cursor over its entries, in order (see the module docs).
pub struct Tree<'s, 'a> {
    config: &'s SiteConfig<'a>,
    /// The classic flow (`ipxe_enabled` false).
    classic: bool,
    nodes: Nodes<'a, 's>,
    at: At,
    node: Option<(usize, Node<'a>)>,
    path: Path,
    target: Path,
    read: usize,
}

impl<'s, 'a> Tree<'s, 'a> {
    /// The tree of `site`, before its first entry.
    pub fn new(site: &'s CheckedSite<'a>) -> Self {
        Tree {
            config: site.config(),
            classic: !site.config().ipxe_enabled,
            nodes: site.nodes(),
            at: At::Start,
            node: None,
            path: Path::new(),
            target: Path::new(),
            read: 0,
        }
    }

    /// The next entry, or `None` after the last one.
    ///
    /// # Errors
    /// An internal error (a checked site reads without errors); the cursor then ends.
    pub fn next_entry(&mut self) -> Option<Result<Entry<'_>>> {
        match self.advance() {
            Ok(()) if self.at == At::Done => None,
            Ok(()) => Some(self.entry()),
            Err(e) => {
                self.at = At::Done;
                Some(Err(e))
            }
        }
    }

    /// Moves to the next entry that exists.
    fn advance(&mut self) -> Result<()> {
        loop {
            let classic = self.classic;
            let nics = self.nic_count();
            let next = match self.at {
                At::Start if classic => At::PerMacDir,
                At::Start => At::MainScript,
                At::MainScript => At::PerMacDir,
                At::PerMacDir if classic => At::PxelinuxDefault,
                At::PxelinuxDefault => At::GrubDir,
                At::GrubDir => At::GrubMain,
                At::PerMacDir | At::GrubMain => self.next_node()?,
                At::NodeDir => At::NodeConfig,
                At::NodeConfig => At::NodeFile(0),
                At::NodeFile(0) => At::NodeFile(1),
                At::NodeFile(_) => At::PerMac(0),
                At::PerMac(n) if usize::from(n) + 1 < nics => At::PerMac(n + 1),
                At::PerMac(_) if classic => At::NodeGrubConfig,
                At::NodeGrubConfig => At::GrubPerMac(0),
                At::GrubPerMac(n) if usize::from(n) + 1 < nics => At::GrubPerMac(n + 1),
                At::PerMac(_) | At::GrubPerMac(_) => self.next_node()?,
                At::HttpLoader(0) => At::HttpLoader(1),
                At::HttpLoader(_) if self.config.tftp_root.is_some() => At::TftpLoader(0),
                At::TftpLoader(n) if n < 2 => At::TftpLoader(n + 1),
                At::HttpLoader(_) | At::TftpLoader(_) | At::Done => At::Done,
            };
            self.at = next;
            if self.exists()? {
                return Ok(());
            }
        }
    }

    /// Reads the next node: its directory is next, or the loaders after the last node.
    fn next_node(&mut self) -> Result<At> {
        match self.nodes.next() {
            Some(node) => {
                self.node = Some((self.read, node?));
                self.read += 1;
                Ok(At::NodeDir)
            }
            None => {
                self.node = None;
                Ok(if self.classic {
                    At::TftpLoader(0)
                } else {
                    At::HttpLoader(0)
                })
            }
        }
    }

    fn nic_count(&self) -> usize {
        self.node.as_ref().map_or(0, |(_, node)| node.nics.len())
    }

    /// Whether the entry at `self.at` exists; if so, sets its path (and link target).
    fn exists(&mut self) -> Result<bool> {
        let config = self.config;
        let node = self.node.as_ref().map(|(_, node)| node);
        let id = node.map(|n| n.id.as_str());
        match (self.at, node, id) {
            (At::Start | At::Done, _, _) => return Ok(true),
            (At::MainScript, _, _) => set_path(&mut self.path, &[config.boot_script.as_str()]),
            (At::PerMacDir, _, _) => set_path(&mut self.path, &[config.per_mac_dir.as_str()]),
            (At::NodeDir, _, Some(id)) => set_path(&mut self.path, &[id]),
            (At::NodeConfig, _, Some(id)) => {
                let name = classic::NODE_PXELINUX_CONFIG.as_str();
                set_path(&mut self.target, &["..", id, name])?;
                set_path(&mut self.path, &[id, name])
            }
            (At::NodeGrubConfig, _, Some(id)) => {
                let name = classic::NODE_GRUB_CONFIG.as_str();
                set_path(&mut self.target, &["..", id, name])?;
                set_path(&mut self.path, &[id, name])
            }
            (At::PxelinuxDefault, _, _) => set_path(
                &mut self.path,
                &[
                    config.per_mac_dir.as_str(),
                    classic::PXELINUX_DEFAULT.as_str(),
                ],
            ),
            (At::GrubDir, _, _) => set_path(&mut self.path, &[classic::GRUB_DIR.as_str()]),
            (At::GrubMain, _, _) => set_path(
                &mut self.path,
                &[classic::GRUB_DIR.as_str(), classic::GRUB_MAIN.as_str()],
            ),
            (At::NodeFile(n), Some(node), Some(id)) => {
                match node.boot.images().get(usize::from(n)).copied().flatten() {
                    Some(image) if matches!(image.source, Source::File(_)) => {
                        set_path(&mut self.path, &[id, image.name.as_str()])
                    }
                    _ => return Ok(false),
                }
            }
            (At::PerMac(n), Some(node), _) => match node.nics.get(usize::from(n)) {
                Some(nic) if nic.pxe && self.classic => {
                    let name = classic::arp_mac(nic.mac);
                    set_path(
                        &mut self.path,
                        &[config.per_mac_dir.as_str(), name.as_str()],
                    )
                }
                Some(nic) if nic.pxe => {
                    let mac = nic.mac.hexhyp();
                    set_path(&mut self.path, &[config.per_mac_dir.as_str(), mac.as_str()])
                }
                _ => return Ok(false),
            },
            (At::GrubPerMac(n), Some(node), _) => match node.nics.get(usize::from(n)) {
                Some(nic) if nic.pxe => {
                    let name = classic::grub_per_mac(nic.mac);
                    set_path(&mut self.path, &[classic::GRUB_DIR.as_str(), name.as_str()])
                }
                _ => return Ok(false),
            },
            (At::HttpLoader(_) | At::TftpLoader(_), _, _) => match self.loader() {
                Some(name) => set_path(&mut self.path, &[name.as_str()]),
                None => return Ok(false),
            },
            (
                At::NodeDir
                | At::NodeConfig
                | At::NodeGrubConfig
                | At::NodeFile(_)
                | At::PerMac(_)
                | At::GrubPerMac(_),
                _,
                _,
            ) => Err(internal()),
        }?;
        Ok(true)
    }

    /// The loader at `self.at`.
    fn loader(&self) -> Option<Name<'a>> {
        let c = self.config;
        if self.classic {
            return match self.at {
                At::TftpLoader(0) => Some(c.pxe_bootfile),
                At::TftpLoader(1) => Some(classic::LDLINUX),
                At::TftpLoader(2) => Some(c.uefi_x64_bootfile),
                _ => None,
            };
        }
        match self.at {
            At::HttpLoader(0) | At::TftpLoader(1) => Some(c.uefi_x64_bootfile),
            At::HttpLoader(1) | At::TftpLoader(2) => Some(c.uefi_arm64_bootfile),
            At::TftpLoader(0) => Some(c.pxe_bootfile),
            _ => None,
        }
    }

    /// The entry at `self.at` (which exists).
    fn entry(&self) -> Result<Entry<'_>> {
        let node = self.node.as_ref();
        let index = node.map(|(i, _)| *i);
        let classic = self.classic;
        // The root of the node directories and the per-MAC entries.
        let tree = if classic { Root::Tftp } else { Root::Http };
        let script = || {
            node.map(|(_, n)| {
                if classic {
                    Script::PxelinuxNode(n)
                } else {
                    Script::Node(n)
                }
            })
            .ok_or_else(internal)
        };
        let grub = || node.map(|(_, n)| Script::GrubNode(n)).ok_or_else(internal);
        let (root, kind, index) = match self.at {
            At::MainScript => (Root::Http, EntryKind::Script(Script::Main), None),
            At::PerMacDir => (tree, EntryKind::Directory, None),
            At::PxelinuxDefault => (Root::Tftp, EntryKind::Script(Script::PxelinuxDefault), None),
            At::GrubDir => (Root::Tftp, EntryKind::Directory, None),
            At::GrubMain => (Root::Tftp, EntryKind::Script(Script::GrubMain), None),
            At::NodeDir => (tree, EntryKind::Directory, index),
            At::NodeConfig => (tree, EntryKind::Script(script()?), index),
            At::NodeGrubConfig => (Root::Tftp, EntryKind::Script(grub()?), index),
            At::GrubPerMac(_) => {
                let kind = EntryKind::PerMac {
                    target: &self.target,
                    script: grub()?,
                };
                (Root::Tftp, kind, index)
            }
            At::NodeFile(n) => {
                let source = node
                    .and_then(|(_, node)| node.boot.images().get(usize::from(n)).copied().flatten())
                    .and_then(|image| match image.source {
                        Source::File(source) => Some(source),
                        Source::Url(_) => None,
                    })
                    .ok_or_else(internal)?;
                (tree, EntryKind::File { source }, index)
            }
            At::PerMac(_) => {
                let kind = EntryKind::PerMac {
                    target: &self.target,
                    script: script()?,
                };
                (tree, kind, index)
            }
            At::HttpLoader(_) | At::TftpLoader(_) => {
                let name = self.loader().ok_or_else(internal)?;
                let root = if matches!(self.at, At::TftpLoader(_)) {
                    Root::Tftp
                } else {
                    Root::Http
                };
                (root, EntryKind::Loader { name }, None)
            }
            At::Start | At::Done => return Err(internal()),
        };
        Ok(Entry {
            root,
            path: &self.path,
            kind,
            node: index,
        })
    }
}

/// The entries of `root` a build moves into place after all the others, in this order: what
/// clients read first, once everything it points at is there (the HTTP root's per-MAC
/// directory and main script; the classic flow's `pxelinux.cfg/` and `grub/`). `None`: no
/// order (the TFTP root of an iPXE site holds only loaders).
pub fn written_last<'a>(config: &SiteConfig<'a>, root: Root) -> Option<[&'a str; 2]> {
    match (root, config.ipxe_enabled) {
        (Root::Http, _) => Some([config.per_mac_dir.as_str(), config.boot_script.as_str()]),
        (Root::Tftp, false) => Some([config.per_mac_dir.as_str(), classic::GRUB_DIR.as_str()]),
        (Root::Tftp, true) => None,
    }
}

/// When a front end that publishes the HTTP root to an object store (where there is no
/// rename) makes an entry visible: every phase's objects are in place before the next
/// phase's first is written, so no client can fetch a script that names an object not there
/// yet. Ordered: [`PublishPhase::Content`] first, [`PublishPhase::Main`] last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PublishPhase {
    /// Node configs, the files placed beside them, loaders: what the per-MAC entries and the
    /// main script lead to.
    Content,
    /// The per-MAC entries, which the main script chains.
    PerMac,
    /// The main script, which every client fetches first.
    Main,
}

/// The phase in which `entry` is published (see [`PublishPhase`]); `None` for a directory
/// (an object store has none) and for an entry of the TFTP root (served by TFTP, not from the
/// object store). The manifest is not an entry: it is published after everything else.
pub fn publish_phase(entry: &Entry<'_>) -> Option<PublishPhase> {
    match (entry.root, entry.kind) {
        (Root::Tftp, _) | (_, EntryKind::Directory) => None,
        (Root::Http, EntryKind::PerMac { .. }) => Some(PublishPhase::PerMac),
        (Root::Http, EntryKind::Script(Script::Main)) => Some(PublishPhase::Main),
        (Root::Http, _) => Some(PublishPhase::Content),
    }
}

fn internal() -> Error {
    Error::new(ErrorKind::Internal)
}

/// Writes the content of a script entry (a node's from its template when it names one).
///
/// # Errors
/// A write error; for a templated script, what its template's renderer gives (nothing for
/// a checked site).
pub fn write_script<W: Write>(
    config: &SiteConfig<'_>,
    script: Script<'_>,
    out: &mut W,
) -> Result<()> {
    match script {
        Script::Main => ipxe::write_main_script(config, out),
        Script::Node(node) => ipxe::write_node_config(config, node, out),
        Script::PxelinuxDefault => classic::write_pxelinux_default(out),
        Script::PxelinuxNode(node) => {
            classic::write_node_config(config, node, Loader::Pxelinux, out)
        }
        Script::GrubMain => classic::write_grub_main(out),
        Script::GrubNode(node) => classic::write_node_config(config, node, Loader::Grub, out),
    }
}

/// A script entry's content, as [`ScriptCache`] gives it.
#[derive(Clone, Copy, Debug)]
pub struct Rendered<'b> {
    /// Its size, and its SHA-256 if the cache hashes.
    pub digest: Digested,
    /// Its bytes, when they fit the cache's buffer (else write the script again to stream
    /// it).
    pub bytes: Option<&'b [u8]>,
}

/// Renders each script entry once: a node's per-MAC entries, which follow its config (the
/// config of their kind, in the classic flow), reuse the config's bytes, size and hash. The one place that reuse is written. `B` is the buffer
/// a script is rendered into (a script that does not fit is rendered again to stream it);
/// [`SCRIPT_MAX`](crate::limits::SCRIPT_MAX) bytes hold any script.
pub struct ScriptCache<B> {
    buf: B,
    hash: bool,
    /// The node (`None`: a script of the site's) and the kind of the script the buffer
    /// holds, if any.
    last: Option<(Option<usize>, ScriptKind)>,
    len: Option<usize>,
    digest: Digested,
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> ScriptCache<B> {
    /// A cache rendering into `buf`; with `hash`, it also gives each script's SHA-256 (else the
    /// digest's hash is all zeros).
    pub fn new(buf: B, hash: bool) -> Self {
        ScriptCache {
            buf,
            hash,
            last: None,
            len: None,
            digest: Digested {
                size: 0,
                sha256: [0; 32],
            },
        }
    }

    /// The content of `entry`'s script, rendered now or reused; `None` for an entry that
    /// holds no script.
    ///
    /// # Errors
    /// A write error of the renderer (an internal one: the buffer is local), or a script
    /// that cannot be rendered.
    pub fn render(
        &mut self,
        config: &SiteConfig<'_>,
        entry: &Entry<'_>,
    ) -> Result<Option<Rendered<'_>>> {
        let Some(script) = entry.script() else {
            return Ok(None);
        };
        let key = (entry.node, script.kind());
        let reuse = matches!(entry.kind, EntryKind::PerMac { .. }) && self.last == Some(key);
        if !reuse {
            self.last = Some(key);
            let written = write_to_slice(self.buf.as_mut(), |w| write_script(config, script, w));
            let size;
            match written {
                Ok(len) => {
                    self.len = Some(len);
                    size = len;
                }
                Err(e) if e.kind == ErrorKind::Write(embedded_io::ErrorKind::WriteZero) => {
                    self.len = None;
                    size = crate::output::output_len(|w| write_script(config, script, w))?;
                }
                Err(e) => return Err(e),
            }
            let mut sha256 = [0; 32];
            if self.hash {
                let mut hasher = HashingWriter::new();
                match self.len.and_then(|len| self.buf.as_ref().get(..len)) {
                    Some(bytes) => crate::output::write_all(&mut hasher, bytes)?,
                    None => write_script(config, script, &mut hasher)?,
                }
                sha256 = hasher.finish().sha256;
            }
            self.digest = Digested {
                size: u64::try_from(size).unwrap_or(u64::MAX),
                sha256,
            };
        }
        Ok(Some(Rendered {
            digest: self.digest,
            bytes: self.len.and_then(|len| self.buf.as_ref().get(..len)),
        }))
    }
}
