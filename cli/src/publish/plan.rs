//! What a publish writes: every object of the site's HTTP root, from the core's tree walk, in
//! the core's publish order, with its content's size, SHA-256 and MD5, and the manifest.

use super::store::{Body, Upload, hex};
use crate::sources::{SourceState, Sources, open_regular, reason};
use ipxegen_core::CheckedSite;
use ipxegen_core::manifest::{Digested, Item, MANIFEST_NAME, ManifestWriter};
use ipxegen_core::tree::{EntryKind, PublishPhase, Tree, publish_phase, write_script};
use md5::{Digest as _, Md5};
use sha2::Sha256;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One object of the tree.
#[derive(Clone, Debug)]
pub struct Planned {
    /// When it is made visible.
    pub phase: PublishPhase,
    /// What to write, at the target's key of its tree path.
    pub upload: Upload,
}

/// The tree to publish.
pub struct Plan {
    /// Every object, in the tree's order.
    pub objects: Vec<Planned>,
    /// The manifest's bytes (as `build` writes it, per-MAC entries as copies).
    pub manifest: Arc<[u8]>,
    /// Loaders that are not in any loader directory (left out, as `build` warns).
    pub missing_loaders: Vec<(String, PathBuf, String)>,
}

/// Size, SHA-256 and MD5 of some content, in one pass.
#[derive(Clone, Copy, Debug)]
struct Digests {
    size: u64,
    sha256: [u8; 32],
    md5: [u8; 16],
}

fn digest_bytes(bytes: &[u8]) -> Digests {
    Digests {
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        sha256: Sha256::digest(bytes).into(),
        md5: Md5::digest(bytes).into(),
    }
}

fn digest_file(path: &Path) -> std::io::Result<Digests> {
    let (mut file, meta) = open_regular(path)?;
    let mut sha = Sha256::new();
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let read = buf.get(..n).unwrap_or_default();
        sha.update(read);
        md5.update(read);
        size = size.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
    }
    if size != meta.len() {
        return Err(std::io::Error::other(format!(
            "{}: changed while ipxegen was reading it",
            path.display()
        )));
    }
    Ok(Digests {
        size,
        sha256: sha.finalize().into(),
        md5: md5.finalize().into(),
    })
}

/// The digests of the file at `path` (for the tree entry `entry`), read once per file.
///
/// # Errors
/// The file cannot be read, naming the entry and the file.
fn cached_digest(
    files: &mut HashMap<PathBuf, Digests>,
    path: &Path,
    entry: &str,
) -> Result<Digests, String> {
    if let Some(d) = files.get(path) {
        return Ok(*d);
    }
    let d = digest_file(path)
        .map_err(|e| format!("{entry}: cannot read {}: {}", path.display(), reason(&e)))?;
    files.insert(path.to_path_buf(), d);
    Ok(d)
}

/// Plans the publish of `site`'s HTTP root under `key_of` (a tree path's object key),
/// with loaders from `loaders`.
///
/// # Errors
/// A file the tree places cannot be read, or a script cannot be rendered (the message names
/// the path).
pub fn plan(
    site: &CheckedSite<'_>,
    sources: &mut Sources,
    loaders: &[PathBuf],
    key_of: &dyn Fn(&str) -> String,
) -> Result<Plan, String> {
    let mut objects = Vec::new();
    let mut missing_loaders = Vec::new();
    let mut files: HashMap<PathBuf, Digests> = HashMap::new();
    let mut manifest = ManifestOut(Vec::new());
    let mut writer = ManifestWriter::begin(site.config(), &mut manifest)
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    let mut tree = Tree::new(site);
    // The node config the last per-MAC entries copy (they follow it in the tree).
    let mut last_script: Option<(String, Arc<[u8]>, Digests)> = None;
    while let Some(entry) = tree.next_entry() {
        let entry = entry.map_err(|e| format!("cannot build the tree: {e}"))?;
        let Some(phase) = publish_phase(&entry) else {
            continue;
        };
        let (body, digests, content_type) = match entry.kind {
            EntryKind::Directory => continue,
            EntryKind::Script(script) => {
                let mut bytes = Vec::new();
                write_script(
                    site.config(),
                    script,
                    &mut embedded_io_adapters::std::FromStd::new(&mut bytes),
                )
                .map_err(|e| format!("{}: cannot render: {e}", entry.path))?;
                let d = digest_bytes(&bytes);
                let bytes: Arc<[u8]> = Arc::from(bytes);
                last_script = Some((entry.path.to_owned(), Arc::clone(&bytes), d));
                (Body::Bytes(bytes), d, "text/plain")
            }
            EntryKind::PerMac { script, .. } => match &last_script {
                Some((_, bytes, d)) if matches!(script, ipxegen_core::tree::Script::Node(_)) => {
                    (Body::Bytes(Arc::clone(bytes)), *d, "text/plain")
                }
                _ => {
                    let mut bytes = Vec::new();
                    write_script(
                        site.config(),
                        script,
                        &mut embedded_io_adapters::std::FromStd::new(&mut bytes),
                    )
                    .map_err(|e| format!("{}: cannot render: {e}", entry.path))?;
                    let d = digest_bytes(&bytes);
                    (Body::Bytes(Arc::from(bytes)), d, "text/plain")
                }
            },
            EntryKind::File { source } => {
                let path = sources.resolve(Path::new(&source.to_string()));
                let d = cached_digest(&mut files, &path, entry.path)?;
                (Body::File { path }, d, "application/octet-stream")
            }
            EntryKind::Loader { name } => {
                let path = sources.find_loader(loaders, name.as_str());
                if let SourceState::Unreadable(why) = sources.state(&path) {
                    missing_loaders.push((entry.path.to_owned(), path, why.clone()));
                    continue;
                }
                let d = cached_digest(&mut files, &path, entry.path)?;
                (Body::File { path }, d, "application/octet-stream")
            }
        };
        let digested = Digested {
            size: digests.size,
            sha256: digests.sha256,
        };
        if let Some(item) = Item::of_entry(&entry, false, Some(digested)) {
            writer
                .item(&item)
                .map_err(|e| format!("cannot write the manifest: {e}"))?;
        }
        objects.push(Planned {
            phase,
            upload: Upload {
                key: key_of(entry.path),
                body,
                size: digests.size,
                sha256: hex(&digests.sha256),
                md5: hex(&digests.md5),
                content_type,
            },
        });
    }
    writer
        .finish()
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    Ok(Plan {
        objects,
        manifest: Arc::from(manifest.0),
        missing_loaders,
    })
}

/// The manifest's upload.
pub fn manifest_upload(bytes: &Arc<[u8]>, key: String) -> Upload {
    let d = digest_bytes(bytes);
    Upload {
        key,
        body: Body::Bytes(Arc::clone(bytes)),
        size: d.size,
        sha256: hex(&d.sha256),
        md5: hex(&d.md5),
        content_type: "application/json",
    }
}

/// One entry of a manifest a target holds.
pub struct Published {
    /// Its tree path (of the HTTP root).
    pub path: String,
    /// It is a per-MAC entry.
    pub per_mac: bool,
    /// Its size and SHA-256 (lower-case hex), when the manifest gives them.
    pub digest: Option<(u64, String)>,
}

/// The entries a manifest lists in the HTTP root (and the manifest itself).
pub fn manifest_entries(bytes: &[u8]) -> Option<Vec<Published>> {
    let mut entries = Vec::new();
    ipxegen_core::manifest::read_manifest(bytes, |entry| {
        if entry.root == ipxegen_core::tree::Root::Http {
            entries.push(Published {
                path: entry.path.to_owned(),
                per_mac: entry.kind == ipxegen_core::manifest::ItemKind::PerMac,
                digest: entry.digest.map(|d| (d.size, hex(&d.sha256))),
            });
        }
    })
    .ok()?;
    entries.push(Published {
        path: MANIFEST_NAME.to_owned(),
        per_mac: false,
        digest: None,
    });
    Some(entries)
}

/// The manifest as the core writes it, into memory.
struct ManifestOut(Vec<u8>);

impl embedded_io::ErrorType for ManifestOut {
    type Error = core::convert::Infallible;
}

impl embedded_io::Write for ManifestOut {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}
