//! The templates a site names (`ipxe_boot_script_template`, `ipxe_config_template`; in the
//! classic flow `pxe_config_template`, `grub_config_template`), and the template files a
//! front end loaded for them.
//!
//! A front end asks the site which files it names ([`crate::Site::template_refs`]), reads
//! each (a relative path is relative to the site file) and hands its bytes to
//! [`TemplateFile::load`], which parses it once ([`Template::parse`]); then
//! [`crate::Site::with_templates`] lends the files to the site, and the whole-site check
//! ([`crate::Site::check_with`]) reports every file that could not be read or parsed, once,
//! where the site first names it, and renders and lints every script a template writes.
//! Nothing here allocates: the files are the front end's, and the site borrows them.

use crate::classic::template::{Classic, Loader};
use crate::error::Field;
use crate::ipxe::template::{Ipxe, Script};
use crate::model::LocalPath;
use crate::template::{Template, TemplateError};

/// What a template writes: the format it is parsed in, and the script of that format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes {
    /// An iPXE script.
    Ipxe(Script),
    /// A PXELINUX or GRUB config.
    Classic(Loader),
}

/// A parsed template, of whichever format its field writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyTemplate<'a> {
    /// An iPXE script's.
    Ipxe(Template<'a, Ipxe>),
    /// A PXELINUX or GRUB config's.
    Classic(Template<'a, Classic>),
}

/// A template a field of the site (or of a node) names: its path as the document writes it,
/// and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateSlot<'a> {
    /// The path, as the document writes it (relative to the site file's directory, unless
    /// absolute).
    pub path: LocalPath<'a>,
    /// The field that names it (the site's, or the node's own).
    pub field: Field,
    /// Byte offset of the path's value in the site document.
    pub offset: u32,
}

impl TemplateSlot<'_> {
    /// `true` when `other` names the same file (the paths decode to the same text).
    pub fn same_path(&self, other: &TemplateSlot<'_>) -> bool {
        self.path.text().chars().eq(other.path.text().chars())
    }

    /// What the field's template writes: the main script, a node's iPXE config, or its
    /// PXELINUX or GRUB config.
    pub fn script(&self) -> Writes {
        match self.field {
            Field::IpxeBootScriptTemplate => Writes::Ipxe(Script::Main),
            Field::PxeConfigTemplate | Field::NodePxeConfigTemplate => {
                Writes::Classic(Loader::Pxelinux)
            }
            Field::GrubConfigTemplate | Field::NodeGrubConfigTemplate => {
                Writes::Classic(Loader::Grub)
            }
            _ => Writes::Ipxe(Script::NodeConfig),
        }
    }
}

/// A template file a site names, where it first names it: what a front end reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateRef<'a> {
    /// The path and the field of the first place that names it.
    pub slot: TemplateSlot<'a>,
    /// The node whose field that is (its index in `nodes`), if it is a node's.
    pub node: Option<u32>,
}

impl TemplateRef<'_> {
    /// `true` when `other` is the same file for the same script: one file to load.
    pub fn same_file(&self, other: &TemplateRef<'_>) -> bool {
        self.slot.script() == other.slot.script() && self.slot.same_path(&other.slot)
    }
}

/// What became of a template file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded<'a> {
    /// Parsed and valid.
    Template(AnyTemplate<'a>),
    /// Read, but not a valid template.
    Invalid(TemplateError),
    /// Not read, for the front end's reason (`No such file or directory`).
    Unreadable(&'a str),
}

/// A template file a front end loaded for a [`TemplateRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateFile<'a> {
    reference: TemplateRef<'a>,
    loaded: Loaded<'a>,
}

impl<'a> TemplateFile<'a> {
    /// The file `reference` names, whose bytes are `bytes`: parsed here, once, for the
    /// script its field writes.
    pub fn load(reference: TemplateRef<'a>, bytes: &'a [u8]) -> Self {
        let parsed = match reference.slot.script() {
            Writes::Ipxe(script) => Template::parse(bytes, script).map(AnyTemplate::Ipxe),
            Writes::Classic(loader) => Template::parse(bytes, loader).map(AnyTemplate::Classic),
        };
        let loaded = match parsed {
            Ok(template) => Loaded::Template(template),
            Err(e) => Loaded::Invalid(e),
        };
        TemplateFile { reference, loaded }
    }

    /// The file `reference` names, which the front end could not read, for `reason`.
    pub fn unreadable(reference: TemplateRef<'a>, reason: &'a str) -> Self {
        TemplateFile {
            reference,
            loaded: Loaded::Unreadable(reason),
        }
    }

    /// Where the site first names it.
    pub fn reference(&self) -> &TemplateRef<'a> {
        &self.reference
    }

    /// What became of it.
    pub fn loaded(&self) -> &Loaded<'a> {
        &self.loaded
    }

    /// The template, if it is a valid one.
    pub fn template(&self) -> Option<&AnyTemplate<'a>> {
        match &self.loaded {
            Loaded::Template(t) => Some(t),
            Loaded::Invalid(_) | Loaded::Unreadable(_) => None,
        }
    }

    /// `true` when this is the file `slot` names for its script.
    pub fn is_for(&self, slot: &TemplateSlot<'_>) -> bool {
        self.reference.slot.script() == slot.script() && self.reference.slot.same_path(slot)
    }
}
