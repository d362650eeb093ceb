//! The JSON values the page holds (a site document's keys it keeps as imported, the templates
//! it stores), read by the core's walker ([`ipxegen_core::json`]) and written with the core's
//! string encoder.
//!
//! An object keeps each key once (the last one given wins) and in sorted order, so a document
//! is written with its keys in a fixed order whatever order they were imported in. A number
//! keeps its text as written: it is exported exactly as imported.

use ipxegen_core::json::string::write_json_string;
use ipxegen_core::json::{self as walk, Kind};
use ipxegen_core::model::JsonStr;
use ipxegen_core::template::line_and_column;
use ipxegen_core::{Error, ErrorKind};
use std::fmt;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string (decoded).
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// The members of a JSON object: each key once, in sorted (byte) order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object::default()
    }

    /// Sets `key` to `value`, replacing the value it had.
    pub fn insert(&mut self, key: String, value: Value) {
        match self
            .0
            .binary_search_by(|(k, _)| k.as_str().cmp(key.as_str()))
        {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let i = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// `true` when the object has no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl IntoIterator for Object {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(String, Value)> for Object {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut object = Object::new();
        for (key, value) in members {
            object.insert(key, value);
        }
        object
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.to_string())
    }
}

impl Value {
    /// The value as an unsigned integer, when it is a whole number from 0 to `u64::MAX`
    /// written without a fraction or an exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The value of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value as pretty-printed JSON: two spaces of indent per level, `"key": value`, an
    /// empty array `[]` and an empty object `{}`; no newline at the end.
    pub fn to_pretty(&self) -> String {
        let mut out = Vec::new();
        write(&mut out, self, Some(0));
        String::from_utf8(out).unwrap_or_default()
    }
}

impl fmt::Display for Value {
    /// The value as compact JSON (no whitespace).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        write(&mut out, self, None);
        f.write_str(&String::from_utf8(out).unwrap_or_default())
    }
}

/// Reads a JSON document.
///
/// # Errors
/// The core's error for JSON that does not parse (with its byte offset: see [`describe`]).
pub fn parse(text: &str) -> Result<Value, Error> {
    value(walk::document(text.as_bytes())?)
}

/// A JSON error of `text` as a message naming its place: `unexpected character at line 3
/// column 5`.
pub fn describe(text: &str, error: &Error) -> String {
    let what = match error.kind {
        ErrorKind::Json(e) => e.to_string(),
        other => other.to_string(),
    };
    match error.offset.and_then(|o| usize::try_from(o).ok()) {
        Some(offset) => {
            let (line, column) = line_and_column(text.as_bytes(), offset);
            format!("{what} at line {line} column {column}")
        }
        None => what,
    }
}

/// A JSON object of strings as a map (`None` for any other JSON, or text that is not JSON).
pub fn string_map(text: &str) -> Option<std::collections::BTreeMap<String, String>> {
    let Value::Object(object) = parse(text).ok()? else {
        return None;
    };
    object
        .into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            _ => None,
        })
        .collect()
}

fn decoded(text: JsonStr<'_>) -> String {
    text.plain().map_or_else(|| text.to_string(), str::to_owned)
}

/// The value the walker found, and everything in it, checked and decoded. The walker has
/// bounded the nesting (`JSON_DEPTH_MAX`), and so the recursion.
fn value(v: walk::Value<'_>) -> Result<Value, Error> {
    Ok(match v.kind()? {
        Kind::Null => Value::Null,
        Kind::Bool => Value::Bool(v.bool()?),
        Kind::Number => Value::Number(v.number()?.to_owned()),
        Kind::String => Value::String(decoded(v.checked_string()?)),
        Kind::Array => Value::Array(
            v.elements()?
                .map(|item| value(item?))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Object => {
            let mut object = Object::new();
            for member in v.members()? {
                let member = member?;
                object.insert(decoded(member.name()?), value(member.value)?);
            }
            Value::Object(object)
        }
    })
}

/// Writes `value`: pretty-printed at indent level `indent`, or compact for `None`.
fn write(out: &mut Vec<u8>, value: &Value, indent: Option<usize>) {
    fn newline(out: &mut Vec<u8>, indent: Option<usize>) {
        if let Some(level) = indent {
            out.push(b'\n');
            out.resize(out.len() + 2 * level, b' ');
        }
    }
    fn string(out: &mut Vec<u8>, s: &str) {
        // Writing to a `Vec` cannot fail.
        let _ = write_json_string(out, s);
    }
    let inner = indent.map(|level| level + 1);
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.as_bytes()),
        Value::String(s) => string(out, s),
        Value::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Value::Object(object) if object.is_empty() => out.extend_from_slice(b"{}"),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, inner);
                write(out, item, inner);
            }
            newline(out, indent);
            out.push(b']');
        }
        Value::Object(object) => {
            out.push(b'{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                newline(out, inner);
                string(out, key);
                out.extend_from_slice(if indent.is_some() { b": " } else { b":" });
                write(out, item, inner);
            }
            newline(out, indent);
            out.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pretty_and_compact() {
        let text =
            r#"{"b": [1, {"x": null}, [], {}], "a": {"n": -1.50e3, "t": true, "s": "q\"\\/é"}}"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value.to_pretty(),
            "{\n  \"a\": {\n    \"n\": -1.50e3,\n    \"s\": \"q\\\"\\\\/é\",\n    \"t\": true\n  },\n  \
             \"b\": [\n    1,\n    {\n      \"x\": null\n    },\n    [],\n    {}\n  ]\n}"
        );
        assert_eq!(
            value.to_string(),
            r#"{"a":{"n":-1.50e3,"s":"q\"\\/é","t":true},"b":[1,{"x":null},[],{}]}"#
        );
    }

    #[test]
    fn the_last_of_a_repeated_key_wins() {
        let Value::Object(object) = parse(r#"{"k": 1, "j": 2, "k": 3}"#).unwrap() else {
            panic!("not an object");
        };
        assert_eq!(object.keys().collect::<Vec<_>>(), ["j", "k"]);
        assert_eq!(object.get("k").and_then(Value::as_u64), Some(3));
    }

    #[test]
    fn errors_name_their_line_and_column() {
        for (text, message) in [
            (
                "{\n  \"a\": 1,\n  \"b\" 2\n}",
                "unexpected character at line 3 column 7",
            ),
            ("{\"a\": nul}", "unexpected character at line 1 column 7"),
            ("[1, 01]", "invalid number at line 1 column 5"),
            (
                "[\"\\x\"]",
                "invalid escape sequence in string at line 1 column 2",
            ),
            ("{\"a\": [1, 2}", "unexpected character at line 1 column 12"),
            (
                "{\"a\": 1} x",
                "trailing characters after the document at line 1 column 10",
            ),
            ("", "unexpected end of document at line 1 column 1"),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(describe(text, &error), message, "{text:?}");
        }
    }

    #[test]
    fn string_maps() {
        let map = string_map(r#"{"b": "x\ny", "a": ""}"#).unwrap();
        assert_eq!(map.get("b").map(String::as_str), Some("x\ny"));
        assert!(string_map(r#"{"a": 1}"#).is_none());
        assert!(string_map("[]").is_none());
        assert!(string_map("{").is_none());
    }

    /// The golden sites, written as `serde_json::to_string_pretty` writes them.
    #[test]
    fn the_golden_sites_as_serde_json_writes_them() {
        for text in [
            include_str!("../../tests/golden/sites/classic.json"),
            include_str!("../../tests/golden/sites/dhcp-bios.json"),
            include_str!("../../tests/golden/sites/dhcp-classic.json"),
            include_str!("../../tests/golden/sites/dhcp-http-only.json"),
            include_str!("../../tests/golden/sites/dhcp-https.json"),
            include_str!("../../tests/golden/sites/dhcp-ipv6-special.json"),
            include_str!("../../tests/golden/sites/dhcp-ipv6-uuid.json"),
            include_str!("../../tests/golden/sites/dhcp-ipv6.json"),
            include_str!("../../tests/golden/sites/dhcp-long-url.json"),
            include_str!("../../tests/golden/sites/dhcp-mixed.json"),
            include_str!("../../tests/golden/sites/dhcp-special-chars.json"),
            include_str!("../../tests/golden/sites/fallback.json"),
            include_str!("../../tests/golden/sites/https.json"),
            include_str!("../../tests/golden/sites/modes.json"),
            include_str!("../../tests/golden/sites/reply-v6.json"),
        ] {
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            let theirs = serde_json::to_string_pretty(&theirs).unwrap();
            assert_eq!(parse(text).unwrap().to_pretty(), theirs);
            let ours = parse(text).unwrap().to_string();
            assert_eq!(
                ours,
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap()
                    .to_string()
            );
        }
    }

    /// A control character is written as `\u00XX`, as the core writes every JSON string;
    /// the value read back is the same.
    #[test]
    fn control_characters_as_the_core_writes_them() {
        let value = Value::from("a\nb\u{1}");
        assert_eq!(value.to_string(), r#""a\u000ab\u0001""#);
        assert_eq!(parse(&value.to_string()).unwrap(), value);
    }
}
