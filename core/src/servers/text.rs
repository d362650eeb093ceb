//! Writing config text: a line writer over [`embedded_io::Write`], and the quoted strings of
//! dnsmasq and ISC dhcpd.
//!
//! Values reach these writers already validated (URLs, names, addresses), but each quoting
//! function checks again for what its server cannot represent and refuses it with an error
//! naming the field: nothing is escaped into a different value or cut short.

use crate::error::{At, Error, ErrorKind, Field, Result};
use crate::model::MacAddr;
use crate::model::ip::{ShowV4, ShowV6};
use crate::model::text::refused;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};
use embedded_io::Write;

/// Writes text to any [`embedded_io::Write`], mapping its errors to core errors.
pub(crate) struct Out<'w, W: Write> {
    w: &'w mut W,
}

impl<'w, W: Write> Out<'w, W> {
    pub(crate) fn new(w: &'w mut W) -> Self {
        Out { w }
    }

    /// Writes `s` as it is.
    pub(crate) fn put(&mut self, s: &str) -> Result<()> {
        crate::output::write_all(&mut *self.w, s.as_bytes())
    }

    /// Writes the body of a JSON string for `s` (see [`crate::json::string`]).
    pub(crate) fn json_string_body(&mut self, s: &str) -> Result<()> {
        crate::json::string::write_json_string_body(self.w, s)
    }

    /// Writes `s` and a newline.
    pub(crate) fn line(&mut self, s: &str) -> Result<()> {
        self.put(s)?;
        self.put("\n")
    }

    /// Writes a value through its `Display` (addresses, numbers).
    pub(crate) fn show(&mut self, value: impl Show) -> Result<()> {
        let mut adapter = FmtAdapter {
            w: &mut *self.w,
            error: None,
        };
        let formatted = fmt::write(&mut adapter, format_args!("{}", Shown(&value)));
        match (adapter.error, formatted) {
            (Some(e), _) => Err(e),
            (None, Err(_)) => Err(Error::new(ErrorKind::Internal)),
            (None, Ok(())) => Ok(()),
        }
    }

    /// Writes a MAC address as `52:54:00:12:34:56`.
    pub(crate) fn mac(&mut self, mac: MacAddr) -> Result<()> {
        self.mac_with(mac, b':')
    }

    /// Writes a MAC address with `separator` between the pairs.
    pub(crate) fn mac_with(&mut self, mac: MacAddr, separator: u8) -> Result<()> {
        crate::output::write_all(&mut *self.w, &mac.spelled(separator))
    }

    /// Writes a `# text` comment line (the text is ipxegen's own, or a validated node id).
    pub(crate) fn comment(&mut self, text: &str) -> Result<()> {
        check_printable(text, Field::Document)?;
        if text.is_empty() {
            return self.line("#");
        }
        self.put("# ")?;
        self.line(text)
    }

    /// Writes each line of `text` as a `#` comment.
    pub(crate) fn comments(&mut self, text: &str) -> Result<()> {
        for line in text.lines() {
            self.comment(line)?;
        }
        Ok(())
    }
}

/// What config text shows: numbers, hex, and addresses, which are written by the core's own
/// code (`core::net`'s `Display` is not used: see [`crate::model::ip`]).
pub(crate) trait Show {
    /// Writes the value.
    fn show(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

macro_rules! show_by_display {
    ($($t:ty),*) => {
        $(impl Show for $t {
            fn show(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        })*
    };
}

show_by_display!(
    u16,
    u32,
    usize,
    crate::hex::Hex<'_>,
    crate::model::Duid,
    crate::model::SystemUuid
);

impl Show for Ipv4Addr {
    fn show(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&ShowV4(*self), f)
    }
}

impl Show for Ipv6Addr {
    fn show(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&ShowV6(*self), f)
    }
}

/// A [`Show`] value as `Display`.
struct Shown<'a, T: Show>(&'a T);

impl<T: Show> fmt::Display for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.show(f)
    }
}

struct FmtAdapter<'a, W: Write> {
    w: &'a mut W,
    error: Option<Error>,
}

impl<W: Write> fmt::Write for FmtAdapter<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        crate::output::write_all(&mut *self.w, s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

/// Refuses control bytes (a line break would end the statement early) and bytes that are not
/// ASCII (no server here defines an encoding for them).
pub(crate) fn check_printable(value: &str, field: Field) -> Result<()> {
    for (i, b) in value.bytes().enumerate() {
        let kind: fn(At) -> ErrorKind = match b {
            0x00..=0x1f | 0x7f => ErrorKind::ControlByte,
            0x80..=0xff => ErrorKind::NotAscii,
            _ => continue,
        };
        return Err(Error::at(refused(value, i, kind), field));
    }
    Ok(())
}

/// Writes `value` as a dnsmasq quoted string: `"value"`.
///
/// dnsmasq (option.c, `read_file`) strips the quotes, and inside them hides `,` `:` `.`,
/// digits, hex letters and spaces from the option parser, so the value is taken as a string
/// and never split at a comma nor read as a number, an address or hex; a `#` inside quotes is
/// not a comment. Inside quotes `\` starts an escape (`\"`, `\\`, `\t`, `\n`, `\r`, `\b`,
/// `\e`), so a value holding `"` or `\` is refused rather than escaped; so are control bytes
/// and non-ASCII bytes.
pub(crate) fn write_dnsmasq_quoted<W: Write>(
    out: &mut Out<'_, W>,
    value: &str,
    field: Field,
) -> Result<()> {
    check_printable(value, field)?;
    if value.is_empty() {
        return Err(Error::at(ErrorKind::Empty, field));
    }
    if value.bytes().any(|b| b == b'"' || b == b'\\') {
        return Err(Error::at(ErrorKind::BadCharacter, field));
    }
    out.put("\"")?;
    out.put(value)?;
    out.put("\"")
}

/// Writes `value` as an ISC dhcpd quoted string, `"` and `\` escaped with `\`.
///
/// ISC's lexer (conflex.c, `read_string`) ends the string at an unescaped `"` and reads `\"`
/// and `\\` as the character itself; `;`, `#` and `,` inside quotes are plain characters.
/// Control bytes and non-ASCII bytes are refused.
pub(crate) fn write_isc_quoted<W: Write>(
    out: &mut Out<'_, W>,
    value: &str,
    field: Field,
) -> Result<()> {
    check_printable(value, field)?;
    out.put("\"")?;
    let mut rest = value;
    while let Some(at) = rest.find(['"', '\\']) {
        // `at` is where an ASCII byte starts, so both splits are on character boundaries.
        let Some((plain, special)) = rest.split_at_checked(at) else {
            break;
        };
        let Some((escaped, after)) = special.split_at_checked(1) else {
            break;
        };
        out.put(plain)?;
        out.put("\\")?;
        out.put(escaped)?;
        rest = after;
    }
    out.put(rest)?;
    out.put("\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    fn render(
        f: impl FnOnce(&mut Out<'_, &mut [u8]>) -> Result<()>,
    ) -> Result<heapless::String<256>> {
        let mut buf = [0u8; 256];
        let n = write_to_slice(&mut buf, |w| f(&mut Out::new(w)))?;
        let mut s = heapless::String::new();
        s.push_str(core::str::from_utf8(&buf[..n]).unwrap())
            .unwrap();
        Ok(s)
    }

    #[test]
    fn dnsmasq_quotes_and_refuses() {
        let got = render(|o| write_dnsmasq_quoted(o, "http://x/a,b#c", Field::HttpServer)).unwrap();
        assert_eq!(got, "\"http://x/a,b#c\"");
        for (value, kind) in [
            ("a\"b", ErrorKind::BadCharacter),
            ("a\\b", ErrorKind::BadCharacter),
            (
                "a\nb",
                ErrorKind::ControlByte(At {
                    character: '\n',
                    position: 2,
                }),
            ),
            (
                "é",
                ErrorKind::NotAscii(At {
                    character: 'é',
                    position: 1,
                }),
            ),
            ("", ErrorKind::Empty),
        ] {
            let err = render(|o| write_dnsmasq_quoted(o, value, Field::Hostname)).unwrap_err();
            assert_eq!(err, Error::at(kind, Field::Hostname), "{value:?}");
        }
    }

    #[test]
    fn isc_escapes_quote_and_backslash() {
        let got = render(|o| write_isc_quoted(o, r#"a"b\c;d#e"#, Field::HttpServer)).unwrap();
        assert_eq!(got, r#""a\"b\\c;d#e""#);
        let err = render(|o| write_isc_quoted(o, "a\rb", Field::HttpServer)).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::ControlByte(At {
                character: '\r',
                position: 2,
            })
        );
    }

    #[test]
    fn shows_addresses_and_macs() {
        let got = render(|o| {
            o.show(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))?;
            o.put(" ")?;
            o.mac(MacAddr([0x52, 0x54, 0, 0xab, 0, 1]))
        })
        .unwrap();
        assert_eq!(got, "2001:db8::1 52:54:00:ab:00:01");
    }
}
