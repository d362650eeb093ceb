//! The site document (JSON), read without copying.
//!
//! [`Site::parse`] reads and validates the top-level object into a [`SiteConfig`] and keeps
//! the `nodes` array as a byte range; [`Site::nodes`] reads and validates one node at a time,
//! so memory does not grow with the number of nodes. Every value is validated on the way in,
//! and what comes out borrows the document: a [`Node`] holds slices of it and a few small
//! copied values (MACs, numbers, words), so it is a few hundred bytes whatever the site.
//!
//! A site whose every node was read once can be walked again any number of times without
//! validating anything: [`CheckedSite::nodes`] only locates each value.
//!
//! ```json
//! { "schema": 1, "http_server": "192.0.2.10:8080", "http_root": "/srv/http",
//!   "nodes": [ { "id": "node1", "nics": ["52:54:00:12:34:56"], "mode": "deploy",
//!                "kernel": "/srv/images/ipa.kernel", "ramdisk": "/srv/images/ipa.initramfs" } ] }
//! ```

mod check;
mod read;

use crate::error::{Error, ErrorKind, Field, Result};
use crate::json::{self, Items, Value};
use crate::model::{LocalPath, MacAddr, Node, SiteConfig, TemplateFile, TemplateRef, TemplateSlot};
use read::{Checks, Reader, read_config, read_node};

pub use check::{
    CheckEvent, FixedSeen, Holder, Problem, Refused, RescanSeen, SeenFull, SeenValues, Unique,
};
pub use read::SCHEMA_VERSION;

/// A parsed site: its validated settings and its (not yet read) nodes.
#[derive(Clone, Debug)]
pub struct Site<'a> {
    config: SiteConfig<'a>,
    nodes: Option<Value<'a>>,
}

impl<'a> Site<'a> {
    /// Parses and validates the site settings of `doc`. Nodes are read later, one at a time.
    ///
    /// # Errors
    /// The first problem found, with its field and byte offset.
    pub fn parse(doc: &'a [u8]) -> Result<Self> {
        let (root, known) = json::document_with_ends(doc)?;
        let (config, nodes) = read_config(root, &known)?;
        Ok(Site { config, nodes })
    }

    /// The validated site settings.
    pub fn config(&self) -> &SiteConfig<'a> {
        &self.config
    }

    /// The template files the site names, for a front end to load: the site's fields
    /// (`ipxe_boot_script_template`, `ipxe_config_template`; in the classic flow
    /// `pxe_config_template`, `grub_config_template`), then each node's own, in document
    /// order. A file named several times is given each
    /// time (the first is where a problem of the file is reported; see
    /// [`TemplateRef::same_file`]). A node's path that is not a valid path is left out: the
    /// check reports it.
    pub fn template_refs(&self) -> TemplateRefs<'a, '_> {
        TemplateRefs {
            config: &self.config,
            site_fields: 0,
            nodes: self.nodes.and_then(|v| v.elements().ok()),
            index: 0,
            pending: None,
        }
    }

    /// The same site, with the template files a front end loaded for it (see
    /// [`crate::model::TemplateFile`]): its scripts are then written from them, and
    /// [`Site::check_with`] checks them.
    #[must_use]
    pub fn with_templates(mut self, files: &'a [TemplateFile<'a>]) -> Self {
        self.config.templates = files;
        self
    }

    /// The nodes, read and validated one at a time, in document order.
    pub fn nodes(&self) -> Nodes<'a, '_> {
        Nodes::new(&self.config, self.nodes, Checks::Full)
    }

    /// The node with this id (the first, if several have it).
    ///
    /// # Errors
    /// The first invalid node met on the way, or [`ErrorKind::NodeNotFound`].
    pub fn node_by_id(&self, id: &str) -> Result<Node<'a>> {
        find(self.nodes(), |node| node.id.as_str() == id)
    }

    /// The node with a NIC of this MAC address (the first, if several have one).
    ///
    /// # Errors
    /// The first invalid node met on the way, or [`ErrorKind::NodeNotFound`].
    pub fn node_by_mac(&self, mac: MacAddr) -> Result<Node<'a>> {
        find(self.nodes(), |node| {
            node.nics.iter().any(|nic| nic.mac == mac)
        })
    }

    /// The `id` of node `index` as written, if it is a plain string: names a node in an error
    /// even when the node itself is invalid.
    pub fn raw_node_id(&self, index: usize) -> Option<&'a str> {
        let node = self.nodes?.elements().ok()?.nth(index)?.ok()?;
        read::raw_id(&node)
    }
}

// Always inlined: a caller's frame holds the one `Node` it returns, not a second frame with
// copies of it (1 KB on the Cortex-M0, on the deepest path of a render).
#[inline(always)]
fn find<'a>(
    nodes: impl Iterator<Item = Result<Node<'a>>>,
    wanted: impl Fn(&Node<'a>) -> bool,
) -> Result<Node<'a>> {
    for node in nodes {
        let node = node?;
        if wanted(&node) {
            return Ok(node);
        }
    }
    Err(Error::at(ErrorKind::NodeNotFound, Field::Selector))
}

/// A site whose nodes have all been read and validated: walking it again validates nothing.
#[derive(Clone, Debug)]
pub struct CheckedSite<'a> {
    site: Site<'a>,
    count: usize,
}

impl<'a> CheckedSite<'a> {
    /// The validated site settings.
    pub fn config(&self) -> &SiteConfig<'a> {
        &self.site.config
    }

    /// The site it was checked from.
    pub fn site(&self) -> &Site<'a> {
        &self.site
    }

    /// How many nodes there are.
    pub fn node_count(&self) -> usize {
        self.count
    }

    /// The nodes, in document order, read without validating again. A node cannot fail to
    /// read; an error would be an internal one ([`ErrorKind::Internal`]).
    pub fn nodes(&self) -> Nodes<'a, '_> {
        Nodes::new(&self.site.config, self.site.nodes, Checks::Trusted)
    }

    /// The node with this id.
    ///
    /// # Errors
    /// [`ErrorKind::NodeNotFound`].
    #[inline(always)]
    pub fn node_by_id(&self, id: &str) -> Result<Node<'a>> {
        find(self.nodes(), |node| node.id.as_str() == id)
    }

    /// The node with a NIC of this MAC address.
    ///
    /// # Errors
    /// [`ErrorKind::NodeNotFound`].
    pub fn node_by_mac(&self, mac: MacAddr) -> Result<Node<'a>> {
        find(self.nodes(), |node| {
            node.nics.iter().any(|nic| nic.mac == mac)
        })
    }
}

/// The template files a site names: see [`Site::template_refs`].
pub struct TemplateRefs<'a, 's> {
    config: &'s SiteConfig<'a>,
    /// How many of the site's own fields were given.
    site_fields: u8,
    nodes: Option<Items<'a>>,
    index: usize,
    /// A node's second template (its GRUB config's), to give next.
    pending: Option<TemplateRef<'a>>,
}

impl<'a> Iterator for TemplateRefs<'a, '_> {
    type Item = TemplateRef<'a>;

    fn next(&mut self) -> Option<TemplateRef<'a>> {
        if let Some(pending) = self.pending.take() {
            return Some(pending);
        }
        while self.site_fields < 3 {
            let slot = match self.site_fields {
                0 => self.config.boot_script_template,
                1 => self.config.config_template,
                _ => self.config.grub_config_template,
            };
            self.site_fields += 1;
            if let Some(slot) = slot {
                return Some(TemplateRef { slot, node: None });
            }
        }
        let nodes = self.nodes.as_mut()?;
        loop {
            let node = nodes.next()?;
            let index = self.index;
            self.index += 1;
            let Ok(node) = node else { continue };
            let at = u32::try_from(index).ok();
            let reference =
                |field| node_template_slot(&node, field).map(|slot| TemplateRef { slot, node: at });
            let (config, grub) = if self.config.ipxe_enabled {
                (reference(Field::NodeIpxeConfigTemplate), None)
            } else {
                (
                    reference(Field::NodePxeConfigTemplate),
                    reference(Field::NodeGrubConfigTemplate),
                )
            };
            match (config, grub) {
                (Some(first), second) => {
                    self.pending = second;
                    return Some(first);
                }
                (None, Some(only)) => return Some(only),
                (None, None) => {}
            }
        }
    }
}

/// A node object's own template field `field`, if it is a valid path (read as written: the
/// node itself is checked later).
fn node_template_slot<'a>(node: &Value<'a>, field: Field) -> Option<TemplateSlot<'a>> {
    let value = node
        .members()
        .ok()?
        .filter_map(|m| m.ok())
        .find(|m| m.key == field.key().as_bytes())?
        .value;
    let path = LocalPath::read(value.string().ok()?).ok()?;
    Some(TemplateSlot {
        path,
        field,
        offset: u32::try_from(value.offset()).ok()?,
    })
}

/// Iterator over the nodes of a site; see [`Site::nodes`] and [`CheckedSite::nodes`].
pub struct Nodes<'a, 's> {
    items: Option<Items<'a>>,
    index: usize,
    config: &'s SiteConfig<'a>,
    reader: Reader,
}

impl<'a, 's> Nodes<'a, 's> {
    fn new(config: &'s SiteConfig<'a>, nodes: Option<Value<'a>>, checks: Checks) -> Self {
        Nodes {
            items: nodes.and_then(|v| v.elements().ok()),
            index: 0,
            config,
            reader: Reader { checks },
        }
    }
}

impl<'a> Nodes<'a, '_> {
    /// The next node, and when it cannot be read, its `id` as written (if a plain string).
    pub(crate) fn next_with_raw_id(&mut self) -> Option<(Result<Node<'a>>, Option<&'a str>)> {
        let items = self.items.as_mut()?;
        let item = items.next_lazy()?;
        let index = self.index;
        self.index += 1;
        let checks = self.reader.checks;
        let (node, raw_id) = match item {
            Ok(value) => match read_node(self.reader, &value, self.config) {
                Ok((node, end)) => {
                    items.resume_after(end);
                    (Ok(node), None)
                }
                Err(e) => (Err(e), read::raw_id(&value)),
            },
            Err(e) => (Err(e), None),
        };
        let node = node.map_err(|e| match checks {
            Checks::Full => e.in_node(index),
            Checks::Trusted => Error::new(ErrorKind::Internal).in_node(index),
        });
        Some((node, raw_id))
    }
}

impl<'a> Iterator for Nodes<'a, '_> {
    type Item = Result<Node<'a>>;

    // Always inlined, as `find`: no frame of its own holding a copy of the node.
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        self.next_with_raw_id().map(|(node, _)| node)
    }
}

/// The `id` of node `index` as written in `doc`, if it is a plain string: lets a front end
/// name a node in an error even when the node itself is invalid (or the site's settings are).
pub fn raw_node_id(doc: &[u8], index: usize) -> Option<&str> {
    let root = json::document(doc).ok()?;
    let nodes = root
        .members()
        .ok()?
        .filter_map(|m| m.ok())
        .find(|m| m.key == b"nodes")?
        .value;
    let node = nodes.elements().ok()?.nth(index)?.ok()?;
    read::raw_id(&node)
}
