//! The manifest of a boot tree: a JSON document listing every entry with its kind, size and
//! SHA-256, so operators and CDNs can verify what they serve, and so `ipxegen build` knows
//! which files it made. Written as a stream: no allocation, any number of entries.
//!
//! ```json
//! {"schema": 1, "generator": "ipxegen", "http_server": "http://192.0.2.10:8080", "entries": [
//!   {"root": "http", "path": "boot.ipxe", "kind": "script", "size": 912, "sha256": "..."},
//!   {"root": "http", "path": "node1/deploy_kernel", "kind": "file", "source": "/srv/k",
//!    "size": null, "sha256": null}
//! ]}
//! ```
//! A `null` size and hash mean the file is not in this tree (an archive) and must be placed
//! by hand from `source` (or from the loader directory, for kind `loader`).

use crate::error::{Error, Result};
use crate::json::string::{write_json_string, write_json_string_body, write_json_text};
use crate::model::JsonStr;
use crate::model::SiteConfig;
use crate::tree::{Entry, EntryKind, Root};
use embedded_io::Write;
use sha2::{Digest, Sha256};

/// The manifest's file name, in the HTTP root.
pub const MANIFEST_NAME: &str = "ipxegen-manifest.json";

/// The size and SHA-256 of some content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Digested {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: [u8; 32],
}

/// A writer that hashes and counts what passes through it.
#[derive(Clone, Default)]
pub struct HashingWriter {
    hasher: Sha256,
    size: u64,
}

impl HashingWriter {
    /// A fresh hasher.
    pub fn new() -> Self {
        HashingWriter::default()
    }

    /// The size and hash of everything written.
    pub fn finish(self) -> Digested {
        Digested {
            size: self.size,
            sha256: self.hasher.finalize().into(),
        }
    }
}

impl embedded_io::ErrorType for HashingWriter {
    type Error = core::convert::Infallible;
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        self.hasher.update(buf);
        self.size = self
            .size
            .saturating_add(u64::try_from(buf.len()).unwrap_or(u64::MAX));
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

/// The kind of a manifest entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A script the core wrote.
    Script,
    /// A per-MAC entry (a link to, or a copy of, a node's config).
    PerMac,
    /// A file placed from `source`.
    File,
    /// An iPXE loader.
    Loader,
}

impl ItemKind {
    /// Its word in the manifest.
    pub const fn as_str(self) -> &'static str {
        match self {
            ItemKind::Script => "script",
            ItemKind::PerMac => "per-mac",
            ItemKind::File => "file",
            ItemKind::Loader => "loader",
        }
    }
}

/// One manifest entry.
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    /// Its root.
    pub root: Root,
    /// Its path in the root.
    pub path: &'a str,
    /// Its kind.
    pub kind: ItemKind,
    /// Where a placed file comes from (a path as the site document writes it, or a loader's
    /// name).
    pub source: Option<JsonStr<'a>>,
    /// Where a per-MAC link points.
    pub link: Option<&'a str>,
    /// Size and hash, when the content is in the tree.
    pub digest: Option<Digested>,
}

impl<'e> Item<'e> {
    /// The manifest item of a tree entry (`None` for a directory), with `digest` as its size
    /// and hash; `per_mac_links` says whether per-MAC entries are links (their target is
    /// listed) or copies.
    pub fn of_entry(
        entry: &Entry<'e>,
        per_mac_links: bool,
        digest: Option<Digested>,
    ) -> Option<Self> {
        let (kind, source, link) = match entry.kind {
            EntryKind::Directory => return None,
            EntryKind::Script(_) => (ItemKind::Script, None, None),
            EntryKind::PerMac { target, .. } => {
                (ItemKind::PerMac, None, per_mac_links.then_some(target))
            }
            EntryKind::File { source } => (ItemKind::File, Some(source.text()), None),
            EntryKind::Loader { name } => {
                (ItemKind::Loader, Some(JsonStr::new(name.as_str())), None)
            }
        };
        Some(Item {
            root: entry.root,
            path: entry.path,
            kind,
            source,
            link,
            digest,
        })
    }
}

/// Writes a manifest, entry by entry.
pub struct ManifestWriter<'w, W: Write> {
    out: &'w mut W,
    first: bool,
}

fn put<W: Write>(out: &mut W, bytes: &[u8]) -> Result<()> {
    crate::output::write_all(out, bytes)
}

fn write_u64<W: Write>(out: &mut W, n: u64) -> Result<()> {
    put(out, crate::ascii::Decimal::new(n).as_bytes())
}

impl<'w, W: Write> ManifestWriter<'w, W> {
    /// Starts the manifest of `site`.
    pub fn begin(config: &SiteConfig<'_>, out: &'w mut W) -> Result<Self> {
        put(out, HEADER_START)?;
        let base = &config.http_base;
        put(out, b"\"")?;
        write_json_string_body(out, base.scheme_prefix())?;
        write_json_string_body(out, base.rest())?;
        put(out, b"\"")?;
        put(out, HEADER_END)?;
        Ok(ManifestWriter { out, first: true })
    }

    /// Starts a manifest whose `http_server` is `http_server` (as [`read_manifest_header`]
    /// gives it): writes back the first line of a manifest that was read.
    pub fn begin_with_http_server(http_server: JsonStr<'_>, out: &'w mut W) -> Result<Self> {
        put(out, HEADER_START)?;
        write_json_text(out, http_server)?;
        put(out, HEADER_END)?;
        Ok(ManifestWriter { out, first: true })
    }

    /// Adds an entry.
    pub fn item(&mut self, item: &Item<'_>) -> Result<()> {
        let out = &mut *self.out;
        put(
            out,
            if self.first {
                b"\n  {\"root\": "
            } else {
                b",\n  {\"root\": "
            },
        )?;
        self.first = false;
        put(out, b"\"")?;
        put(out, item.root.as_str().as_bytes())?;
        put(out, b"\"")?;
        put(out, b", \"path\": ")?;
        write_json_string(out, item.path)?;
        put(out, b", \"kind\": \"")?;
        put(out, item.kind.as_str().as_bytes())?;
        put(out, b"\"")?;
        if let Some(source) = item.source {
            put(out, b", \"source\": ")?;
            write_json_text(out, source)?;
        }
        if let Some(link) = item.link {
            put(out, b", \"link\": ")?;
            write_json_string(out, link)?;
        }
        match &item.digest {
            Some(d) => {
                put(out, b", \"size\": ")?;
                write_u64(out, d.size)?;
                put(out, b", \"sha256\": \"")?;
                crate::hex::write_hex(out, &d.sha256)?;
                put(out, b"\"}")
            }
            None => put(out, b", \"size\": null, \"sha256\": null}"),
        }
    }

    /// Ends the manifest.
    pub fn finish(self) -> Result<()> {
        put(self.out, b"\n")?;
        put(self.out, LAST_LINE)?;
        put(self.out, b"\n")
    }
}

/// One entry of a manifest, as [`read_manifest`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManifestEntry<'a> {
    /// Its root.
    pub root: Root,
    /// Its path in the root.
    pub path: &'a str,
    /// Its kind.
    pub kind: ItemKind,
    /// Where a placed file comes from, as the manifest writes it.
    pub source: Option<JsonStr<'a>>,
    /// Where a per-MAC link points.
    pub link: Option<&'a str>,
    /// Size and SHA-256, when the manifest lists them (`null` for a file to place by hand).
    pub digest: Option<Digested>,
}

impl<'a> ManifestEntry<'a> {
    /// The item that [`ManifestWriter::item`] writes this entry back as: for an entry of a
    /// manifest ipxegen wrote, the line it was read from.
    pub fn item(&self) -> Item<'a> {
        Item {
            root: self.root,
            path: self.path,
            kind: self.kind,
            source: self.source,
            link: self.link,
            digest: self.digest,
        }
    }
}

fn bad_manifest() -> Error {
    Error::new(crate::ErrorKind::Malformed)
}

/// The start of a manifest's first line, as [`ManifestWriter::begin`] writes it (the HTTP
/// server follows).
const HEADER_START: &[u8] = b"{\"schema\": 1, \"generator\": \"ipxegen\", \"http_server\": ";
/// The end of a manifest's first line.
const HEADER_END: &[u8] = b", \"entries\": [";
/// A manifest's last line.
const LAST_LINE: &[u8] = b"]}";

/// Where a [`ManifestLines`] is in the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Header,
    /// In the entries; `true` when the line before ended with `,` (another entry follows).
    Entries {
        more: bool,
    },
    Done,
}

/// Reads a manifest that [`ManifestWriter`] wrote, one line at a time, in O(1) memory
/// whatever its size: the writer puts its header, each entry and its end on lines of their
/// own, and a reader relies on it (a manifest laid out otherwise is refused, not
/// misread). An entry whose path or link is written with JSON escapes is skipped:
/// ipxegen's paths never need one, so it is not an entry ipxegen made.
#[derive(Clone, Debug)]
pub struct ManifestLines {
    at: At,
}

impl Default for ManifestLines {
    fn default() -> Self {
        ManifestLines { at: At::Header }
    }
}

impl ManifestLines {
    /// A reader before the manifest's first line.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the next line (without its `\n`); gives the entry it holds, if it holds one.
    ///
    /// # Errors
    /// Invalid JSON ([`crate::ErrorKind::Json`]), or a line that is not where an ipxegen
    /// manifest of schema 1 would have it ([`crate::ErrorKind::Malformed`]).
    pub fn line<'a>(&mut self, line: &'a [u8]) -> Result<Option<ManifestEntry<'a>>> {
        match self.at {
            At::Header => {
                read_manifest_header(line)?;
                self.at = At::Entries { more: true };
                Ok(None)
            }
            At::Entries { more } => {
                if line == LAST_LINE {
                    self.at = At::Done;
                    return Ok(None);
                }
                let item = line.strip_prefix(b"  ").ok_or_else(bad_manifest)?;
                let (item, comma) = match item.strip_suffix(b",") {
                    Some(item) => (item, true),
                    None => (item, false),
                };
                if !more {
                    return Err(bad_manifest());
                }
                self.at = At::Entries { more: comma };
                read_entry(crate::json::document(item)?)
            }
            At::Done if line.is_empty() => Ok(None),
            At::Done => Err(bad_manifest()),
        }
    }

    /// Ends the reading.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Malformed`] unless the manifest's last line was read.
    pub fn finish(&self) -> Result<()> {
        match self.at {
            At::Done => Ok(()),
            _ => Err(bad_manifest()),
        }
    }
}

/// The `http_server` of a manifest's first line (as [`ManifestLines::line`] reads it).
///
/// # Errors
/// As [`ManifestLines::line`] for a first line.
pub fn read_manifest_header(line: &[u8]) -> Result<JsonStr<'_>> {
    let server = line
        .strip_prefix(HEADER_START)
        .and_then(|rest| rest.strip_suffix(HEADER_END))
        .ok_or_else(bad_manifest)?;
    crate::json::document(server)?.string()
}

/// Reads a whole manifest that [`ManifestWriter`] wrote (see [`ManifestLines`]), calling
/// `each` for every entry in order.
///
/// # Errors
/// As [`ManifestLines::line`] and [`ManifestLines::finish`].
pub fn read_manifest<'a>(doc: &'a [u8], mut each: impl FnMut(ManifestEntry<'a>)) -> Result<()> {
    let mut lines = ManifestLines::new();
    for line in doc.split(|&b| b == b'\n') {
        if let Some(entry) = lines.line(line)? {
            each(entry);
        }
    }
    lines.finish()
}

/// The entry of one element of a manifest's `entries`; `None` for one whose path or link
/// has JSON escapes.
fn read_entry(item: crate::json::Value<'_>) -> Result<Option<ManifestEntry<'_>>> {
    let (mut root, mut path, mut kind, mut size, mut sha256) = (None, None, None, None, None);
    let (mut source, mut link) = (None, None);
    for member in item.members()? {
        let member = member?;
        let value = member.value;
        match member.key {
            b"root" => {
                root = match value.string()?.plain() {
                    Some("http") => Some(Root::Http),
                    Some("tftp") => Some(Root::Tftp),
                    _ => return Err(bad_manifest()),
                }
            }
            b"path" => path = Some(value.string()?.plain()),
            b"kind" => {
                let word = value.string()?.plain();
                kind = [
                    ItemKind::Script,
                    ItemKind::PerMac,
                    ItemKind::File,
                    ItemKind::Loader,
                ]
                .into_iter()
                .find(|k| Some(k.as_str()) == word);
            }
            b"source" => source = Some(value.string()?),
            b"link" => link = Some(value.string()?.plain()),
            b"size" if !value.is_null() => size = Some(value.u64()?),
            b"sha256" if !value.is_null() => {
                let text = value.string()?.plain().ok_or_else(bad_manifest)?;
                let mut digest = [0u8; 32];
                let n = crate::hex::decode_into(
                    text.as_bytes(),
                    b"",
                    &mut digest,
                    crate::Field::Document,
                )?;
                if n != digest.len() {
                    return Err(bad_manifest());
                }
                sha256 = Some(digest);
            }
            _ => {}
        }
    }
    let (Some(root), Some(path), Some(kind)) = (root, path, kind) else {
        return Err(bad_manifest());
    };
    let Some(path) = path else { return Ok(None) };
    let Some(link) = link.map_or(Some(None), |link| link.map(Some)) else {
        return Ok(None);
    };
    let digest = match (size, sha256) {
        (Some(size), Some(sha256)) => Some(Digested { size, sha256 }),
        _ => None,
    };
    Ok(Some(ManifestEntry {
        root,
        path,
        kind,
        source,
        link,
        digest,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    const GOLDEN: &[u8] = include_bytes!("../../tests/golden/tree/example-manifest.json");

    /// Reads `doc` and writes it back with [`ManifestWriter`] into `buf`.
    fn write_back(doc: &[u8], buf: &mut [u8]) -> Result<usize> {
        write_to_slice(buf, |out| {
            let mut lines = doc.split(|&b| b == b'\n');
            let server = read_manifest_header(lines.next().unwrap_or_default())?;
            let mut writer = ManifestWriter::begin_with_http_server(server, out)?;
            let mut reader = ManifestLines::new();
            for line in doc.split(|&b| b == b'\n') {
                if let Some(entry) = reader.line(line)? {
                    writer.item(&entry.item())?;
                }
            }
            reader.finish()?;
            writer.finish()
        })
    }

    #[test]
    fn a_manifest_read_and_written_back_is_the_same_bytes() {
        let mut buf = [0u8; 16 * 1024];
        let n = write_back(GOLDEN, &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(&buf[..n]),
            core::str::from_utf8(GOLDEN)
        );
    }

    #[test]
    fn sources_and_links_are_read() {
        let mut sources = 0;
        let mut links = 0;
        read_manifest(GOLDEN, |e| {
            sources += usize::from(e.source.is_some());
            links += usize::from(e.link.is_some());
            assert_eq!(
                e.source.is_some(),
                e.kind == ItemKind::File || e.kind == ItemKind::Loader
            );
        })
        .unwrap();
        assert!(sources > 0 && links > 0);
    }

    #[test]
    fn an_entry_whose_link_has_escapes_is_skipped() {
        let doc = b"{\"schema\": 1, \"generator\": \"ipxegen\", \"http_server\": \"http://h\", \"entries\": [\n  {\"root\": \"http\", \"path\": \"m\", \"kind\": \"per-mac\", \"link\": \"\\u0041\", \"size\": null, \"sha256\": null}\n]}\n";
        let mut n = 0;
        read_manifest(doc, |_| n += 1).unwrap();
        assert_eq!(n, 0);
    }
}
