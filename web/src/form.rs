//! The form's data: the site as the operator edits it (every value a string, as typed), and
//! its conversion to and from the site document (JSON, schema 1).
//!
//! Which fields there are, what they are called and what kind of value each holds is the
//! core's schema table ([`ipxegen_core::schema::FIELDS`]): every field it marks `form` has an
//! editor, so every key of an imported document is shown and can be changed.
//!
//! The conversion only moves values: it never judges them. An empty field is left out of the
//! document (the core applies its default or says the field is required); every other value
//! goes to the core as typed, which validates it and names the field at fault. Keys the
//! schema does not know are kept as imported (the core reports each, naming it).

use crate::json::{self, Object, Value};
use ipxegen_core::model::Mode;
use ipxegen_core::schema::{Flows, Kind, Scope, fields_of};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The schema version of the documents this page writes.
pub const SCHEMA: u64 = 1;

pub use ipxegen_core::Field;
pub use ipxegen_core::schema::FieldInfo;

/// The boot modes a node can have, as the site document spells them (the core's list).
pub const MODES: [&str; Mode::WORDS.len()] = Mode::WORDS;

/// The fields of `scope` edited by one input each (the lists have editors of their own).
pub fn fields(scope: Scope) -> impl Iterator<Item = &'static FieldInfo> {
    fields_of(scope)
        .iter()
        .filter(|info| info.form && info.kind != Kind::List)
}

/// The site fields with one input each, in the schema's order.
pub fn site_fields() -> impl Iterator<Item = &'static FieldInfo> {
    fields(Scope::Site)
}

/// The node fields with one input each (the MACs, as text, among them), in the schema's
/// order.
pub fn node_fields() -> impl Iterator<Item = &'static FieldInfo> {
    fields_of(Scope::Node)
        .iter()
        .filter(|info| info.form && (info.kind != Kind::List || info.field == Field::Nics))
}

/// The id of a site field's `<input>`: its key with `-` for `_` (`http-server`).
pub fn input_id(field: Field) -> String {
    field.key().replace('_', "-")
}

/// A field's label (the schema's).
pub fn label(field: Field) -> &'static str {
    field.info().map_or("", |info| info.label)
}

/// Whether a node of `mode` takes `field`.
pub fn used_by(field: Field, mode: &str) -> bool {
    let modes = field.modes();
    modes.is_all() || Mode::from_word(mode).is_some_and(|m| modes.contains(m))
}

/// Whether a site booting through iPXE (`ipxe`) or the classic flow takes `field`.
pub fn in_flow(field: Field, ipxe: bool) -> bool {
    match field.flows() {
        Flows::Both => true,
        Flows::Ipxe => ipxe,
        Flows::Classic => !ipxe,
    }
}

/// Whether the site boots through iPXE as its checkbox shows it (ticked unless the value is
/// `false`), which decides the fields of one flow the form shows.
pub fn ipxe_flow(site: &SiteForm) -> bool {
    site.get(Field::IpxeEnabled) != "false"
}

/// The values of one object (a site, a node, an iSCSI target) as typed: an absent field is
/// empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values(pub BTreeMap<Field, String>);

impl Values {
    /// The value of `field` (empty when unset).
    pub fn get(&self, field: Field) -> &str {
        self.0.get(&field).map_or("", String::as_str)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: String) {
        self.0.insert(field, value);
    }
}

/// One node as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeForm {
    /// The values as typed; the MACs as one text ([`mac_tokens`]).
    pub values: Values,
    /// Its iSCSI targets, in order (drive 0x80 first).
    pub iscsi: Vec<Values>,
    /// Keys the schema does not know, kept as imported.
    pub extra: Object,
}

impl NodeForm {
    /// A new node with this id, booting `mode`, no MACs yet.
    pub fn new(id: &str, mode: &str) -> Self {
        let mut node = NodeForm::default();
        node.set(Field::NodeId, id.to_owned());
        node.set(Field::Mode, mode.to_owned());
        node
    }

    /// The value of `field` (empty when unset).
    pub fn get(&self, field: Field) -> &str {
        self.values.get(field)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: String) {
        self.values.set(field, value);
    }
}

/// The site as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteForm {
    /// The site values as typed (an absent field is empty).
    pub values: Values,
    /// The nodes, in order (shared so an unchanged row is not copied or re-rendered).
    pub nodes: Vec<Rc<NodeForm>>,
    /// Site keys the schema does not know, kept as imported.
    pub extra: Object,
}

impl SiteForm {
    /// The value of `field` (empty when unset).
    pub fn get(&self, field: Field) -> &str {
        self.values.get(field)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: String) {
        self.values.set(field, value);
    }

    /// The site document for this form (pretty-printed JSON, keys in a fixed order): the
    /// document the preview, the DHCP configs and the tar are made from, and the one exported.
    pub fn to_document(&self) -> String {
        self.document_of(self.nodes.iter())
    }

    /// The document of this site with only `nodes` (e.g. the nodes that have no errors).
    pub fn document_of<'a>(&self, nodes: impl Iterator<Item = &'a Rc<NodeForm>>) -> String {
        let mut site = self.extra.clone();
        site.insert("schema".into(), Value::from(SCHEMA));
        for info in site_fields() {
            let value = self.get(info.field);
            let required = matches!(info.field, Field::HttpServer | Field::HttpRoot);
            if value.is_empty() && !required {
                continue;
            }
            site.insert(info.key.into(), text_value(value, info.kind));
        }
        let nodes = nodes.map(|n| node_value(n)).collect();
        site.insert("nodes".into(), Value::Array(nodes));
        Value::Object(site).to_pretty() + "\n"
    }

    /// Reads a site document into a form. Values are taken as they are (the core judges them
    /// later); only a document the form cannot hold is refused.
    ///
    /// # Errors
    /// A message naming what the form cannot hold: JSON that does not parse, a document that
    /// is not an object, a schema other than 1, `nodes` or a node, a NIC or an iSCSI target
    /// of the wrong shape.
    pub fn from_document(text: &str) -> Result<Self, String> {
        let value = json::parse(text)
            .map_err(|e| format!("not a site document: {}", json::describe(text, &e)))?;
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
            } else if let Some(field) = field_of_key(Scope::Site, &key) {
                form.set(field, value_text(value));
            } else {
                form.extra.insert(key, value);
            }
        }
        Ok(form)
    }
}

/// The field of `scope` whose key is `key`, when it has an input of its own (the MACs text
/// among them; not `schema`, `nodes` or `iscsi`, which the reader takes itself).
fn field_of_key(scope: Scope, key: &str) -> Option<Field> {
    Field::from_key(scope, key.as_bytes()).filter(|field| {
        field
            .info()
            .is_some_and(|info| info.form && (info.kind != Kind::List || info.field == Field::Nics))
    })
}

/// A typed value as a JSON value: a number for number fields that parse as one, `true` or
/// `false` for flags, else a string (which the core refuses for a number or a flag, naming
/// the field).
fn text_value(value: &str, kind: Kind) -> Value {
    match kind {
        Kind::Number => value
            .parse::<u64>()
            .map_or_else(|_| value.into(), Value::from),
        Kind::Flag => value
            .parse::<bool>()
            .map_or_else(|_| value.into(), Value::Bool),
        _ => Value::from(value),
    }
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

/// The MACs text with NIC `index`'s network boot flag (`pxe`) set to `pxe`.
pub fn with_pxe(macs: &str, index: usize, pxe: bool) -> String {
    let tokens: Vec<String> = mac_tokens(macs)
        .enumerate()
        .map(|(i, (mac, was))| {
            let boots = if i == index { pxe } else { was };
            if boots {
                mac.to_owned()
            } else {
                format!("!{mac}")
            }
        })
        .collect();
    tokens.join(", ")
}

fn node_value(node: &NodeForm) -> Value {
    let mut object = node.extra.clone();
    for info in node_fields() {
        let field = info.field;
        let value = node.get(field);
        match field {
            Field::Nics => {
                let nics = mac_tokens(value)
                    .map(|(mac, pxe)| {
                        if pxe {
                            Value::from(mac)
                        } else {
                            let mut nic = Object::new();
                            nic.insert("mac".into(), Value::from(mac));
                            nic.insert("pxe".into(), Value::Bool(false));
                            Value::Object(nic)
                        }
                    })
                    .collect();
                object.insert("nics".into(), Value::Array(nics));
            }
            Field::NodeId | Field::Mode => {
                object.insert(field.key().into(), Value::from(value));
            }
            _ if value.is_empty() => {}
            _ => {
                object.insert(field.key().into(), text_value(value, info.kind));
            }
        }
    }
    if !node.iscsi.is_empty() {
        let targets = node.iscsi.iter().map(|target| {
            let mut object = Object::new();
            for info in fields(Scope::IscsiTarget) {
                let value = target.get(info.field);
                if !value.is_empty() {
                    object.insert(info.key.into(), text_value(value, info.kind));
                }
            }
            Value::Object(object)
        });
        object.insert("iscsi".into(), Value::Array(targets.collect()));
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
            node.set(Field::Nics, macs.join(", "));
        } else if key == "iscsi" {
            let Value::Array(targets) = value else {
                return Err(format!("nodes[{index}].iscsi: not an array"));
            };
            for (j, target) in targets.into_iter().enumerate() {
                node.iscsi.push(iscsi_form(target).ok_or_else(|| {
                    format!(
                        "nodes[{index}].iscsi[{j}]: not an object of server, port, lun, iqn, \
                         username, password"
                    )
                })?);
            }
        } else if let Some(field) = field_of_key(Scope::Node, &key) {
            node.set(field, value_text(value));
        } else {
            node.extra.insert(key, value);
        }
    }
    Ok(node)
}

/// An iSCSI target as the form holds it, or `None` for a shape it cannot hold (not an
/// object, or a key an iSCSI target does not have).
fn iscsi_form(target: Value) -> Option<Values> {
    let Value::Object(object) = target else {
        return None;
    };
    let mut values = Values::default();
    for (key, value) in object {
        values.set(field_of_key(Scope::IscsiTarget, &key)?, value_text(value));
    }
    Some(values)
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
