//! The boot tree of a site: every file an HTTP root (and a TFTP root) must hold, in a fixed
//! order, without allocation.
//!
//! [`walk_tree`] calls a visitor once per [`Entry`], in this order: the HTTP root's main script,
//! the per-MAC directory, then for each node (document order) its directory, its config, the
//! files to place beside it, and one per-MAC entry per network-boot NIC; finally the loaders
//! (the EFI ones in the HTTP root for UEFI HTTP boot; all of them in the TFTP root when the
//! site has one). Paths are relative to their root, use `/`,
//! and never leave it: every segment is a validated name, node id or MAC.
//!
//! Ironic's layout: `<per_mac_dir>/aa-bb-cc-dd-ee-ff` is a relative link to `../<id>/config`;
//! a front end may write a copy instead (for servers and object stores without links).

use crate::error::{Error, ErrorKind, Field, Result};
use crate::ipxe;
use crate::limits::{NAME_MAX, NODE_ID_MAX};
use crate::model::{Image, LocalPath, Name, Node, Source};
use crate::site::Site;
use embedded_io::Write;

/// Longest path of an entry (per-MAC dir, `/`, a node id or MAC, `/`, a name).
pub const TREE_PATH_MAX: usize = NAME_MAX + NODE_ID_MAX + NAME_MAX + 2;

/// Which root an entry belongs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The HTTP root (`http_root`).
    Http,
    /// The TFTP root (`tftp_root`).
    Tftp,
}

/// A script the core writes.
#[derive(Clone, Copy, Debug)]
pub enum Script<'e> {
    /// The main script.
    Main,
    /// A node's config.
    Node(&'e Node<'e>),
}

/// What an entry is.
#[derive(Clone, Copy, Debug)]
pub enum EntryKind<'e> {
    /// A directory.
    Directory,
    /// A script written by the core (see [`write_script`]).
    Script(Script<'e>),
    /// The per-MAC entry of a NIC: a relative link to `target` (`../<id>/config`), whose
    /// content is the same as `script`.
    PerMac {
        /// The link target, relative to the link's directory.
        target: &'e str,
        /// The script it stands for.
        script: Script<'e>,
    },
    /// A local file to place here (kernel, ramdisk, ISO), copied by the front end.
    File {
        /// Where it comes from.
        source: &'e LocalPath<'e>,
    },
    /// An iPXE loader (`undionly.kpxe`, `snponly.efi`, ...), copied from a loader directory.
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

type Path = heapless::String<TREE_PATH_MAX>;

fn entry<'e>(root: Root, path: &'e str, kind: EntryKind<'e>, node: Option<usize>) -> Entry<'e> {
    Entry {
        root,
        path,
        kind,
        node,
    }
}

fn path_of(parts: &[&str]) -> Result<Path> {
    let mut path = Path::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            path.push('/')
                .map_err(|_| Error::new(ErrorKind::Internal))?;
        }
        path.push_str(part)
            .map_err(|_| Error::new(ErrorKind::Internal))?;
    }
    Ok(path)
}

/// Visits every entry of `site`'s tree in order (see the module docs). Nodes are read one at a
/// time; an invalid node stops the walk with its error. Loaders are listed only when the site
/// has a TFTP root.
///
/// # Errors
/// The first invalid node, or the first error `visit` returns.
pub fn walk_tree(site: &Site<'_>, mut visit: impl FnMut(&Entry<'_>) -> Result<()>) -> Result<()> {
    let config = site.config();
    let per_mac_dir = config.per_mac_dir.as_str();
    visit(&entry(
        Root::Http,
        config.boot_script.as_str(),
        EntryKind::Script(Script::Main),
        None,
    ))?;
    visit(&entry(Root::Http, per_mac_dir, EntryKind::Directory, None))?;
    for (index, node) in site.nodes().enumerate() {
        let node = node?;
        let id = node.id.as_str();
        let at = Some(index);
        visit(&entry(Root::Http, id, EntryKind::Directory, at))?;
        let config_path = path_of(&[id, "config"])?;
        visit(&entry(
            Root::Http,
            &config_path,
            EntryKind::Script(Script::Node(&node)),
            at,
        ))?;
        for image in node.boot.images().into_iter().flatten() {
            if let Image {
                source: Source::File(source),
                name,
                ..
            } = image
            {
                let path = path_of(&[id, name.as_str()])?;
                visit(&entry(Root::Http, &path, EntryKind::File { source }, at))?;
            }
        }
        let target = path_of(&["..", id, "config"])?;
        for nic in node.boot_nics() {
            let path = path_of(&[per_mac_dir, nic.mac.hexhyp().as_str()])?;
            let kind = EntryKind::PerMac {
                target: &target,
                script: Script::Node(&node),
            };
            visit(&entry(Root::Http, &path, kind, at))?;
        }
    }
    // UEFI HTTP boot fetches the EFI loaders from the HTTP root.
    for name in [config.uefi_x64_bootfile, config.uefi_arm64_bootfile] {
        visit(&entry(
            Root::Http,
            name.as_str(),
            EntryKind::Loader { name },
            None,
        ))?;
    }
    if config.tftp_root.is_some() {
        for name in [
            config.pxe_bootfile,
            config.uefi_x64_bootfile,
            config.uefi_arm64_bootfile,
        ] {
            visit(&entry(
                Root::Tftp,
                name.as_str(),
                EntryKind::Loader { name },
                None,
            ))?;
        }
    }
    Ok(())
}

/// Writes the content of a script entry.
///
/// # Errors
/// A write error.
pub fn write_script<W: Write>(site: &Site<'_>, script: Script<'_>, out: &mut W) -> Result<()> {
    match script {
        Script::Main => ipxe::write_main_script(site.config(), out),
        Script::Node(node) => ipxe::write_node_config(site.config(), node, out),
    }
}

/// Checks a site for what a tree cannot hold: two nodes with the same id or the same MAC.
/// Runs in O(n²) time and O(1) memory (for hosts with memory to spare, a front end can do the
/// same with a hash set in O(n)).
///
/// # Errors
/// [`ErrorKind::DuplicateId`] or [`ErrorKind::DuplicateMac`] located at the later node.
pub fn check_unique(site: &Site<'_>) -> Result<()> {
    for (i, node) in site.nodes().enumerate() {
        let node = node?;
        for (j, other) in site.nodes().enumerate().take(i) {
            let other = other.map_err(|e| e.in_node(j))?;
            if other.id == node.id {
                return Err(Error::at(ErrorKind::DuplicateId, Field::NodeId).in_node(i));
            }
            for (k, nic) in node.nics.iter().enumerate() {
                if other.nics.iter().any(|o| o.mac == nic.mac) {
                    return Err(Error::at(ErrorKind::DuplicateMac, Field::NicMac)
                        .in_node(i)
                        .in_item(k));
                }
            }
        }
    }
    Ok(())
}
