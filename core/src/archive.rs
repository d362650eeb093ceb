//! The boot tree of a site as one tar archive of its HTTP root: the main script, each node's
//! config, the per-MAC entries (symbolic links, or copies), and the manifest last. Files that
//! only the operator has (kernels, ramdisks, ISOs, loaders) are not in the archive: the
//! manifest lists them with their `source` and no size, to be placed by hand.
//!
//! The same site gives the same bytes, on any target: the CLI's `ipxegen archive` and the web
//! UI's download are this function.

use crate::error::{ErrorKind, Result};
use crate::manifest::{Digested, Item, MANIFEST_NAME, ManifestWriter, script_digest};
use crate::output::{CountingWriter, output_len, write_to_slice};
use crate::site::Site;
use crate::tar::{TarKind, TarWriter};
use crate::tree::{Entry, EntryKind, Root, Script, walk_tree, write_script};
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

/// The script an entry holds, if any.
fn script_of<'e>(entry: &Entry<'e>) -> Option<Script<'e>> {
    match entry.kind {
        EntryKind::Script(script) | EntryKind::PerMac { script, .. } => Some(script),
        _ => None,
    }
}

/// Writes the manifest of the tree as an archive holds it.
pub fn write_archive_manifest<W: Write>(
    site: &Site<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    let mut manifest = ManifestWriter::begin(site, out)?;
    // A node's per-MAC entries follow its config: hash the config once.
    let mut last: Option<(Option<usize>, Digested)> = None;
    walk_tree(site, |entry| {
        let digest = match script_of(entry) {
            None => None,
            Some(script) => match last {
                Some((node, d))
                    if node == entry.node && matches!(entry.kind, EntryKind::PerMac { .. }) =>
                {
                    Some(d)
                }
                _ => {
                    let d = script_digest(site, script)?;
                    last = Some((entry.node, d));
                    Some(d)
                }
            },
        };
        match Item::of_entry(entry, links == LinkMode::Symlink, digest) {
            Some(item) => manifest.item(&item),
            None => Ok(()),
        }
    })?;
    manifest.finish()
}

/// Bytes of stack a script is rendered into before it is copied to the tar (scripts that do
/// not fit are rendered twice instead: once to count, once to write).
const SCRIPT_BUFFER: usize = 4096;

/// Writes the archive of `site`'s HTTP root to `out`.
///
/// One walk writes the tar entries and, into a counting sink, the manifest with each
/// script's real size and a zero hash (a hash has a fixed length), which gives the
/// manifest's length for its tar header; a second walk writes the manifest itself.
///
/// # Errors
/// The first invalid node, a path too long for ustar, or a write error.
pub fn write_tree_archive<W: Write>(site: &Site<'_>, links: LinkMode, out: &mut W) -> Result<()> {
    let mut tar = TarWriter::new(out);
    let mut counter = CountingWriter::default();
    let mut sizing = ManifestWriter::begin(site, &mut counter)?;
    let mut last: Option<(Option<usize>, u64)> = None;
    // Most scripts fit here: rendered once, their bytes give the size and the content (and
    // the content of the node's per-MAC copies, which follow its config).
    let mut rendered = [0u8; SCRIPT_BUFFER];
    let mut rendered_len: Option<usize> = None;
    walk_tree(site, |entry| {
        let size = match script_of(entry) {
            None => None,
            Some(script) => match last {
                Some((node, size))
                    if node == entry.node && matches!(entry.kind, EntryKind::PerMac { .. }) =>
                {
                    Some(size)
                }
                _ => {
                    let len = match write_to_slice(&mut rendered, |w| write_script(site, script, w))
                    {
                        Ok(len) => {
                            rendered_len = Some(len);
                            len
                        }
                        Err(e) if e.kind == ErrorKind::Write(embedded_io::ErrorKind::WriteZero) => {
                            rendered_len = None;
                            output_len(|w| write_script(site, script, w))?
                        }
                        Err(e) => return Err(e),
                    };
                    let size = u64::try_from(len).unwrap_or(u64::MAX);
                    last = Some((entry.node, size));
                    Some(size)
                }
            },
        };
        let digest = size.map(|size| Digested {
            size,
            sha256: [0; 32],
        });
        if let Some(item) = Item::of_entry(entry, links == LinkMode::Symlink, digest) {
            sizing.item(&item)?;
        }
        if entry.root != Root::Http {
            return Ok(());
        }
        match (entry.kind, size, script_of(entry)) {
            (EntryKind::Directory, _, _) => tar.begin(entry.path, TarKind::Directory),
            (EntryKind::PerMac { target, .. }, _, _) if links == LinkMode::Symlink => {
                tar.begin(entry.path, TarKind::Symlink(target))
            }
            (_, Some(size), Some(script)) => {
                tar.begin(entry.path, TarKind::File(size))?;
                match rendered_len.and_then(|len| rendered.get(..len)) {
                    Some(bytes) => tar.data(bytes)?,
                    None => write_script(site, script, &mut tar)?,
                }
                tar.end_entry()
            }
            _ => Ok(()),
        }
    })?;
    sizing.finish()?;
    let size = counter.count;
    tar.begin(
        MANIFEST_NAME,
        TarKind::File(u64::try_from(size).unwrap_or(u64::MAX)),
    )?;
    write_archive_manifest(site, links, &mut tar)?;
    tar.end_entry()?;
    tar.finish()
}
