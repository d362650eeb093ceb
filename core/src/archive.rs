//! The boot tree of a site as one tar archive of its HTTP root: the main script, each node's
//! config, the per-MAC entries (symbolic links, or copies), and the manifest last. Files that
//! only the operator has (kernels, ramdisks, ISOs, loaders) are not in the archive: the
//! manifest lists them with their `source` and no size, to be placed by hand.
//!
//! The same site gives the same bytes, on any target: the CLI's `ipxegen archive` and the web
//! UI's download are this function.

use crate::error::Result;
use crate::manifest::{Item, ItemKind, MANIFEST_NAME, ManifestWriter, script_digest};
use crate::output::output_len;
use crate::site::Site;
use crate::tar::{TarKind, TarWriter};
use crate::tree::{EntryKind, Root, Script, walk_tree, write_script};
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

fn add_script<W: Write>(
    tar: &mut TarWriter<'_, W>,
    site: &Site<'_>,
    path: &str,
    script: Script<'_>,
) -> Result<()> {
    let size = output_len(|w| write_script(site, script, w))?;
    tar.begin(path, TarKind::File(u64::try_from(size).unwrap_or(u64::MAX)))?;
    write_script(site, script, tar)?;
    tar.end_entry()
}

/// Writes the manifest of the tree as an archive holds it.
pub fn write_archive_manifest<W: Write>(
    site: &Site<'_>,
    links: LinkMode,
    out: &mut W,
) -> Result<()> {
    let mut manifest = ManifestWriter::begin(site, out)?;
    walk_tree(site, |entry| {
        let (kind, script, source, link) = match entry.kind {
            EntryKind::Directory => return Ok(()),
            EntryKind::Script(script) => (ItemKind::Script, Some(script), None, None),
            EntryKind::PerMac { target, script } => (
                ItemKind::PerMac,
                Some(script),
                None,
                (links == LinkMode::Symlink).then_some(target),
            ),
            EntryKind::File { source } => (ItemKind::File, None, Some(source.as_str()), None),
            EntryKind::Loader { name } => (ItemKind::Loader, None, Some(name.as_str()), None),
        };
        let digest = script.map(|s| script_digest(site, s)).transpose()?;
        manifest.item(&Item {
            root: entry.root,
            path: entry.path,
            kind,
            source,
            link,
            digest,
        })
    })?;
    manifest.finish()
}

/// Writes the archive of `site`'s HTTP root to `out`.
///
/// # Errors
/// The first invalid node, a path too long for ustar, or a write error.
pub fn write_tree_archive<W: Write>(site: &Site<'_>, links: LinkMode, out: &mut W) -> Result<()> {
    let mut tar = TarWriter::new(out);
    walk_tree(site, |entry| {
        if entry.root != Root::Http {
            return Ok(());
        }
        match entry.kind {
            EntryKind::Directory => tar.begin(entry.path, TarKind::Directory),
            EntryKind::Script(script) => add_script(&mut tar, site, entry.path, script),
            EntryKind::PerMac { target, script } => match links {
                LinkMode::Symlink => tar.begin(entry.path, TarKind::Symlink(target)),
                LinkMode::Copy => add_script(&mut tar, site, entry.path, script),
            },
            EntryKind::File { .. } | EntryKind::Loader { .. } => Ok(()),
        }
    })?;
    let size = output_len(|w| write_archive_manifest(site, links, w))?;
    tar.begin(
        MANIFEST_NAME,
        TarKind::File(u64::try_from(size).unwrap_or(u64::MAX)),
    )?;
    write_archive_manifest(site, links, &mut tar)?;
    tar.end_entry()?;
    tar.finish()
}
