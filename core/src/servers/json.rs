//! A small streaming JSON writer for the Kea and Neutron outputs: two-space indentation, one
//! item per line, or one object per line where that reads better ("inline" containers).
//!
//! Commas and nesting are kept by the writer, so the generators cannot emit malformed JSON;
//! the nesting depth is bounded ([`DEPTH_MAX`]) and exceeding it is an internal error.
//! Strings are escaped for JSON (`"` and `\`); control and non-ASCII bytes are refused.
//! [`JsonOut::kea_option_data`] also escapes commas the way Kea's `option-data` `data` needs.

use crate::error::{Error, ErrorKind, Field, Result};
use crate::servers::text::{Out, check_printable};
use embedded_io::Write;

/// Deepest nesting the writer accepts.
pub(crate) const DEPTH_MAX: usize = 8;

#[derive(Clone, Copy)]
struct Level {
    empty: bool,
    inline: bool,
}

/// Writes one JSON document.
pub(crate) struct JsonOut<'w, W: Write> {
    out: Out<'w, W>,
    levels: heapless::Vec<Level, DEPTH_MAX>,
}

fn internal() -> Error {
    Error::new(ErrorKind::Internal)
}

impl<'w, W: Write> JsonOut<'w, W> {
    pub(crate) fn new(w: &'w mut W) -> Self {
        JsonOut {
            out: Out::new(w),
            levels: heapless::Vec::new(),
        }
    }

    fn indent(&mut self, depth: usize) -> Result<()> {
        for _ in 0..depth {
            self.out.put("  ")?;
        }
        Ok(())
    }

    /// Writes what goes before an item: the separator, the indentation, the key.
    fn item(&mut self, key: Option<&str>) -> Result<()> {
        let depth = self.levels.len();
        if let Some(level) = self.levels.last_mut() {
            let first = level.empty;
            level.empty = false;
            let inline = level.inline;
            match (inline, first) {
                (true, true) => {}
                (true, false) => self.out.put(", ")?,
                (false, true) => {
                    self.out.put("\n")?;
                    self.indent(depth)?;
                }
                (false, false) => {
                    self.out.put(",\n")?;
                    self.indent(depth)?;
                }
            }
        } else if key.is_some() {
            return Err(internal());
        }
        if let Some(key) = key {
            self.raw_string(key, Field::Document)?;
            self.out.put(": ")?;
        }
        Ok(())
    }

    fn open(&mut self, key: Option<&str>, bracket: &str, inline: bool) -> Result<()> {
        self.item(key)?;
        let inline = inline || self.levels.last().is_some_and(|l| l.inline);
        self.out.put(bracket)?;
        self.levels
            .push(Level {
                empty: true,
                inline,
            })
            .map_err(|_| internal())
    }

    fn close(&mut self, bracket: &str) -> Result<()> {
        let level = self.levels.pop().ok_or_else(internal)?;
        if !level.empty && !level.inline {
            self.out.put("\n")?;
            self.indent(self.levels.len())?;
        }
        self.out.put(bracket)
    }

    /// Opens an object (`key` inside an object, `None` inside an array or at the top).
    pub(crate) fn begin_object(&mut self, key: Option<&str>) -> Result<()> {
        self.open(key, "{", false)
    }

    /// Opens an object written on one line.
    pub(crate) fn begin_inline_object(&mut self, key: Option<&str>) -> Result<()> {
        self.open(key, "{", true)
    }

    /// Closes the innermost object.
    pub(crate) fn end_object(&mut self) -> Result<()> {
        self.close("}")
    }

    /// Opens an array.
    pub(crate) fn begin_array(&mut self, key: Option<&str>) -> Result<()> {
        self.open(key, "[", false)
    }

    /// Closes the innermost array.
    pub(crate) fn end_array(&mut self) -> Result<()> {
        self.close("]")
    }

    /// Writes `"key": "value"`, the value escaped for JSON.
    pub(crate) fn string(&mut self, key: Option<&str>, value: &str, field: Field) -> Result<()> {
        self.item(key)?;
        self.raw_string(value, field)
    }

    /// Writes the `data` of a Kea `option-data` entry in CSV format: Kea splits it at commas
    /// (a one-string option keeps only what precedes the first one), so each `,` is written
    /// `\,` (in the JSON text `\\,`). A `\` would start an escape of Kea's own and is refused.
    pub(crate) fn kea_option_data(&mut self, value: &str, field: Field) -> Result<()> {
        check_printable(value, field)?;
        if value.contains('\\') {
            return Err(Error::at(ErrorKind::BadCharacter, field));
        }
        self.item(Some("data"))?;
        self.out.put("\"")?;
        let mut parts = value.split(',');
        if let Some(first) = parts.next() {
            self.escaped(first)?;
        }
        for part in parts {
            self.out.put("\\\\,")?;
            self.escaped(part)?;
        }
        self.out.put("\"")
    }

    /// Writes `"key": "<parts, one after another>"`: one string written in pieces, each
    /// escaped for JSON.
    pub(crate) fn string_parts(
        &mut self,
        key: Option<&str>,
        parts: &[&str],
        field: Field,
    ) -> Result<()> {
        self.item(key)?;
        self.out.put("\"")?;
        for part in parts {
            check_printable(part, field)?;
            self.escaped(part)?;
        }
        self.out.put("\"")
    }

    /// Writes `"key": true|false`.
    pub(crate) fn boolean(&mut self, key: Option<&str>, value: bool) -> Result<()> {
        self.item(key)?;
        self.out.put(if value { "true" } else { "false" })
    }

    /// Writes `"key": n`.
    pub(crate) fn number(&mut self, key: Option<&str>, value: u32) -> Result<()> {
        self.item(key)?;
        self.out.show(value)
    }

    /// Writes `"key": "<value>"` where `value` is shown through `Display` (an address); the
    /// shown text must need no escaping.
    pub(crate) fn shown(
        &mut self,
        key: Option<&str>,
        value: impl crate::servers::text::Show,
    ) -> Result<()> {
        self.item(key)?;
        self.out.put("\"")?;
        self.out.show(value)?;
        self.out.put("\"")
    }

    /// Writes `"key": "aa:bb:cc:dd:ee:ff"`.
    pub(crate) fn mac(&mut self, key: Option<&str>, mac: crate::model::MacAddr) -> Result<()> {
        self.item(key)?;
        self.out.put("\"")?;
        self.out.mac(mac)?;
        self.out.put("\"")
    }

    /// Ends the document (every container must be closed) with a newline.
    pub(crate) fn finish(mut self) -> Result<()> {
        if !self.levels.is_empty() {
            return Err(internal());
        }
        self.out.put("\n")
    }

    fn raw_string(&mut self, value: &str, field: Field) -> Result<()> {
        check_printable(value, field)?;
        self.out.put("\"")?;
        self.escaped(value)?;
        self.out.put("\"")
    }

    fn escaped(&mut self, value: &str) -> Result<()> {
        self.out.json_string_body(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    fn render(
        f: impl FnOnce(&mut JsonOut<'_, &mut [u8]>) -> Result<()>,
    ) -> Result<heapless::String<512>> {
        let mut buf = [0u8; 512];
        let n = write_to_slice(&mut buf, |w| {
            let mut json = JsonOut::new(w);
            f(&mut json)?;
            json.finish()
        })?;
        let mut s = heapless::String::new();
        s.push_str(core::str::from_utf8(&buf[..n]).unwrap())
            .unwrap();
        Ok(s)
    }

    #[test]
    fn nests_with_commas_and_indentation() {
        let got = render(|j| {
            j.begin_object(None)?;
            j.begin_array(Some("a"))?;
            j.begin_inline_object(None)?;
            j.string(Some("k"), "v\"w", Field::Document)?;
            j.number(Some("n"), 4)?;
            j.end_object()?;
            j.begin_inline_object(None)?;
            j.kea_option_data("x,y,z", Field::HttpServer)?;
            j.end_object()?;
            j.end_array()?;
            j.begin_array(Some("empty"))?;
            j.end_array()?;
            j.boolean(Some("b"), false)?;
            j.end_object()
        })
        .unwrap();
        assert_eq!(
            got,
            "{\n  \"a\": [\n    {\"k\": \"v\\\"w\", \"n\": 4},\n    {\"data\": \"x\\\\,y\\\\,z\"}\n  ],\n  \"empty\": [],\n  \"b\": false\n}\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_write() {
        let err = render(|j| {
            j.begin_object(None)?;
            j.kea_option_data("a\\b", Field::HttpServer)
        })
        .unwrap_err();
        assert_eq!(err, Error::at(ErrorKind::BadCharacter, Field::HttpServer));
        let err = render(|j| j.begin_object(None)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
        let err = render(|j| {
            for _ in 0..=DEPTH_MAX {
                j.begin_array(None)?;
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
    }
}
