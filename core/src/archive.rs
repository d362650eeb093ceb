//! The boot tree of a site as one tar archive of its HTTP root: the main script, each node's
//! config, the per-MAC entries (symbolic links, or copies), and the manifest last. Files that
//! only the operator has (kernels, ramdisks, ISOs, loaders) are not in the archive: the
//! manifest lists them with their `source` and no size, to be placed by hand.
//!
//! The same site gives the same bytes, on any target: the CLI's `ipxegen archive` and the web
//! UI's download are this function.

use crate::error::Result;
use crate::manifest::{Digested, Item, MANIFEST_NAME, ManifestWriter};
use crate::output::CountingWriter;
use crate::site::CheckedSite;
use crate::tar::{TarKind, TarWriter};
use crate::tree::{EntryKind, Root, ScriptCache, Tree, write_script};
use embedded_io::Write;

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

/// Room lent by the caller for the digests of a site's scripts, which an archive computes in
/// its first walk and lists in the manifest, written by a second walk. With room for
/// [`digest_room`] digests, no script is rendered or hashed twice; with less (none, on a
/// small device), the second walk renders and hashes the scripts the room did not hold.
/// The archive's bytes are the same either way.
pub struct KeptDigests<'b> {
    slots: &'b mut [Digested],
    kept: usize,
    taken: usize,
}

impl<'b> KeptDigests<'b> {
    /// Digests kept in `slots` (their values on entry do not matter).
    pub fn new(slots: &'b mut [Digested]) -> Self {
        KeptDigests {
            slots,
            kept: 0,
            taken: 0,
        }
    }

    /// `true` while there is room for another digest.
    fn has_room(&self) -> bool {
        self.kept < self.slots.len()
    }

    /// Keeps `digest`, the next script's, if there is room.
    fn keep(&mut self, digest: Digested) {
        if let Some(slot) = self.slots.get_mut(self.kept) {
            *slot = digest;
            self.kept += 1;
        }
    }

    /// The next kept digest, in the order they were kept.
    fn take_next(&mut self) -> Option<Digested> {
        let digest = self.slots.get(..self.kept)?.get(self.taken).copied()?;
        self.taken += 1;
        Some(digest)
    }
}

/// How many digests [`KeptDigests`] needs room for so that no script of `site` is rendered
/// twice: the main script's and each node's config's.
pub fn digest_room(site: &CheckedSite<'_>) -> usize {
    site.node_count().saturating_add(1)
}

/// A digest to lend [`KeptDigests`] (any value does).
pub const NO_DIGEST: Digested = Digested {
    size: 0,
    sha256: [0; 32],
};

/// Writes the manifest of the tree as an archive holds it.
///
/// # Errors
/// A write error.
pub fn write_archive_manifest<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    write_manifest_recalling(site, links, &mut KeptDigests::new(&mut []), out)
}

/// Writes the manifest, taking each script's digest from `kept` where it holds one.
fn write_manifest_recalling<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    kept: &mut KeptDigests<'_>,
    out: &mut W,
) -> Result<()> {
    let config = site.config();
    let mut manifest = ManifestWriter::begin(config, out)?;
    let mut scripts = ScriptCache::new([0u8; SCRIPT_BUFFER], true);
    let mut tree = Tree::new(site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry?;
        let digest = scripts.digest(config, &entry, || kept.take_next())?;
        if let Some(item) = Item::of_entry(&entry, links == LinkMode::Symlink, digest) {
            manifest.item(&item)?;
        }
    }
    manifest.finish()
}

/// Writes the archive of `site`'s HTTP root to `out`, rendering and hashing each script
/// twice (see [`write_tree_archive_keeping`] to do it once).
///
/// # Errors
/// A path too long for ustar, or a write error.
pub fn write_tree_archive<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    write_tree_archive_keeping(site, links, &mut KeptDigests::new(&mut []), out)
}

/// Writes the archive of `site`'s HTTP root to `out`.
///
/// One walk writes the tar entries, keeps each script's digest in `kept` (while it has
/// room) and, into a counting sink, writes the manifest with each script's real size and a
/// zero hash (a hash has a fixed length), which gives the manifest's length for its tar
/// header; a second walk writes the manifest itself, with the digests kept.
///
/// # Errors
/// A path too long for ustar, or a write error.
pub fn write_tree_archive_keeping<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    kept: &mut KeptDigests<'_>,
    out: &mut W,
) -> Result<()> {
    let config = site.config();
    let symlinks = links == LinkMode::Symlink;
    let mut tar = TarWriter::new(out);
    let mut counter = CountingWriter::default();
    let mut sizing = ManifestWriter::begin(config, &mut counter)?;
    let mut scripts = ScriptCache::new([0u8; SCRIPT_BUFFER], false);
    let mut tree = Tree::new(site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry?;
        scripts.set_hashing(kept.has_room());
        let rendered = scripts.render(config, &entry)?;
        if let Some(rendered) = rendered.filter(|r| r.fresh) {
            kept.keep(rendered.digest);
        }
        if let Some(item) = Item::of_entry(&entry, symlinks, rendered.map(|r| r.digest)) {
            sizing.item(&item)?;
        }
        if entry.root != Root::Http {
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
                    None => write_script(config, script, &mut tar)?,
                }
                tar.end_entry()?;
            }
            _ => {}
        }
    }
    sizing.finish()?;
    let size = counter.count;
    tar.begin(
        MANIFEST_NAME,
        TarKind::File(u64::try_from(size).unwrap_or(u64::MAX)),
    )?;
    write_manifest_recalling(site, links, kept, &mut tar)?;
    tar.end_entry()?;
    tar.finish()
}
