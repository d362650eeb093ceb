//! The template files a site names (`ipxe_boot_script_template`, `ipxe_config_template`):
//! each read once, relative to the site file's directory, opened without blocking and only
//! if it is a regular file, at most [`TEMPLATE_MAX`] bytes. The core parses them and its
//! whole-site check reports what is wrong with them (a file that cannot be read too, with
//! the reason given here).

use crate::input::{Cap, read_capped};
use crate::sources::{open_regular, reason};
use ipxegen_core::Site;
use ipxegen_core::limits::TEMPLATE_MAX;
use ipxegen_core::model::{TemplateFile, TemplateRef};
use std::path::Path;

/// The size cap of a template file.
pub const TEMPLATE: Cap = Cap {
    what: "a template",
    max: TEMPLATE_MAX,
};

/// The template files of a site, read.
pub struct Templates<'a> {
    /// Each distinct file, where the site first names it, and its bytes or why they could
    /// not be read.
    read: Vec<(TemplateRef<'a>, Result<Vec<u8>, String>)>,
}

impl<'a> Templates<'a> {
    /// Reads every template file `site` names; relative paths are relative to `base`.
    pub fn read(site: &Site<'a>, base: &Path) -> Self {
        let mut read: Vec<(TemplateRef<'a>, Result<Vec<u8>, String>)> = Vec::new();
        for r in site.template_refs() {
            if read.iter().any(|(known, _)| known.same_file(&r)) {
                continue;
            }
            let path = base.join(r.slot.path.to_string());
            read.push((r, read_template(&path)));
        }
        Templates { read }
    }

    /// The files, parsed by the core, to lend to the site ([`Site::with_templates`]).
    pub fn files(&self) -> Vec<TemplateFile<'_>> {
        self.read
            .iter()
            .map(|(r, bytes)| match bytes {
                Ok(bytes) => TemplateFile::load(*r, bytes),
                Err(why) => TemplateFile::unreadable(*r, why),
            })
            .collect()
    }
}

/// The bytes of the template file at `path`, or why they cannot be read (naming the file).
fn read_template(path: &Path) -> Result<Vec<u8>, String> {
    let name = path.display().to_string();
    let (file, meta) = open_regular(path).map_err(|e| format!("{name}: {}", reason(&e)))?;
    let expected = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    read_capped(
        file,
        &name,
        TEMPLATE,
        expected.min(TEMPLATE_MAX.saturating_add(1)),
    )
    .map_err(|failure| failure.message().unwrap_or_default().to_owned())
}
