//! The form's data: the site as the operator edits it (every value a string, as typed), and
//! its conversion to and from the site document (JSON, schema 1).
//!
//! The conversion only moves values: it never judges them. An empty field is left out of the
//! document (the core applies its default or says the field is required); every other value
//! goes to the core as typed, which validates it and names the field at fault. Keys the form
//! has no input for (a node's `firmware`, `iscsi`, `hostname`, ...) are kept as they were
//! imported and written back unchanged.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The schema version of the documents this page writes.
pub const SCHEMA: u64 = 1;

/// The boot modes a node can have, as the site document spells them.
pub const MODES: [&str; 7] = [
    "deploy", "local", "ramdisk", "iso", "iscsi", "anaconda", "chain",
];

/// A site-level input of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SiteField {
    /// `http_server`.
    HttpServer,
    /// `http_root`.
    HttpRoot,
    /// `ipxe_boot_script`.
    BootScript,
    /// `tftp_server`.
    TftpServer,
    /// `tftp_root`.
    TftpRoot,
    /// `pxe_bootfile_name` (BIOS loader).
    PxeLoader,
    /// `uefi_x64_bootfile_name`.
    UefiX64Loader,
    /// `uefi_arm64_bootfile_name`.
    UefiArm64Loader,
    /// `per_mac_dir`.
    PerMacDir,
    /// `timeout_ms` (a number).
    TimeoutMs,
    /// `retries` (a number).
    Retries,
    /// `on_retries_exhausted`.
    OnRetriesExhausted,
    /// `ipxe_fallback_script`.
    FallbackScript,
    /// `kernel_args`.
    KernelArgs,
    /// `deploy_kernel`.
    DeployKernel,
    /// `deploy_ramdisk`.
    DeployRamdisk,
}

impl SiteField {
    /// Every site field, in the order the form shows them.
    pub const ALL: [SiteField; 16] = [
        SiteField::HttpServer,
        SiteField::HttpRoot,
        SiteField::BootScript,
        SiteField::TftpServer,
        SiteField::TftpRoot,
        SiteField::PxeLoader,
        SiteField::UefiX64Loader,
        SiteField::UefiArm64Loader,
        SiteField::PerMacDir,
        SiteField::TimeoutMs,
        SiteField::Retries,
        SiteField::OnRetriesExhausted,
        SiteField::FallbackScript,
        SiteField::KernelArgs,
        SiteField::DeployKernel,
        SiteField::DeployRamdisk,
    ];

    /// Its key in the site document.
    pub const fn key(self) -> &'static str {
        match self {
            SiteField::HttpServer => "http_server",
            SiteField::HttpRoot => "http_root",
            SiteField::BootScript => "ipxe_boot_script",
            SiteField::TftpServer => "tftp_server",
            SiteField::TftpRoot => "tftp_root",
            SiteField::PxeLoader => "pxe_bootfile_name",
            SiteField::UefiX64Loader => "uefi_x64_bootfile_name",
            SiteField::UefiArm64Loader => "uefi_arm64_bootfile_name",
            SiteField::PerMacDir => "per_mac_dir",
            SiteField::TimeoutMs => "timeout_ms",
            SiteField::Retries => "retries",
            SiteField::OnRetriesExhausted => "on_retries_exhausted",
            SiteField::FallbackScript => "ipxe_fallback_script",
            SiteField::KernelArgs => "kernel_args",
            SiteField::DeployKernel => "deploy_kernel",
            SiteField::DeployRamdisk => "deploy_ramdisk",
        }
    }

    /// The id of its `<input>` in the page.
    pub const fn input_id(self) -> &'static str {
        match self {
            SiteField::HttpServer => "http-server",
            SiteField::HttpRoot => "http-root",
            SiteField::BootScript => "boot-script",
            SiteField::TftpServer => "tftp-server",
            SiteField::TftpRoot => "tftp-root",
            SiteField::PxeLoader => "pxe-loader",
            SiteField::UefiX64Loader => "uefi-x64-loader",
            SiteField::UefiArm64Loader => "uefi-arm64-loader",
            SiteField::PerMacDir => "per-mac-dir",
            SiteField::TimeoutMs => "timeout-ms",
            SiteField::Retries => "retries",
            SiteField::OnRetriesExhausted => "on-retries-exhausted",
            SiteField::FallbackScript => "fallback-script",
            SiteField::KernelArgs => "kernel-args",
            SiteField::DeployKernel => "deploy-kernel",
            SiteField::DeployRamdisk => "deploy-ramdisk",
        }
    }

    /// Its label.
    pub const fn label(self) -> &'static str {
        match self {
            SiteField::HttpServer => "HTTP server",
            SiteField::HttpRoot => "HTTP root",
            SiteField::BootScript => "Main script name",
            SiteField::TftpServer => "TFTP server",
            SiteField::TftpRoot => "TFTP root",
            SiteField::PxeLoader => "BIOS loader",
            SiteField::UefiX64Loader => "UEFI x64 loader",
            SiteField::UefiArm64Loader => "UEFI ARM64 loader",
            SiteField::PerMacDir => "Per-MAC directory",
            SiteField::TimeoutMs => "Timeout (ms)",
            SiteField::Retries => "Retries",
            SiteField::OnRetriesExhausted => "When retries run out",
            SiteField::FallbackScript => "Fallback script",
            SiteField::KernelArgs => "Kernel arguments (all nodes)",
            SiteField::DeployKernel => "Deploy kernel",
            SiteField::DeployRamdisk => "Deploy ramdisk",
        }
    }

    /// Whether the document holds it as a number (when it is written as one).
    pub const fn is_number(self) -> bool {
        matches!(self, SiteField::TimeoutMs | SiteField::Retries)
    }

    fn from_key(key: &str) -> Option<Self> {
        SiteField::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// An input of a node's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeField {
    /// `id`.
    Id,
    /// `nics`, as MACs separated by commas or spaces; `!` before a MAC marks a NIC that must
    /// not network boot (`{"mac": ..., "pxe": false}`).
    Macs,
    /// `mode`.
    Mode,
    /// `kernel`.
    Kernel,
    /// `ramdisk`.
    Ramdisk,
    /// `iso`.
    Iso,
    /// `url` (chain).
    Url,
    /// `kickstart`.
    Kickstart,
    /// `repo`.
    Repo,
    /// The node's own `kernel_args`.
    KernelArgs,
}

impl NodeField {
    /// Every node field, in the order a row shows them.
    pub const ALL: [NodeField; 10] = [
        NodeField::Id,
        NodeField::Macs,
        NodeField::Mode,
        NodeField::Kernel,
        NodeField::Ramdisk,
        NodeField::Iso,
        NodeField::Url,
        NodeField::Kickstart,
        NodeField::Repo,
        NodeField::KernelArgs,
    ];

    /// Its key in a node of the site document, and the `name` of its input.
    pub const fn key(self) -> &'static str {
        match self {
            NodeField::Id => "id",
            NodeField::Macs => "macs",
            NodeField::Mode => "mode",
            NodeField::Kernel => "kernel",
            NodeField::Ramdisk => "ramdisk",
            NodeField::Iso => "iso",
            NodeField::Url => "url",
            NodeField::Kickstart => "kickstart",
            NodeField::Repo => "repo",
            NodeField::KernelArgs => "kernel_args",
        }
    }

    /// Its column heading.
    pub const fn label(self) -> &'static str {
        match self {
            NodeField::Id => "Id",
            NodeField::Macs => "MACs",
            NodeField::Mode => "Mode",
            NodeField::Kernel => "Kernel",
            NodeField::Ramdisk => "Ramdisk",
            NodeField::Iso => "ISO",
            NodeField::Url => "Chain URL",
            NodeField::Kickstart => "Kickstart",
            NodeField::Repo => "Repo",
            NodeField::KernelArgs => "Kernel arguments",
        }
    }

    /// Whether a node of `mode` takes this field (the row shows the others only when set).
    pub fn used_by(self, mode: &str) -> bool {
        match self {
            NodeField::Id | NodeField::Macs | NodeField::Mode | NodeField::KernelArgs => true,
            NodeField::Kernel | NodeField::Ramdisk => {
                matches!(mode, "deploy" | "ramdisk" | "anaconda")
            }
            NodeField::Iso => mode == "iso",
            NodeField::Url => mode == "chain",
            NodeField::Kickstart | NodeField::Repo => mode == "anaconda",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        match key {
            "nics" => None,
            _ => NodeField::ALL
                .into_iter()
                .find(|f| *f != NodeField::Macs && f.key() == key),
        }
    }
}

/// One node as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeForm {
    /// The values as typed (an absent field is empty).
    pub values: BTreeMap<NodeField, String>,
    /// Keys the form has no input for, kept as imported.
    pub extra: Map<String, Value>,
}

impl NodeForm {
    /// A new node with this id, booting `mode`, no MACs yet.
    pub fn new(id: &str, mode: &str) -> Self {
        let mut node = NodeForm::default();
        node.set(NodeField::Id, id.to_owned());
        node.set(NodeField::Mode, mode.to_owned());
        node
    }

    /// The value of `field` (empty when unset).
    pub fn get(&self, field: NodeField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: NodeField, value: String) {
        self.values.insert(field, value);
    }
}

/// The site as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteForm {
    /// The site values as typed (an absent field is empty).
    pub values: BTreeMap<SiteField, String>,
    /// The nodes, in order (shared so an unchanged row is not copied or re-rendered).
    pub nodes: Vec<Rc<NodeForm>>,
    /// Site keys the form has no input for, kept as imported.
    pub extra: Map<String, Value>,
}

impl SiteForm {
    /// The value of `field` (empty when unset).
    pub fn get(&self, field: SiteField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: SiteField, value: String) {
        self.values.insert(field, value);
    }

    /// The site document for this form (pretty-printed JSON, keys in a fixed order): the
    /// document the preview, the DHCP configs and the tar are made from, and the one exported.
    pub fn to_document(&self) -> String {
        let mut site = self.extra.clone();
        site.insert("schema".into(), Value::from(SCHEMA));
        for field in SiteField::ALL {
            let value = self.get(field);
            let required = matches!(field, SiteField::HttpServer | SiteField::HttpRoot);
            if value.is_empty() && !required {
                continue;
            }
            site.insert(field.key().into(), text_value(value, field.is_number()));
        }
        let nodes = self.nodes.iter().map(|n| node_value(n)).collect();
        site.insert("nodes".into(), Value::Array(nodes));
        // Serializing a `Value` cannot fail (all keys are strings).
        serde_json::to_string_pretty(&Value::Object(site)).unwrap_or_default() + "\n"
    }

    /// Reads a site document into a form. Values are taken as they are (the core judges them
    /// later); only a document the form cannot hold is refused.
    ///
    /// # Errors
    /// A message naming what the form cannot hold: JSON that does not parse, a document that
    /// is not an object, a schema other than 1, `nodes` or a node or a NIC of the wrong shape.
    pub fn from_document(text: &str) -> Result<Self, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not a site document: {e}"))?;
        let Value::Object(object) = value else {
            return Err("not a site document: the JSON is not an object".into());
        };
        let mut form = SiteForm::default();
        for (key, value) in object {
            if key == "schema" {
                if value.as_u64() != Some(SCHEMA) {
                    return Err(format!(
                        "schema: this page reads schema {SCHEMA}, not {value}"
                    ));
                }
            } else if key == "nodes" {
                let Value::Array(nodes) = value else {
                    return Err("nodes: not an array".into());
                };
                for (i, node) in nodes.into_iter().enumerate() {
                    form.nodes.push(Rc::new(node_form(i, node)?));
                }
            } else if let Some(field) = SiteField::from_key(&key) {
                form.set(field, value_text(value));
            } else {
                form.extra.insert(key, value);
            }
        }
        Ok(form)
    }
}

/// A typed value as a JSON value: a number for number fields that parse as one, else a
/// string (which the core refuses for a number field, naming it).
fn text_value(value: &str, number: bool) -> Value {
    if number && let Ok(n) = value.parse::<u64>() {
        return Value::from(n);
    }
    Value::from(value)
}

/// A JSON value as the form shows it: a string as it is, anything else as JSON text.
fn value_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The MACs of a node's field: separated by commas or whitespace, `!` before a MAC for a NIC
/// that must not network boot.
pub fn mac_tokens(macs: &str) -> impl Iterator<Item = (&str, bool)> {
    macs.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| match t.strip_prefix('!') {
            Some(mac) => (mac, false),
            None => (t, true),
        })
}

fn node_value(node: &NodeForm) -> Value {
    let mut object = node.extra.clone();
    for field in NodeField::ALL {
        let value = node.get(field);
        match field {
            NodeField::Macs => {
                let nics = mac_tokens(value)
                    .map(|(mac, pxe)| {
                        if pxe {
                            Value::from(mac)
                        } else {
                            let mut nic = Map::new();
                            nic.insert("mac".into(), Value::from(mac));
                            nic.insert("pxe".into(), Value::Bool(false));
                            Value::Object(nic)
                        }
                    })
                    .collect();
                object.insert("nics".into(), Value::Array(nics));
            }
            NodeField::Id | NodeField::Mode => {
                object.insert(field.key().into(), Value::from(value));
            }
            _ if value.is_empty() => {}
            _ => {
                object.insert(field.key().into(), Value::from(value));
            }
        }
    }
    Value::Object(object)
}

fn node_form(index: usize, value: Value) -> Result<NodeForm, String> {
    let Value::Object(object) = value else {
        return Err(format!("nodes[{index}]: not an object"));
    };
    let mut node = NodeForm::default();
    for (key, value) in object {
        if key == "nics" {
            let Value::Array(nics) = value else {
                return Err(format!("nodes[{index}].nics: not an array"));
            };
            let mut macs = Vec::new();
            for (j, nic) in nics.into_iter().enumerate() {
                macs.push(nic_text(nic).ok_or_else(|| {
                    format!("nodes[{index}].nics[{j}]: not a MAC string or {{\"mac\", \"pxe\"}}")
                })?);
            }
            node.set(NodeField::Macs, macs.join(", "));
        } else if let Some(field) = NodeField::from_key(&key) {
            node.set(field, value_text(value));
        } else {
            node.extra.insert(key, value);
        }
    }
    Ok(node)
}

/// A NIC as the MACs field spells it, or `None` for a shape the field cannot hold.
fn nic_text(nic: Value) -> Option<String> {
    match nic {
        Value::String(mac) => Some(mac),
        Value::Object(object) => {
            let mac = object.get("mac")?.as_str()?;
            let pxe = match object.get("pxe") {
                None => true,
                Some(pxe) => pxe.as_bool()?,
            };
            let known = object.keys().all(|k| k == "mac" || k == "pxe");
            (known && !mac.starts_with('!')).then(|| {
                if pxe {
                    mac.to_owned()
                } else {
                    format!("!{mac}")
                }
            })
        }
        _ => None,
    }
}
