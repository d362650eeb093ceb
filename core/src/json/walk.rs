//! A structural walker over a JSON document (RFC 8259) that never copies, never allocates and
//! never recurses.
//!
//! It finds values by byte range so the site reader can stream the `nodes` array one element
//! at a time (O(1) memory whatever the node count) and name the exact key and byte offset of
//! every error. Leaf values (strings, numbers, booleans) are decoded by `serde-json-core`.
//!
//! [`document`] checks that the bytes are UTF-8, that strings and brackets match and that
//! nothing follows the value; the rest is checked as the document is walked: the separators
//! by [`Members`] and [`Items`], a scalar by [`Value::kind`] or its accessor, a string's
//! escapes by [`Value::checked_string`] and [`Member::name`]. A reader that walks every
//! value with these has checked the whole document.
//!
//! Panic contract: no function here panics or reads past the end of its input, whatever the
//! bytes; malformed input gives a [`JsonError`], at the byte offset where it was found.

use super::scan::skip_plain;
use crate::error::{Error, ErrorKind, JsonError, Result};
use crate::limits::JSON_DEPTH_MAX;
use crate::model::JsonStr;

/// One JSON value inside a document (UTF-8, checked once for the whole document): its bytes
/// and where they start.
#[derive(Clone, Copy, Debug)]
pub struct Value<'a> {
    doc: &'a str,
    start: usize,
    end: usize,
}

/// What a JSON value is (RFC 8259 section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A `"key": value` member of an object.
#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    /// The key as written (JSON escapes not undone: keys of the schema need none; see
    /// [`Member::name`]).
    pub key: &'a [u8],
    /// Byte offset of the key's opening quote.
    pub key_offset: usize,
    /// The value.
    pub value: Value<'a>,
}

impl<'a> Member<'a> {
    /// The key, its every escape checked (as [`Value::checked_string`]).
    ///
    /// # Errors
    /// [`JsonError::InvalidEscape`] for a bad escape, at the key's offset.
    pub fn name(&self) -> Result<JsonStr<'a>> {
        let start = self.key_offset.saturating_add(1);
        let raw = start
            .checked_add(self.key.len())
            .and_then(|end| self.value.doc.get(start..end))
            .unwrap_or_default();
        let text = JsonStr::new(raw);
        text.check()
            .map_err(|kind| Error::new(kind).at_offset(self.key_offset))?;
        Ok(text)
    }
}

fn byte_at(doc: &[u8], pos: usize) -> Option<u8> {
    doc.get(pos).copied()
}

fn skip_whitespace(doc: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = byte_at(doc, pos) {
        pos += 1;
    }
    pos
}

fn json_error(kind: JsonError, offset: usize) -> Error {
    Error::new(ErrorKind::Json(kind)).at_offset(offset)
}

/// The position just after the string that starts (with its quote) at `start`.
fn string_end(doc: &[u8], start: usize) -> Result<usize> {
    let mut pos = start + 1;
    loop {
        pos = skip_plain(doc, pos);
        match byte_at(doc, pos) {
            None => return Err(json_error(JsonError::UnexpectedEnd, start)),
            Some(b'"') => return Ok(pos + 1),
            Some(b'\\') => pos += 2,
            Some(b) if b < 0x20 => return Err(json_error(JsonError::UnexpectedByte, pos)),
            Some(_) => pos += 1,
        }
    }
}

/// The text between the quotes of the string that starts (with its quote) at byte `start`
/// of `doc`, escapes not undone; `None` if no well-formed string starts there.
pub(crate) fn string_at(doc: &str, start: usize) -> Option<&str> {
    if byte_at(doc.as_bytes(), start) != Some(b'"') {
        return None;
    }
    let end = string_end(doc.as_bytes(), start).ok()?;
    doc.get(start.checked_add(1)?..end.checked_sub(1)?)
}

/// The position just after the value that starts at `start` (no leading whitespace).
///
/// Strings and brackets are matched exactly; scalars are taken as the run of bytes that can
/// form one and checked when decoded.
fn value_end(doc: &[u8], start: usize) -> Result<usize> {
    match byte_at(doc, start) {
        Some(b'"') => string_end(doc, start),
        Some(b'{' | b'[') => container_end(doc, start, |_, _| {}),
        Some(b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z') => {
            Ok(scalar_end(doc, start))
        }
        Some(_) => Err(json_error(JsonError::UnexpectedByte, start)),
        None => Err(json_error(JsonError::UnexpectedEnd, start)),
    }
}

/// The end of the run of bytes that can form a scalar (a number, `true`, `false`, `null`).
fn scalar_end(doc: &[u8], mut pos: usize) -> usize {
    while let Some(b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z') = byte_at(doc, pos)
    {
        pos += 1;
    }
    pos
}

/// The position just after the object or array that starts at `start`; `inner` is told the
/// start and end of each object or array directly inside it.
fn container_end(doc: &[u8], start: usize, mut inner: impl FnMut(usize, usize)) -> Result<usize> {
    let mut closers = [0u8; JSON_DEPTH_MAX];
    let mut depth = 0usize;
    let mut pos = start;
    let mut inner_start = start;
    loop {
        let Some(b) = byte_at(doc, pos) else {
            return Err(json_error(JsonError::UnexpectedEnd, start));
        };
        match b {
            b'"' => pos = string_end(doc, pos)?,
            b'{' | b'[' => {
                let slot = closers
                    .get_mut(depth)
                    .ok_or_else(|| json_error(JsonError::TooDeep, pos))?;
                *slot = if b == b'{' { b'}' } else { b']' };
                if depth == 1 {
                    inner_start = pos;
                }
                depth += 1;
                pos += 1;
            }
            b'}' | b']' => {
                let expected = depth.checked_sub(1).and_then(|d| closers.get(d).copied());
                if expected != Some(b) {
                    return Err(json_error(JsonError::UnexpectedByte, pos));
                }
                depth -= 1;
                pos += 1;
                if depth == 1 {
                    inner(inner_start, pos);
                }
            }
            b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => {
                pos = scalar_end(doc, pos);
            }
            // A separator and the whitespace after it, at once.
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' if depth > 0 => {
                pos = skip_whitespace(doc, pos + 1);
            }
            _ => return Err(json_error(JsonError::UnexpectedByte, pos)),
        }
        if depth == 0 {
            return Ok(pos);
        }
    }
}

/// Most objects and arrays directly inside the top-level value whose ends [`document`]
/// keeps (a site has one: `nodes`).
const KNOWN_ENDS_MAX: usize = 8;

/// Where the objects and arrays directly inside a document's top-level value end, found by
/// [`document`]'s walk: a reader then need not scan them again to move past them.
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownEnds {
    ends: heapless::Vec<(u32, u32), KNOWN_ENDS_MAX>,
}

impl KnownEnds {
    /// Where the object or array starting at `start` ends, if it is one of those kept.
    pub(crate) fn of(&self, start: usize) -> Option<usize> {
        let start = u32::try_from(start).ok()?;
        let (_, end) = self.ends.iter().find(|(s, _)| *s == start)?;
        usize::try_from(*end).ok()
    }
}

/// The single top-level value of `doc` (whitespace around it allowed, nothing else).
///
/// # Errors
/// [`JsonError::TooLarge`] past 4 GiB, [`JsonError::InvalidUtf8`] at the first byte that is
/// not UTF-8 (RFC 8259 8.1), [`JsonError::TooDeep`] for arrays and objects nested more than
/// [`JSON_DEPTH_MAX`] deep, or how the structure is broken; each with the byte offset where
/// it was found ([`Error::offset`]).
pub fn document(doc: &[u8]) -> Result<Value<'_>> {
    document_with_ends(doc).map(|(root, _)| root)
}

/// [`document`], and where the objects and arrays directly inside its top-level value end
/// (the first [`KNOWN_ENDS_MAX`] of them).
///
/// # Errors
/// As [`document`].
pub(crate) fn document_with_ends(doc: &[u8]) -> Result<(Value<'_>, KnownEnds)> {
    if u32::try_from(doc.len()).is_err() {
        return Err(json_error(JsonError::TooLarge, 0));
    }
    let doc = core::str::from_utf8(doc)
        .map_err(|e| json_error(JsonError::InvalidUtf8, e.valid_up_to()))?;
    let bytes = doc.as_bytes();
    let start = skip_whitespace(bytes, 0);
    let mut known = KnownEnds::default();
    let end = match byte_at(bytes, start) {
        Some(b'{' | b'[') => container_end(bytes, start, |inner, end| {
            // Offsets fit: the document is under 4 GiB.
            if let (Ok(inner), Ok(end)) = (u32::try_from(inner), u32::try_from(end)) {
                let _ = known.ends.push((inner, end));
            }
        })?,
        _ => value_end(bytes, start)?,
    };
    let after = skip_whitespace(bytes, end);
    if after != bytes.len() {
        return Err(json_error(JsonError::TrailingCharacters, after));
    }
    Ok((Value { doc, start, end }, known))
}

/// Whether `s` is a JSON number (RFC 8259 section 6):
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_number(s: &[u8]) -> bool {
    /// The number of leading ASCII digits of `s`, and the bytes after them.
    fn digits(s: &[u8]) -> (usize, &[u8]) {
        let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
        (n, s.get(n..).unwrap_or_default())
    }
    let s = s.strip_prefix(b"-").unwrap_or(s);
    let (n, mut rest) = digits(s);
    if n == 0 || (n > 1 && s.first() == Some(&b'0')) {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix(b".") {
        let (n, after) = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = after;
    }
    if let Some(exponent) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let exponent = exponent
            .strip_prefix(b"+")
            .or_else(|| exponent.strip_prefix(b"-"))
            .unwrap_or(exponent);
        let (n, after) = digits(exponent);
        if n == 0 {
            return false;
        }
        rest = after;
    }
    rest.is_empty()
}

fn from_serde(e: serde_json_core::de::Error) -> JsonError {
    use serde_json_core::de::Error as E;
    match e {
        E::EofWhileParsingList
        | E::EofWhileParsingObject
        | E::EofWhileParsingString
        | E::EofWhileParsingNumber
        | E::EofWhileParsingValue => JsonError::UnexpectedEnd,
        E::InvalidNumber => JsonError::InvalidNumber,
        E::InvalidUnicodeCodePoint | E::InvalidEscapeSequence => JsonError::InvalidEscape,
        E::TrailingCharacters => JsonError::TrailingCharacters,
        E::InvalidType => JsonError::WrongType,
        _ => JsonError::UnexpectedByte,
    }
}

impl<'a> Value<'a> {
    /// The value's bytes.
    fn bytes(&self) -> &'a [u8] {
        self.doc
            .as_bytes()
            .get(self.start..self.end)
            .unwrap_or_default()
    }

    /// Where the value ends, found by scanning the document from its start (for a value
    /// given by a lazy walk, whose [`Value::end`] is not known).
    ///
    /// # Errors
    /// How the value is broken.
    pub(crate) fn end_in_document(&self) -> Result<usize> {
        value_end(self.doc.as_bytes(), self.start)
    }

    /// Where the value ends (just after its last byte).
    pub(crate) fn end(&self) -> usize {
        self.end
    }

    /// The value of `doc` (the document this one belongs to) between `start` and `end`: one
    /// a caller took apart with [`Value::offset`] and [`Value::end`] to keep it small.
    pub(crate) fn within(&self, start: usize, end: usize) -> Value<'a> {
        Value {
            doc: self.doc,
            start,
            end,
        }
    }

    /// Byte offset of the value in the document.
    pub fn offset(&self) -> usize {
        self.start
    }

    /// The whole document this value is part of.
    pub(crate) fn document(&self) -> &'a str {
        self.doc
    }

    fn first_byte(&self) -> Option<u8> {
        byte_at(self.doc.as_bytes(), self.start)
    }

    fn wrong_type(&self) -> Error {
        json_error(JsonError::WrongType, self.start)
    }

    fn decode<T: serde::Deserialize<'a>>(&self) -> Result<T> {
        match serde_json_core::from_slice::<T>(self.bytes()) {
            Ok((value, used)) if used == self.bytes().len() => Ok(value),
            Ok(_) => Err(json_error(JsonError::TrailingCharacters, self.start)),
            Err(e) => Err(json_error(from_serde(e), self.start)),
        }
    }

    /// What the value is. A scalar is checked: `null`, `true` and `false` spelled exactly, a
    /// number by RFC 8259's grammar. A string's escapes and the inside of an array or an
    /// object are not (their accessors check them).
    ///
    /// # Errors
    /// [`JsonError::InvalidNumber`] for a malformed number, [`JsonError::UnexpectedByte`] for
    /// any other bytes that are no value.
    pub fn kind(&self) -> Result<Kind> {
        match self.first_byte() {
            Some(b'"') => Ok(Kind::String),
            Some(b'[') => Ok(Kind::Array),
            Some(b'{') => Ok(Kind::Object),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| Kind::Number),
            _ => match self.bytes() {
                b"null" => Ok(Kind::Null),
                b"true" | b"false" => Ok(Kind::Bool),
                _ => Err(json_error(JsonError::UnexpectedByte, self.start)),
            },
        }
    }

    /// `true` when the value is `null`.
    pub fn is_null(&self) -> bool {
        self.bytes() == b"null"
    }

    /// The value as a JSON string: the text between its quotes, escapes not yet undone
    /// (and not yet checked: see [`JsonStr`], and [`Value::checked_string`]).
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not a string.
    pub fn string(&self) -> Result<JsonStr<'a>> {
        if self.first_byte() != Some(b'"') {
            return Err(self.wrong_type());
        }
        Ok(self.raw_string())
    }

    /// The value as a JSON string whose every escape is checked: its [`JsonStr::pieces`]
    /// are then the whole decoded value.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not a string, [`JsonError::InvalidEscape`]
    /// for one with a bad escape (a lone surrogate among them).
    pub fn checked_string(&self) -> Result<JsonStr<'a>> {
        let text = self.string()?;
        text.check()
            .map_err(|kind| Error::new(kind).at_offset(self.start))?;
        Ok(text)
    }

    /// The value as a number: its text as written (`-1.50e3` stays `-1.50e3`).
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not a number, [`JsonError::InvalidNumber`]
    /// for one that does not follow RFC 8259's grammar.
    pub fn number(&self) -> Result<&'a str> {
        match self.first_byte() {
            Some(b'-' | b'0'..=b'9') if is_number(self.bytes()) => self
                .doc
                .get(self.start..self.end)
                .ok_or_else(|| json_error(JsonError::InvalidNumber, self.start)),
            Some(b'-' | b'0'..=b'9') => Err(json_error(JsonError::InvalidNumber, self.start)),
            _ => Err(self.wrong_type()),
        }
    }

    /// The text between the quotes of a value known to be a string (a document already
    /// read); empty if it is not one.
    pub(crate) fn raw_string(&self) -> JsonStr<'a> {
        let inner = self
            .start
            .checked_add(1)
            .zip(self.end.checked_sub(1))
            .and_then(|(a, b)| self.doc.get(a..b))
            .unwrap_or_default();
        JsonStr::new(inner)
    }

    /// A number of a document already read: its leading decimal digits (0 if none).
    pub(crate) fn trusted_u32(&self) -> u32 {
        self.bytes()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u32, |n, d| {
                n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
            })
    }

    /// `true` when the value starts like `true` (for a document already read).
    pub(crate) fn trusted_bool(&self) -> bool {
        self.first_byte() == Some(b't')
    }

    /// The value as an unsigned integer.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not a number; [`JsonError::InvalidNumber`]
    /// for one that is not a whole number from 0 to `u32::MAX` (negative, with a fraction or
    /// an exponent, too large, or malformed).
    pub fn u32(&self) -> Result<u32> {
        match self.first_byte() {
            Some(b'-' | b'0'..=b'9') => self
                .decode::<u32>()
                .map_err(|_| json_error(JsonError::InvalidNumber, self.start)),
            _ => Err(self.wrong_type()),
        }
    }

    /// The value as an unsigned 64-bit integer.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not a number; another [`JsonError`] for
    /// one that is not a whole number from 0 to `u64::MAX`.
    pub fn u64(&self) -> Result<u64> {
        match self.first_byte() {
            Some(b'-' | b'0'..=b'9') => self.decode::<u64>(),
            _ => Err(self.wrong_type()),
        }
    }

    /// The value as a boolean.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not `true` or `false`.
    pub fn bool(&self) -> Result<bool> {
        match self.first_byte() {
            Some(b't' | b'f') => self.decode::<bool>(),
            _ => Err(self.wrong_type()),
        }
    }

    /// The members of the value, which must be an object.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not an object.
    pub fn members(&self) -> Result<Members<'a>> {
        if self.first_byte() != Some(b'{') {
            return Err(self.wrong_type());
        }
        Ok(Members {
            items: Items {
                doc: self.doc.as_bytes(),
                text: self.doc,
                pos: self.start + 1,
                first: true,
                done: false,
                close: b'}',
                closed_at: None,
                pending: None,
            },
        })
    }

    /// The elements of the value, which must be an array.
    ///
    /// # Errors
    /// [`JsonError::WrongType`] for a value that is not an array.
    pub fn elements(&self) -> Result<Items<'a>> {
        if self.first_byte() != Some(b'[') {
            return Err(self.wrong_type());
        }
        Ok(Items {
            doc: self.doc.as_bytes(),
            text: self.doc,
            pos: self.start + 1,
            first: true,
            done: false,
            close: b']',
            closed_at: None,
            pending: None,
        })
    }

    /// `true` when the value is a string.
    pub fn is_string(&self) -> bool {
        self.first_byte() == Some(b'"')
    }
}

/// The elements of an array, in order, from [`Value::elements`]. A missing or stray `,` is
/// an error; the iterator ends after the first error.
#[derive(Clone, Debug)]
pub struct Items<'a> {
    doc: &'a [u8],
    text: &'a str,
    pos: usize,
    first: bool,
    done: bool,
    close: u8,
    /// Just after the closing bracket, once reached.
    closed_at: Option<usize>,
    /// The start of an element given by [`Items::next_lazy`] whose end is not known yet.
    pending: Option<usize>,
}

impl<'a> Items<'a> {
    /// Moves past the separator before the next element; `None` at the closing bracket.
    fn advance(&mut self) -> Option<Result<usize>> {
        if self.done {
            return None;
        }
        let mut pos = skip_whitespace(self.doc, self.pos);
        if byte_at(self.doc, pos) == Some(self.close) && self.first {
            self.done = true;
            self.closed_at = Some(pos + 1);
            return None;
        }
        if !self.first {
            match byte_at(self.doc, pos) {
                Some(b) if b == self.close => {
                    self.done = true;
                    self.closed_at = Some(pos + 1);
                    return None;
                }
                Some(b',') => pos = skip_whitespace(self.doc, pos + 1),
                Some(_) => return Some(Err(self.fail(JsonError::UnexpectedByte, pos))),
                None => return Some(Err(self.fail(JsonError::UnexpectedEnd, pos))),
            }
        }
        self.first = false;
        if byte_at(self.doc, pos).is_none() {
            return Some(Err(self.fail(JsonError::UnexpectedEnd, pos)));
        }
        Some(Ok(pos))
    }

    /// The next element without looking for its end: an object the caller reads member by
    /// member and then hands back with [`Items::resume_after`] (so its bytes are scanned once,
    /// not twice). If the caller does not, the next call finds the end itself.
    pub(crate) fn next_lazy(&mut self) -> Option<Result<Value<'a>>> {
        if let Err(e) = self.settle() {
            return Some(Err(e));
        }
        let start = match self.advance()? {
            Ok(start) => start,
            Err(e) => return Some(Err(e)),
        };
        self.pending = Some(start);
        Some(Ok(Value {
            doc: self.text,
            start,
            end: start,
        }))
    }

    /// Moves past the element or member value [`Items::next_lazy`] or
    /// [`Members::next_lazy`] gave, if the caller did not hand its end back.
    fn settle(&mut self) -> Result<()> {
        if let Some(start) = self.pending.take() {
            match value_end(self.doc, start) {
                Ok(end) => self.pos = end,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Just after the array's closing `]`, once the elements have all been read.
    pub(crate) fn end(&self) -> Option<usize> {
        self.closed_at
    }

    /// Goes on after the element [`Items::next_lazy`] gave, which ends at `end`.
    pub(crate) fn resume_after(&mut self, end: usize) {
        if self.pending.take().is_some() {
            self.pos = end;
        }
    }

    fn fail(&mut self, kind: JsonError, pos: usize) -> Error {
        self.done = true;
        json_error(kind, pos)
    }

    fn value_at(&mut self, start: usize) -> Result<Value<'a>> {
        match value_end(self.doc, start) {
            Ok(end) => {
                self.pos = end;
                Ok(Value {
                    doc: self.text,
                    start,
                    end,
                })
            }
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Result<Value<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.settle() {
            return Some(Err(e));
        }
        let start = match self.advance()? {
            Ok(start) => start,
            Err(e) => return Some(Err(e)),
        };
        Some(self.value_at(start))
    }
}

/// The members of an object, in order (a key given twice comes twice), from
/// [`Value::members`]. A key that is not a string, a missing `:` and a missing or stray `,`
/// are errors; the iterator ends after the first error.
#[derive(Clone, Debug)]
pub struct Members<'a> {
    items: Items<'a>,
}

impl<'a> Members<'a> {
    /// Just after the object's closing `}`, once the members have all been read.
    pub(crate) fn end(&self) -> Option<usize> {
        self.items.closed_at
    }

    /// The next member without looking for its value's end (the value's [`Value::end`] is
    /// its start): a caller that reads the value itself hands its end back with
    /// [`Members::resume_after`], so its bytes are scanned once. If the caller does not, the
    /// next call finds the end itself.
    pub(crate) fn next_lazy(&mut self) -> Option<Result<Member<'a>>> {
        if let Err(e) = self.items.settle() {
            return Some(Err(e));
        }
        let (key, key_offset, start) = match self.key()? {
            Ok(found) => found,
            Err(e) => return Some(Err(e)),
        };
        self.items.pending = Some(start);
        let value = Value {
            doc: self.items.text,
            start,
            end: start,
        };
        Some(Ok(Member {
            key,
            key_offset,
            value,
        }))
    }

    /// Goes on after the value [`Members::next_lazy`] gave, which ends at `end`.
    pub(crate) fn resume_after(&mut self, end: usize) {
        self.items.resume_after(end);
    }

    /// Moves past the next key and its colon: the key, where it starts, where its value
    /// starts; `None` at the closing brace.
    fn key(&mut self) -> Option<Result<(&'a [u8], usize, usize)>> {
        let key_offset = match self.items.advance()? {
            Ok(start) => start,
            Err(e) => return Some(Err(e)),
        };
        let doc = self.items.doc;
        if byte_at(doc, key_offset) != Some(b'"') {
            return Some(Err(self.items.fail(JsonError::UnexpectedByte, key_offset)));
        }
        let key_end = match string_end(doc, key_offset) {
            Ok(end) => end,
            Err(e) => {
                self.items.done = true;
                return Some(Err(e));
            }
        };
        let key = doc.get(key_offset + 1..key_end - 1).unwrap_or_default();
        let colon = skip_whitespace(doc, key_end);
        if byte_at(doc, colon) != Some(b':') {
            return Some(Err(self.items.fail(JsonError::UnexpectedByte, colon)));
        }
        Some(Ok((key, key_offset, skip_whitespace(doc, colon + 1))))
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = Result<Member<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.items.settle() {
            return Some(Err(e));
        }
        let (key, key_offset, start) = match self.key()? {
            Ok(found) => found,
            Err(e) => return Some(Err(e)),
        };
        Some(self.items.value_at(start).map(|value| Member {
            key,
            key_offset,
            value,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(doc: &[u8]) -> Result<heapless::Vec<heapless::String<16>, 8>> {
        let mut out = heapless::Vec::new();
        for member in document(doc)?.members()? {
            let member = member?;
            let mut key = heapless::String::new();
            key.push_str(
                core::str::from_utf8(member.key).map_err(|_| Error::new(ErrorKind::Internal))?,
            )
            .map_err(|_| Error::new(ErrorKind::Internal))?;
            out.push(key).map_err(|_| Error::new(ErrorKind::Internal))?;
        }
        Ok(out)
    }

    #[test]
    fn walks_members_with_nested_values() {
        let got = keys(br#" { "a": [1, {"x": "]"}], "b" : "q\"}" , "c": null } "#).unwrap();
        assert_eq!(got.as_slice(), ["a", "b", "c"]);
    }

    #[test]
    fn empty_object_and_array() {
        assert!(keys(b"{}").unwrap().is_empty());
        assert_eq!(document(b"[ ]").unwrap().elements().unwrap().count(), 0);
    }

    /// Visits every value of `v`, decoding each scalar, as a reader of the document would.
    fn walk(v: Value<'_>) -> Result<()> {
        match v.first_byte() {
            Some(b'"') => v
                .string()?
                .decode_into(&mut heapless::String::<64>::new())
                .map_err(Error::new),
            Some(b'{') => v.members()?.try_for_each(|m| walk(m?.value)),
            Some(b'[') => v.elements()?.try_for_each(|item| walk(item?)),
            Some(b't' | b'f') => v.bool().map(|_| ()),
            Some(b'n') if v.is_null() => Ok(()),
            _ => v.u32().map(|_| ()),
        }
    }

    #[test]
    fn malformed_documents_fail_without_panic() {
        assert!(
            walk(document(br#"{"a": [1, {"b": null}], "c": "d", "e": true}"#).unwrap()).is_ok()
        );
        for doc in [
            &b""[..],
            b"{",
            b"{\"a\"",
            b"{\"a\":",
            b"{\"a\":1,}",
            b"{,}",
            b"[1,]",
            b"[1 2]",
            b"{\"a\" 1}",
            b"}",
            b"{\"a\":1}}",
            b"\"abc",
            b"[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]",
            b"{\"a\":[}",
            b"{1:2}",
            b"\"\\",
            b"[\"\x01\"]",
            b"[nul]",
            b"[1.5.5]",
        ] {
            let result = document(doc).and_then(walk);
            assert!(result.is_err(), "accepted {:?}", core::str::from_utf8(doc));
        }
    }

    #[test]
    fn decodes_scalars() {
        let doc = br#"{"n": 60000, "t": true, "s": "a\/b\u0041", "neg": -1}"#;
        let members: heapless::Vec<Member<'_>, 4> = document(doc)
            .unwrap()
            .members()
            .unwrap()
            .map(|m| m.unwrap())
            .collect();
        assert_eq!(members[0].value.u32().unwrap(), 60000);
        assert!(members[1].value.bool().unwrap());
        let mut s = heapless::String::<8>::new();
        members[2]
            .value
            .string()
            .unwrap()
            .decode_into(&mut s)
            .unwrap();
        assert_eq!(s, "a/bA");
        assert!(members[3].value.u32().is_err());
        assert_eq!(members[0].value.trusted_u32(), 60000);
        assert!(members[1].value.trusted_bool());
        assert_eq!(
            members[0].value.string().unwrap_err().kind,
            ErrorKind::Json(JsonError::WrongType)
        );
        let mut tiny = heapless::String::<2>::new();
        assert_eq!(
            members[2].value.string().unwrap().decode_into(&mut tiny),
            Err(ErrorKind::TooLong { max: 2 })
        );
    }

    #[test]
    fn numbers_follow_the_grammar_and_keep_their_text() {
        for good in [
            "0",
            "-0",
            "12",
            "-1.50",
            "1e3",
            "1E+3",
            "2.5e-07",
            "18446744073709551616",
        ] {
            let doc = document(good.as_bytes()).unwrap();
            assert_eq!(doc.kind().unwrap(), Kind::Number, "{good}");
            assert_eq!(doc.number().unwrap(), good);
        }
        for bad in ["01", "-", "1.", "1e", "1e+", "1.5.5", "0x10", "1-2", "-01"] {
            let doc = document(bad.as_bytes()).unwrap();
            assert_eq!(
                doc.kind().unwrap_err().kind,
                ErrorKind::Json(JsonError::InvalidNumber),
                "{bad}"
            );
            assert!(doc.number().is_err(), "{bad}");
        }
        let doc = document(b"true").unwrap();
        assert_eq!(
            doc.number().unwrap_err().kind,
            ErrorKind::Json(JsonError::WrongType)
        );
    }

    #[test]
    fn kinds_check_literals() {
        let kinds = [
            ("null", Kind::Null),
            ("true", Kind::Bool),
            ("false", Kind::Bool),
            ("\"a\"", Kind::String),
            ("[]", Kind::Array),
            ("{}", Kind::Object),
        ];
        for (text, kind) in kinds {
            assert_eq!(document(text.as_bytes()).unwrap().kind().unwrap(), kind);
        }
        for bad in ["nul", "True", "nulls", "x", ".5", "+1"] {
            let error = document(bad.as_bytes()).unwrap().kind().unwrap_err();
            assert_eq!(
                error.kind,
                ErrorKind::Json(JsonError::UnexpectedByte),
                "{bad}"
            );
            assert_eq!(error.offset, Some(0));
        }
    }

    #[test]
    fn checked_strings_and_keys() {
        let doc = br#"{"a\u0041": "x\n", "b": "\ud800", "\q": 1}"#;
        let mut members = document(doc).unwrap().members().unwrap();
        let first = members.next().unwrap().unwrap();
        let mut name = heapless::String::<8>::new();
        first.name().unwrap().decode_into(&mut name).unwrap();
        assert_eq!(name, "aA");
        assert_eq!(first.value.checked_string().unwrap().raw(), "x\\n");
        let second = members.next().unwrap().unwrap();
        let error = second.value.checked_string().unwrap_err();
        assert_eq!(error.kind, ErrorKind::Json(JsonError::InvalidEscape));
        assert_eq!(error.offset, Some(24));
        let third = members.next().unwrap().unwrap();
        let error = third.name().unwrap_err();
        assert_eq!(error.kind, ErrorKind::Json(JsonError::InvalidEscape));
        assert_eq!(error.offset, Some(u32::try_from(third.key_offset).unwrap()));
        assert!(members.next().is_none());
    }
}
