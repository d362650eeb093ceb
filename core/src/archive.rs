//! The boot tree of a site as one tar archive of its HTTP root: the main script, each node's
//! config, the per-MAC entries (symbolic links, or copies), and the manifest last. Files that
//! only the operator has (kernels, ramdisks, ISOs, loaders) are not in the archive: the
//! manifest lists them with their `source` and no size, to be placed by hand. A site with
//! `ipxe_enabled` false has its configs in the TFTP root: its archive is of the TFTP root
//! (PXELINUX's and GRUB's configs and per-MAC entries), with the manifest last.
//!
//! The same site gives the same bytes, on any target: the CLI's `ipxegen archive` and the web
//! UI's download are this module.
//!
//! The manifest comes last but lists every entry, so it is written while the entries are:
//! into a [`ManifestSpool`] the caller lends (a temporary file, a buffer), copied into the
//! archive at the end ([`write_tree_archive_spooled`]: one walk of the site). Without one
//! ([`write_tree_archive`], O(1) memory), the site is walked twice: once for the entries and
//! the manifest's length, once for the manifest.

use crate::error::Result;
use crate::manifest::{Item, MANIFEST_NAME, ManifestWriter};
use crate::output::{CountingWriter, Tally};
use crate::site::CheckedSite;
use crate::tar::{TarKind, TarWriter};
use crate::tree::{EntryKind, Root, ScriptCache, Tree, write_script};
use embedded_io::Write;

/// The root an archive holds: the HTTP root, or the TFTP root in the classic flow, where the
/// configs are.
pub const fn archived_root(config: &crate::model::SiteConfig<'_>) -> Root {
    if config.ipxe_enabled {
        Root::Http
    } else {
        Root::Tftp
    }
}

/// How per-MAC entries are stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinkMode {
    /// A relative symbolic link to `../<id>/config` (Ironic's layout).
    #[default]
    Symlink,
    /// A copy of the config (for servers and object stores without links).
    Copy,
}

/// Bytes of stack a script is rendered into before it is copied to the tar and hashed
/// (scripts that do not fit are rendered again instead of copied).
const SCRIPT_BUFFER: usize = 4096;

/// Where [`write_tree_archive_spooled`] writes the manifest while it writes the archive's
/// other entries, to copy it into the archive after them. It starts empty.
pub trait ManifestSpool: Write {
    /// Gives everything written to the spool, from its start, in order, to `chunk`.
    ///
    /// # Errors
    /// An error of `chunk`, or the spool's own (reading it back).
    fn replay(&mut self, chunk: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()>;
}

/// Writes the manifest of the tree as an archive holds it.
///
/// # Errors
/// A write error.
pub fn write_archive_manifest<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    let config = site.config();
    let mut manifest = ManifestWriter::begin(config, out)?;
    let mut scripts = ScriptCache::new([0u8; SCRIPT_BUFFER], true);
    let mut tree = Tree::new(site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry?;
        let digest = scripts.render(config, &entry)?.map(|r| r.digest);
        if let Some(item) = Item::of_entry(&entry, links == LinkMode::Symlink, digest) {
            manifest.item(&item)?;
        }
    }
    manifest.finish()
}

/// Writes the archive of `site`'s HTTP root to `out`, in O(1) memory: one walk writes the
/// tar entries and, into a counting sink, the manifest with each script's real size and a
/// zero hash (a hash has a fixed length), which gives the manifest's length for its tar
/// header; a second walk writes the manifest itself.
///
/// # Errors
/// A path too long for ustar, or a write error.
pub fn write_tree_archive<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    let mut tar = TarWriter::new(out);
    let mut counter = CountingWriter::default();
    write_entries(site, links, &mut tar, &mut counter, false)?;
    let size = u64::try_from(counter.count).unwrap_or(u64::MAX);
    tar.begin(MANIFEST_NAME, TarKind::File(size))?;
    write_archive_manifest(site, links, &mut tar)?;
    tar.end_entry()?;
    tar.finish()
}

/// Writes the archive of `site`'s HTTP root to `out` in one walk, the manifest through
/// `spool` (which must be empty): the same bytes as [`write_tree_archive`].
///
/// # Errors
/// A path too long for ustar, or a write error (of `out` or of the spool).
pub fn write_tree_archive_spooled<W: Write, S: ManifestSpool>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    spool: &mut S,
    out: &mut W,
) -> Result<()> {
    let mut tar = TarWriter::new(out);
    let mut manifest = Tally::new(spool);
    write_entries(site, links, &mut tar, &mut manifest, true)?;
    let size = u64::try_from(manifest.count).unwrap_or(u64::MAX);
    tar.begin(MANIFEST_NAME, TarKind::File(size))?;
    manifest.into_inner().replay(&mut |chunk| tar.data(chunk))?;
    tar.end_entry()?;
    tar.finish()
}

/// Writes every tar entry but the manifest to `tar`, and the manifest to `manifest`, its
/// scripts' hashes real only `with_hashes`.
fn write_entries<W: Write, M: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    tar: &mut TarWriter<W>,
    manifest: &mut M,
    with_hashes: bool,
) -> Result<()> {
    let config = site.config();
    let symlinks = links == LinkMode::Symlink;
    let mut manifest = ManifestWriter::begin(config, manifest)?;
    let mut scripts = ScriptCache::new([0u8; SCRIPT_BUFFER], with_hashes);
    let mut tree = Tree::new(site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry?;
        let rendered = scripts.render(config, &entry)?;
        if let Some(item) = Item::of_entry(&entry, symlinks, rendered.map(|r| r.digest)) {
            manifest.item(&item)?;
        }
        if entry.root != archived_root(config) {
            continue;
        }
        match (entry.kind, rendered, entry.script()) {
            (EntryKind::Directory, _, _) => tar.begin(entry.path, TarKind::Directory)?,
            (EntryKind::PerMac { target, .. }, _, _) if symlinks => {
                tar.begin(entry.path, TarKind::Symlink(target))?;
            }
            (_, Some(rendered), Some(script)) => {
                tar.begin(entry.path, TarKind::File(rendered.digest.size))?;
                match rendered.bytes {
                    Some(bytes) => tar.data(bytes)?,
                    None => write_script(config, script, tar)?,
                }
                tar.end_entry()?;
            }
            _ => {}
        }
    }
    manifest.finish()
}
