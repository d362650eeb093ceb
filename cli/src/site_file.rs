//! Where a command's site document comes from: a file, standard input, or the built-in example.

use crate::failure::Failure;
use crate::input::{Cap, read_path};
use ipxegen_core::limits::SITE_DOCUMENT_MAX;
use std::path::Path;

/// The size cap of a site document.
pub const SITE_DOCUMENT: Cap = Cap {
    what: "a site document",
    max: SITE_DOCUMENT_MAX,
};

/// The example site built into the binary (examples/site.json).
pub const EMBEDDED_EXAMPLE: &[u8] = include_bytes!("../../examples/site.json");

/// A site document read into memory, with the name errors should use for it.
pub struct SiteFile {
    /// What to call it in messages.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads `path` (`-` for standard input; at most [`SITE_DOCUMENT_MAX`] bytes), or the
/// embedded example when `path` is `None`.
pub fn read_site(path: Option<&Path>) -> Result<SiteFile, Failure> {
    match path {
        None => Ok(SiteFile {
            name: "(built-in example site)".into(),
            bytes: EMBEDDED_EXAMPLE.to_vec(),
        }),
        Some(p) => {
            let (name, bytes) = read_path(p, SITE_DOCUMENT)?;
            Ok(SiteFile { name, bytes })
        }
    }
}
