//! JSON strings (RFC 8259 section 7): the one encoder of the core. The manifest, the Kea and
//! Neutron configs and the front ends' JSON output all write their strings through it.

use super::scan::skip_plain;
use crate::error::Result;
use crate::hex;
use crate::model::{JsonStr, Piece};
use embedded_io::Write;

fn put<W: Write>(out: &mut W, bytes: &[u8]) -> Result<()> {
    crate::output::write_all(out, bytes)
}

/// Writes the body of a JSON string for `s` (no quotes): `"` and `\` escaped with a
/// backslash, control bytes as `\u00XX`, everything else (UTF-8 included) as it is.
///
/// # Errors
/// A write error.
pub fn write_json_string_body<W: Write>(out: &mut W, s: &str) -> Result<()> {
    let bytes = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    loop {
        i = skip_plain(bytes, i);
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if !matches!(b, b'"' | b'\\' | 0x00..=0x1f) {
            i += 1;
            continue;
        }
        put(out, bytes.get(start..i).unwrap_or_default())?;
        match b {
            b'"' | b'\\' => put(out, &[b'\\', b])?,
            _ => {
                let [hi, lo] = hex::pair(b);
                put(out, &[b'\\', b'u', b'0', b'0', hi, lo])?;
            }
        }
        i += 1;
        start = i;
    }
    put(out, bytes.get(start..).unwrap_or_default())
}

/// Writes `s` as a JSON string, quotes included (see [`write_json_string_body`]).
///
/// # Errors
/// A write error.
pub fn write_json_string<W: Write>(out: &mut W, s: &str) -> Result<()> {
    put(out, b"\"")?;
    write_json_string_body(out, s)?;
    put(out, b"\"")
}

/// Writes the decoded value of `text` (a string of a document, escapes and all) as a JSON
/// string, quotes included: the same bytes as [`write_json_string`] of the decoded value.
///
/// # Errors
/// A write error.
pub fn write_json_text<W: Write>(out: &mut W, text: JsonStr<'_>) -> Result<()> {
    put(out, b"\"")?;
    for piece in text.pieces() {
        match piece {
            Piece::Text(s) => write_json_string_body(out, s)?,
            Piece::Char(c) => write_json_string_body(out, c.encode_utf8(&mut [0; 4]))?,
        }
    }
    put(out, b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    /// The encoder, a byte at a time.
    fn naive(s: &str) -> heapless::String<256> {
        let mut out = heapless::String::new();
        for c in s.chars() {
            let _ = match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    let [hi, lo] = hex::pair(u8::try_from(u32::from(c)).unwrap());
                    out.push_str("\\u00")
                        .and_then(|()| out.push(char::from(hi)))
                        .and_then(|()| out.push(char::from(lo)))
                }
                c => out.push(c),
            };
        }
        out
    }

    #[test]
    fn runs_of_plain_bytes_at_every_offset() {
        let specials = ['"', '\\', '\n', '\u{0}', '\u{1f}', 'é', '\u{7f}', ' '];
        for len in 0..24 {
            for at in 0..len {
                for special in specials {
                    let mut s = heapless::String::<64>::new();
                    for i in 0..len {
                        s.push(if i == at { special } else { 'a' }).unwrap();
                    }
                    let mut buf = [0u8; 256];
                    let n = write_to_slice(&mut buf, |w| write_json_string_body(w, &s)).unwrap();
                    assert_eq!(core::str::from_utf8(&buf[..n]).unwrap(), naive(&s).as_str());
                }
            }
        }
    }

    #[test]
    fn escapes_quotes_backslashes_and_controls() {
        let mut buf = [0u8; 64];
        let n = write_to_slice(&mut buf, |w| write_json_string(w, "a\"b\\c\n\u{1f}é")).unwrap();
        assert_eq!(
            core::str::from_utf8(&buf[..n]).unwrap(),
            "\"a\\\"b\\\\c\\u000a\\u001fé\""
        );
    }
}
