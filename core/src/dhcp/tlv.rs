//! The type-length-value layout shared by DHCPv4 options and their encapsulated sub-options
//! (43 PXE, 175 iPXE): one code byte, one length byte, then that many data bytes; PAD (0) and
//! END (255) stand alone.
//!
//! Panic contract: reading never panics or reads past the end; a truncated item gives
//! [`ErrorKind::Truncated`] and ends the iteration.

use crate::error::{Error, ErrorKind, Field, Result};
use embedded_io::Write;

/// PAD: one byte, no length.
pub const PAD: u8 = 0;
/// END: one byte, no length; nothing after it is an option.
pub const END: u8 = 255;

/// One item: its code and data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The code.
    pub code: u8,
    /// The data.
    pub data: &'a [u8],
}

/// Iterator over the items of a TLV area, skipping PAD and stopping at END or the end of the
/// bytes. After an error it yields nothing more.
#[derive(Clone, Debug)]
pub struct Tlvs<'a> {
    rest: &'a [u8],
}

impl<'a> Tlvs<'a> {
    /// The items of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Tlvs { rest: bytes }
    }
}

impl<'a> Iterator for Tlvs<'a> {
    type Item = Result<Tlv<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (&code, after_code) = self.rest.split_first()?;
            match code {
                PAD => self.rest = after_code,
                END => {
                    self.rest = &[];
                    return None;
                }
                _ => {
                    let truncated = || Error::at(ErrorKind::Truncated, Field::DhcpOption);
                    let Some((&len, after_len)) = after_code.split_first() else {
                        self.rest = &[];
                        return Some(Err(truncated()));
                    };
                    let Some((data, rest)) = after_len.split_at_checked(usize::from(len)) else {
                        self.rest = &[];
                        return Some(Err(truncated()));
                    };
                    self.rest = rest;
                    return Some(Ok(Tlv { code, data }));
                }
            }
        }
    }
}

/// The data of the first item with `code`, if any (what iPXE reads: it does not join RFC 3396
/// continuations).
pub fn find(bytes: &[u8], code: u8) -> Result<Option<&[u8]>> {
    for item in Tlvs::new(bytes) {
        let item = item?;
        if item.code == code {
            return Ok(Some(item.data));
        }
    }
    Ok(None)
}

/// Writes one item. Data longer than 255 bytes is refused ([`ErrorKind::TooLong`]): use
/// [`write_split`] where the receiver joins RFC 3396 continuations.
pub fn write<W: Write>(out: &mut W, code: u8, data: &[u8]) -> Result<()> {
    let len = u8::try_from(data.len())
        .map_err(|_| Error::at(ErrorKind::TooLong { max: 255 }, Field::DhcpOption))?;
    crate::output::write_all(out, &[code, len])?;
    crate::output::write_all(out, data)
}

/// Writes `data` as consecutive items of the same `code` (RFC 3396), cutting only between
/// elements of `element` bytes (4 for a list of IPv4 addresses) so no element is split. Empty
/// data gives one empty item.
pub fn write_split<W: Write>(out: &mut W, code: u8, data: &[u8], element: usize) -> Result<()> {
    if element == 0 || element > 255 || !data.len().is_multiple_of(element) {
        return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption));
    }
    let chunk = 255 - 255 % element;
    if data.is_empty() {
        return write(out, code, data);
    }
    for part in data.chunks(chunk) {
        write(out, code, part)?;
    }
    Ok(())
}

/// Copies the data of every item with `code` into `out`, joined (RFC 3396). Returns the
/// joined length, or `None` if no item has that code.
pub fn join_into(bytes: &[u8], code: u8, out: &mut [u8]) -> Result<Option<usize>> {
    let mut len = 0usize;
    let mut found = false;
    for item in Tlvs::new(bytes) {
        let item = item?;
        if item.code != code {
            continue;
        }
        found = true;
        let end = len + item.data.len();
        let slot = out.get_mut(len..end).ok_or_else(|| {
            Error::at(
                ErrorKind::Write(embedded_io::ErrorKind::WriteZero),
                Field::DhcpOption,
            )
        })?;
        slot.copy_from_slice(item.data);
        len = end;
    }
    Ok(found.then_some(len))
}

/// A fixed buffer that collects encapsulated sub-options (43, 175); at most 255 bytes, the
/// most one option can carry. (A plain array and length: every write is a checked slice, so
/// no length conversion can panic when it is inlined into firmware.)
#[derive(Clone, Debug)]
pub struct SubOptions {
    bytes: [u8; 255],
    len: usize,
}

impl Default for SubOptions {
    fn default() -> Self {
        SubOptions {
            bytes: [0; 255],
            len: 0,
        }
    }
}

impl SubOptions {
    /// An empty set.
    pub fn new() -> Self {
        SubOptions::default()
    }

    /// Appends a sub-option.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] when the whole would pass 255 bytes; nothing is appended then.
    pub fn push(&mut self, code: u8, data: &[u8]) -> Result<()> {
        let too_long = || Error::at(ErrorKind::TooLong { max: 255 }, Field::DhcpOption);
        let len = u8::try_from(data.len()).map_err(|_| too_long())?;
        let end = self
            .len
            .checked_add(2)
            .and_then(|n| n.checked_add(data.len()))
            .ok_or_else(too_long)?;
        let room = self.bytes.get_mut(self.len..end).ok_or_else(too_long)?;
        for (to, from) in room.iter_mut().zip([code, len].iter().chain(data)) {
            *to = *from;
        }
        self.len = end;
        Ok(())
    }

    /// Appends END (255), which PXE 2.1 puts after the sub-options of option 43.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] when the set already holds 255 bytes; nothing is appended then.
    pub fn end(&mut self) -> Result<()> {
        let slot = self.bytes.get_mut(self.len).ok_or(Error::at(
            ErrorKind::TooLong { max: 255 },
            Field::DhcpOption,
        ))?;
        *slot = END;
        self.len = self.len.saturating_add(1);
        Ok(())
    }

    /// The encoded sub-options.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    #[test]
    fn reads_items_skipping_pad_until_end() {
        let bytes = [0, 53, 1, 1, 0, 0, 60, 2, b'a', b'b', 255, 53, 1, 2];
        let items: heapless::Vec<Tlv<'_>, 4> = Tlvs::new(&bytes).map(|t| t.unwrap()).collect();
        assert_eq!(
            items.as_slice(),
            [
                Tlv {
                    code: 53,
                    data: &[1]
                },
                Tlv {
                    code: 60,
                    data: b"ab"
                }
            ]
        );
    }

    #[test]
    fn truncated_items_are_errors() {
        for bytes in [&[53u8][..], &[53, 2, 1], &[60, 255]] {
            let mut items = Tlvs::new(bytes);
            assert_eq!(
                items.next().unwrap().unwrap_err().kind,
                ErrorKind::Truncated
            );
            assert!(items.next().is_none());
        }
    }

    #[test]
    fn sub_options_end_with_end_when_asked() {
        let mut pxe = SubOptions::new();
        pxe.push(6, &[8]).unwrap();
        pxe.end().unwrap();
        assert_eq!(pxe.as_bytes(), [6, 1, 8, 255]);
        let mut full = SubOptions::new();
        full.push(1, &[0; 253]).unwrap();
        assert_eq!(
            full.end().unwrap_err().kind,
            ErrorKind::TooLong { max: 255 }
        );
        assert_eq!(full.as_bytes().len(), 255);
    }

    #[test]
    fn split_keeps_elements_whole_and_joins_back() {
        let data: heapless::Vec<u8, 600> = (0..600u16)
            .map(|i| u8::try_from(i % 251).unwrap())
            .collect();
        let mut buf = [0xa5u8; 700];
        let n = write_to_slice(&mut buf, |w| write_split(w, 150, &data, 4)).unwrap();
        // 252 + 252 + 96 bytes of data: each piece a whole number of addresses.
        assert_eq!(n, 600 + 3 * 2);
        assert_eq!(buf[1], 252);
        let mut joined = [0u8; 600];
        assert_eq!(join_into(&buf[..n], 150, &mut joined).unwrap(), Some(600));
        assert_eq!(&joined[..], &data[..]);
    }
}
