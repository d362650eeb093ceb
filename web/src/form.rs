//! The form's data: the site as the operator edits it (every value a string, as typed), and
//! its conversion to and from the site document (JSON, schema 1).
//!
//! The conversion only moves values: it never judges them. An empty field is left out of the
//! document (the core applies its default or says the field is required); every other value
//! goes to the core as typed, which validates it and names the field at fault. Keys the form
//! has no input for (a node's `firmware`, `iscsi`, `hostname`, ...) are kept as they were
//! imported and written back unchanged.

use ipxegen_core::model::Mode;
use ipxegen_core::schema::{FieldInfo, Kind, Scope, fields_of};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The schema version of the documents this page writes.
pub const SCHEMA: u64 = 1;

pub use ipxegen_core::Field;

/// The boot modes a node can have, as the site document spells them (the core's list).
pub const MODES: [&str; Mode::WORDS.len()] = Mode::WORDS;

/// The site fields the form has an input for, in the schema's order.
pub fn site_fields() -> impl Iterator<Item = &'static FieldInfo> {
    fields_of(Scope::Site).iter().filter(|info| info.form)
}

/// The node fields the form has an input for, in the schema's order.
pub fn node_fields() -> impl Iterator<Item = &'static FieldInfo> {
    fields_of(Scope::Node).iter().filter(|info| info.form)
}

/// The schema row of a field the form shows.
fn info(field: Field) -> Option<&'static FieldInfo> {
    field.info().filter(|info| info.form)
}

/// The id of a site field's `<input>`: its key with `-` for `_` (`http-server`).
pub fn input_id(field: Field) -> String {
    field.key().replace('_', "-")
}

/// A field's label (the schema's).
pub fn label(field: Field) -> &'static str {
    field.info().map_or("", |info| info.label)
}

/// Whether a node of `mode` takes `field` (the row shows the others only when set).
pub fn used_by(field: Field, mode: &str) -> bool {
    let modes = field.modes();
    modes.is_all() || Mode::from_word(mode).is_some_and(|m| modes.contains(m))
}

/// Whether the document holds `field` as a number (when it is written as one).
fn is_number(field: Field) -> bool {
    info(field).is_some_and(|info| info.kind == Kind::Number)
}

/// The site field the form shows for `key`.
fn site_field_of_key(key: &str) -> Option<Field> {
    site_fields()
        .find(|info| info.key == key)
        .map(|info| info.field)
}

/// The node field the form shows for `key` (`nics` is read by [`node_form`] itself).
fn node_field_of_key(key: &str) -> Option<Field> {
    node_fields()
        .find(|info| info.key == key && info.field != Field::Nics)
        .map(|info| info.field)
}

/// One node as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeForm {
    /// The values as typed (an absent field is empty).
    pub values: BTreeMap<Field, String>,
    /// Keys the form has no input for, kept as imported.
    pub extra: Map<String, Value>,
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
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: String) {
        self.values.insert(field, value);
    }
}

/// The site as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteForm {
    /// The site values as typed (an absent field is empty).
    pub values: BTreeMap<Field, String>,
    /// The nodes, in order (shared so an unchanged row is not copied or re-rendered).
    pub nodes: Vec<Rc<NodeForm>>,
    /// Site keys the form has no input for, kept as imported.
    pub extra: Map<String, Value>,
}

impl SiteForm {
    /// The value of `field` (empty when unset).
    pub fn get(&self, field: Field) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Sets `field` to `value`.
    pub fn set(&mut self, field: Field, value: String) {
        self.values.insert(field, value);
    }

    /// The site document for this form (pretty-printed JSON, keys in a fixed order): the
    /// document the preview, the DHCP configs and the tar are made from, and the one exported.
    pub fn to_document(&self) -> String {
        let mut site = self.extra.clone();
        site.insert("schema".into(), Value::from(SCHEMA));
        for info in site_fields() {
            let value = self.get(info.field);
            let required = matches!(info.field, Field::HttpServer | Field::HttpRoot);
            if value.is_empty() && !required {
                continue;
            }
            site.insert(info.key.into(), text_value(value, is_number(info.field)));
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
            } else if let Some(field) = site_field_of_key(&key) {
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
                            let mut nic = Map::new();
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
                object.insert(field.key().into(), text_value(value, is_number(field)));
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
            node.set(Field::Nics, macs.join(", "));
        } else if let Some(field) = node_field_of_key(&key) {
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
