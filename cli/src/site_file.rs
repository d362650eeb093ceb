//! Where a command's site document comes from: a file, standard input, or the built-in example.

use crate::failure::{EX_NOINPUT, Failure};
use std::io::Read;
use std::path::Path;

/// The example site built into the binary (examples/site.json).
pub const EMBEDDED_EXAMPLE: &[u8] = include_bytes!("../../examples/site.json");

/// A site document read into memory, with the name errors should use for it.
pub struct SiteFile {
    /// What to call it in messages.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Reads `path` (`-` for standard input), or the embedded example when `path` is `None`.
pub fn read_site(path: Option<&Path>) -> Result<SiteFile, Failure> {
    match path {
        None => Ok(SiteFile {
            name: "(built-in example site)".into(),
            bytes: EMBEDDED_EXAMPLE.to_vec(),
        }),
        Some(p) if p == Path::new("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::new(EX_NOINPUT, format!("(stdin): cannot read: {e}")))?;
            Ok(SiteFile {
                name: "(stdin)".into(),
                bytes,
            })
        }
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| {
                Failure::new(EX_NOINPUT, format!("{}: cannot read: {e}", p.display()))
            })?;
            Ok(SiteFile {
                name: p.display().to_string(),
                bytes,
            })
        }
    }
}
