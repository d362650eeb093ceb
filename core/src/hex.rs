//! Hexadecimal: the one encoder (and decoder) of the core. MAC spellings, percent-encoding,
//! SHA-256 digests, option bytes in server configs and reports all go through it.
//!
//! Encoding never fails and never allocates; decoding refuses anything but pairs of hex
//! digits (with optional separators the caller names).

use crate::error::{Error, ErrorKind, Field, Result};
use core::fmt;
use embedded_io::Write;

/// The hex digit of the low four bits of `n`.
const fn digit(n: u8, upper: bool) -> u8 {
    let n = n & 0xf;
    match (n, upper) {
        (0..=9, _) => b'0' + n,
        (_, false) => b'a' + n - 10,
        (_, true) => b'A' + n - 10,
    }
}

/// The two lower-case hex digits of `b`: `0x5a` gives `*b"5a"`.
pub const fn pair(b: u8) -> [u8; 2] {
    [digit(b >> 4, false), digit(b, false)]
}

/// The two upper-case hex digits of `b` (percent-encoding, RFC 3986 2.1): `*b"5A"`.
pub const fn pair_upper(b: u8) -> [u8; 2] {
    [digit(b >> 4, true), digit(b, true)]
}

/// Writes `bytes` as lower-case hex, two digits per byte, no separator.
///
/// # Errors
/// A write error.
pub fn write_hex<W: Write>(out: &mut W, bytes: &[u8]) -> Result<()> {
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(buf.len() / 2) {
        for (digits, &b) in buf.chunks_exact_mut(2).zip(chunk) {
            if let [hi, lo] = digits {
                [*hi, *lo] = pair(b);
            }
        }
        crate::output::write_all(out, buf.get(..chunk.len() * 2).unwrap_or_default())?;
    }
    Ok(())
}

/// `bytes` as lower-case hex through `Display` (for `core::fmt` writers).
#[derive(Clone, Copy, Debug)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.0 {
            let digits = pair(b);
            f.write_str(core::str::from_utf8(&digits).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

/// The byte written as the two hex digits `hi` `lo` (either case), if they are hex digits.
pub const fn byte_of(hi: u8, lo: u8) -> Option<u8> {
    match (value(hi), value(lo)) {
        (Some(h), Some(l)) => Some(h << 4 | l),
        _ => None,
    }
}

/// The value of one hex digit (either case).
pub const fn value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex text into `out`, skipping ASCII whitespace and the bytes in `separators`
/// between digit pairs; returns how many bytes it wrote.
///
/// # Errors
/// [`ErrorKind::BadCharacter`] for a byte that is neither a hex digit, whitespace nor a
/// separator, or an odd number of digits; [`ErrorKind::TooLong`] when `out` is too small.
/// Both name `field`.
pub fn decode_into(text: &[u8], separators: &[u8], out: &mut [u8], field: Field) -> Result<usize> {
    let too_long = Error::at(
        ErrorKind::TooLong {
            max: u16::try_from(out.len()).unwrap_or(u16::MAX),
        },
        field,
    );
    let mut len = 0usize;
    let mut high: Option<u8> = None;
    for &b in text {
        if b.is_ascii_whitespace() || separators.contains(&b) {
            if high.is_some() {
                return Err(Error::at(ErrorKind::BadCharacter, field));
            }
            continue;
        }
        let digit = value(b).ok_or(Error::at(ErrorKind::BadCharacter, field))?;
        match high.take() {
            None => high = Some(digit),
            Some(h) => {
                let slot = out.get_mut(len).ok_or(too_long)?;
                *slot = h << 4 | digit;
                len += 1;
            }
        }
    }
    if high.is_some() {
        return Err(Error::at(ErrorKind::BadCharacter, field));
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    #[test]
    fn pairs_both_cases() {
        assert_eq!(&pair(0x5a), b"5a");
        assert_eq!(&pair_upper(0x5a), b"5A");
        assert_eq!(&pair(0x00), b"00");
        assert_eq!(&pair(0xff), b"ff");
        assert_eq!(byte_of(b'F', b'e'), Some(0xfe));
        assert_eq!(byte_of(b'g', b'0'), None);
    }

    #[test]
    fn writes_and_displays() {
        let mut buf = [0u8; 8];
        let n = write_to_slice(&mut buf, |w| write_hex(w, &[0xde, 0xad, 0x01])).unwrap();
        assert_eq!(&buf[..n], b"dead01");
        let mut s = heapless::String::<8>::new();
        fmt::Write::write_fmt(&mut s, format_args!("{}", Hex(&[0, 7]))).unwrap();
        assert_eq!(s, "0007");
    }

    #[test]
    fn decodes_with_separators() {
        let mut out = [0u8; 4];
        let n = decode_into(b"de:AD\n01", b":", &mut out, Field::Request).unwrap();
        assert_eq!(&out[..n], &[0xde, 0xad, 0x01]);
        for bad in [&b"abc"[..], b"a:b", b"zz"] {
            let e = decode_into(bad, b":", &mut out, Field::Request).unwrap_err();
            assert_eq!(
                e,
                Error::at(ErrorKind::BadCharacter, Field::Request),
                "{bad:?}"
            );
        }
        let e = decode_into(b"0102030405", b"", &mut out, Field::Request).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLong { max: 4 });
    }
}
