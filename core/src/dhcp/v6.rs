//! DHCPv6 options used in network boot (RFC 8415, RFC 5970): two-byte code, two-byte length,
//! data; no PAD, no END.
//!
//! Panic contract: reading never panics or reads past the end; a truncated option gives
//! [`ErrorKind::Truncated`] and ends the iteration.

use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::ClientArch;
use crate::output::output_len;
use embedded_io::Write;

/// Option codes.
pub mod code {
    /// Client identifier (DUID).
    pub const CLIENT_ID: u16 = 1;
    /// Option request.
    pub const ORO: u16 = 6;
    /// User class.
    pub const USER_CLASS: u16 = 15;
    /// Vendor class.
    pub const VENDOR_CLASS: u16 = 16;
    /// Boot file URL (RFC 5970).
    pub const BOOTFILE_URL: u16 = 59;
    /// Boot file parameters (RFC 5970).
    pub const BOOTFILE_PARAM: u16 = 60;
    /// Client architecture type (RFC 5970).
    pub const CLIENT_ARCH: u16 = 61;
    /// Client network interface identifier (RFC 5970).
    pub const NII: u16 = 62;
}

/// The enterprise number firmware uses in its vendor class (343: Intel, as PXE specifies).
pub const PXE_ENTERPRISE: u32 = 343;

/// A raw DHCPv6 option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawOption6<'a> {
    /// The code.
    pub code: u16,
    /// The data.
    pub data: &'a [u8],
}

/// Iterator over DHCPv6 options. After an error it yields nothing more.
#[derive(Clone, Debug)]
pub struct Options6<'a> {
    rest: &'a [u8],
}

impl<'a> Options6<'a> {
    /// The options in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Options6 { rest: bytes }
    }
}

fn truncated() -> Error {
    Error::at(ErrorKind::Truncated, Field::DhcpOption)
}

fn malformed() -> Error {
    Error::at(ErrorKind::Malformed, Field::DhcpOption)
}

fn split_u16(bytes: &[u8]) -> Option<(u16, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<2>()?;
    Some((u16::from_be_bytes(*head), rest))
}

impl<'a> Iterator for Options6<'a> {
    type Item = Result<RawOption6<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let parsed = split_u16(self.rest).and_then(|(code, rest)| {
            let (len, rest) = split_u16(rest)?;
            let (data, rest) = rest.split_at_checked(usize::from(len))?;
            Some((RawOption6 { code, data }, rest))
        });
        match parsed {
            Some((option, rest)) => {
                self.rest = rest;
                Some(Ok(option))
            }
            None => {
                self.rest = &[];
                Some(Err(truncated()))
            }
        }
    }
}

/// A list of `{u16 length, bytes}` items (user class 15, vendor class data, boot file
/// parameters 60).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemList<'a>(&'a [u8]);

impl<'a> ItemList<'a> {
    /// Checks that `bytes` is a whole list.
    pub fn new(bytes: &'a [u8]) -> Result<Self> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (len, after) = split_u16(rest).ok_or_else(malformed)?;
            rest = after.get(usize::from(len)..).ok_or_else(malformed)?;
        }
        Ok(ItemList(bytes))
    }

    /// The items.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let mut rest = self.0;
        core::iter::from_fn(move || {
            let (len, after) = split_u16(rest)?;
            let (item, next) = after.split_at_checked(usize::from(len))?;
            rest = next;
            Some(item)
        })
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

/// Writes `items` as a `{u16 length, bytes}` list into a fixed buffer.
pub fn encode_items<const N: usize>(items: &[&[u8]]) -> Result<heapless::Vec<u8, N>> {
    let mut out = heapless::Vec::new();
    let full = || {
        Error::at(
            ErrorKind::TooLong {
                max: u16::try_from(N).unwrap_or(u16::MAX),
            },
            Field::DhcpOption,
        )
    };
    for item in items {
        let len = u16::try_from(item.len()).map_err(|_| full())?;
        out.extend_from_slice(&len.to_be_bytes())
            .map_err(|_| full())?;
        out.extend_from_slice(item).map_err(|_| full())?;
    }
    Ok(out)
}

/// One DHCPv6 option, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dhcpv6Option<'a> {
    /// 15: user classes (iPXE sends one: `iPXE`).
    UserClass(ItemList<'a>),
    /// 16: vendor class: enterprise number and class data items.
    VendorClass {
        /// Enterprise number (343 for PXE firmware).
        enterprise: u32,
        /// The class data items (`PXEClient:Arch:...`, `HTTPClient...`).
        items: ItemList<'a>,
    },
    /// 59: boot file URL.
    BootfileUrl(&'a [u8]),
    /// 60: boot file parameters.
    BootfileParams(ItemList<'a>),
    /// 61: client architectures (list of u16, big-endian).
    ClientArch(&'a [u8]),
    /// 62: client network interface identifier.
    Nii {
        /// Interface type (1 = UNDI).
        kind: u8,
        /// Major revision.
        major: u8,
        /// Minor revision.
        minor: u8,
    },
    /// Any other option.
    Other {
        /// Its code.
        code: u16,
        /// Its data.
        data: &'a [u8],
    },
}

impl<'a> Dhcpv6Option<'a> {
    /// The typed view of a raw option.
    ///
    /// # Errors
    /// [`ErrorKind::Malformed`] when the data has the wrong shape for the code.
    pub fn parse(raw: RawOption6<'a>) -> Result<Self> {
        let data = raw.data;
        Ok(match raw.code {
            code::USER_CLASS => Dhcpv6Option::UserClass(ItemList::new(data)?),
            code::VENDOR_CLASS => {
                let (head, rest) = data.split_first_chunk::<4>().ok_or_else(malformed)?;
                Dhcpv6Option::VendorClass {
                    enterprise: u32::from_be_bytes(*head),
                    items: ItemList::new(rest)?,
                }
            }
            code::BOOTFILE_URL => Dhcpv6Option::BootfileUrl(data),
            code::BOOTFILE_PARAM => Dhcpv6Option::BootfileParams(ItemList::new(data)?),
            code::CLIENT_ARCH => {
                if !data.len().is_multiple_of(2) {
                    return Err(malformed());
                }
                Dhcpv6Option::ClientArch(data)
            }
            code::NII => match data {
                [kind, major, minor] => Dhcpv6Option::Nii {
                    kind: *kind,
                    major: *major,
                    minor: *minor,
                },
                _ => return Err(malformed()),
            },
            code => Dhcpv6Option::Other { code, data },
        })
    }

    /// The option code.
    pub fn code(&self) -> u16 {
        match self {
            Dhcpv6Option::UserClass(_) => code::USER_CLASS,
            Dhcpv6Option::VendorClass { .. } => code::VENDOR_CLASS,
            Dhcpv6Option::BootfileUrl(_) => code::BOOTFILE_URL,
            Dhcpv6Option::BootfileParams(_) => code::BOOTFILE_PARAM,
            Dhcpv6Option::ClientArch(_) => code::CLIENT_ARCH,
            Dhcpv6Option::Nii { .. } => code::NII,
            Dhcpv6Option::Other { code, .. } => *code,
        }
    }

    /// The client architectures of a 61 option.
    pub fn archs(data: &'a [u8]) -> impl Iterator<Item = ClientArch> + 'a {
        data.chunks_exact(2).map(|c| match c {
            [hi, lo] => ClientArch(u16::from_be_bytes([*hi, *lo])),
            _ => ClientArch(u16::MAX),
        })
    }

    /// Writes the option.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] for data over 65535 bytes, or a write error.
    pub fn emit<W: Write>(&self, out: &mut W) -> Result<()> {
        let w = |out: &mut W, bytes: &[u8]| crate::output::write_all(out, bytes);
        let (prefix, data): (&[u8], &[u8]) = match self {
            Dhcpv6Option::UserClass(items) | Dhcpv6Option::BootfileParams(items) => {
                (&[], items.as_bytes())
            }
            Dhcpv6Option::VendorClass { items, .. } => (&[0; 4], items.as_bytes()),
            Dhcpv6Option::BootfileUrl(d)
            | Dhcpv6Option::ClientArch(d)
            | Dhcpv6Option::Other { data: d, .. } => (&[], d),
            Dhcpv6Option::Nii { .. } => (&[], &[0; 3]),
        };
        let len = u16::try_from(prefix.len() + data.len())
            .map_err(|_| Error::at(ErrorKind::TooLong { max: u16::MAX }, Field::DhcpOption))?;
        w(out, &self.code().to_be_bytes())?;
        w(out, &len.to_be_bytes())?;
        match self {
            Dhcpv6Option::VendorClass { enterprise, .. } => w(out, &enterprise.to_be_bytes())?,
            Dhcpv6Option::Nii { kind, major, minor } => return w(out, &[*kind, *major, *minor]),
            _ => {}
        }
        w(out, data)
    }

    /// The number of bytes [`Dhcpv6Option::emit`] writes.
    pub fn buffer_len(&self) -> Result<usize> {
        output_len(|w| self.emit(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    fn round_trip(option: Dhcpv6Option<'_>, bytes: &[u8]) {
        let mut buf = [0xa5u8; 700];
        let n = write_to_slice(&mut buf, |w| option.emit(w)).unwrap();
        assert_eq!(&buf[..n], bytes);
        assert_eq!(buf[n], 0xa5);
        assert_eq!(option.buffer_len().unwrap(), n);
        let raw = Options6::new(bytes).next().unwrap().unwrap();
        assert_eq!(Dhcpv6Option::parse(raw).unwrap(), option);
    }

    #[test]
    fn every_option_round_trips() {
        round_trip(
            Dhcpv6Option::UserClass(ItemList::new(b"\x00\x04iPXE").unwrap()),
            b"\x00\x0f\x00\x06\x00\x04iPXE",
        );
        round_trip(
            Dhcpv6Option::VendorClass {
                enterprise: 343,
                items: ItemList::new(b"\x00\x0aHTTPClient").unwrap(),
            },
            b"\x00\x10\x00\x10\x00\x00\x01\x57\x00\x0aHTTPClient",
        );
        round_trip(
            Dhcpv6Option::BootfileUrl(b"tftp://[2001:db8::1]/snponly.efi"),
            b"\x00\x3b\x00\x20tftp://[2001:db8::1]/snponly.efi",
        );
        round_trip(
            Dhcpv6Option::BootfileParams(ItemList::new(b"\x00\x01a").unwrap()),
            b"\x00\x3c\x00\x03\x00\x01a",
        );
        round_trip(
            Dhcpv6Option::ClientArch(&[0, 7, 0, 16]),
            &[0, 61, 0, 4, 0, 7, 0, 16],
        );
        round_trip(
            Dhcpv6Option::Nii {
                kind: 1,
                major: 3,
                minor: 10,
            },
            &[0, 62, 0, 3, 1, 3, 10],
        );
        round_trip(
            Dhcpv6Option::Other {
                code: 1,
                data: &[0, 3, 0, 1],
            },
            &[0, 1, 0, 4, 0, 3, 0, 1],
        );
    }

    #[test]
    fn data_lengths() {
        let data = [b'u'; 511];
        type Make = fn(&[u8]) -> Dhcpv6Option<'_>;
        let makes: [(Make, usize); 3] = [
            (|d| Dhcpv6Option::BootfileUrl(d), 1),
            (|d| Dhcpv6Option::ClientArch(d), 2),
            (|d| Dhcpv6Option::Other { code: 1, data: d }, 1),
        ];
        for ((make, element), len) in makes
            .iter()
            .flat_map(|m| [0usize, 1, 254, 255, 256, 511].map(|l| (*m, l)))
        {
            let len = len - len % element;
            let option = make(&data[..len]);
            let mut buf = [0u8; 600];
            let n = write_to_slice(&mut buf, |w| option.emit(w)).unwrap();
            assert_eq!(n, len + 4);
            assert_eq!(
                Dhcpv6Option::parse(Options6::new(&buf[..n]).next().unwrap().unwrap()).unwrap(),
                option
            );
        }
    }

    #[test]
    fn truncated_and_malformed() {
        for bytes in [&[0u8][..], &[0, 59, 0], &[0, 59, 0, 5, 1]] {
            assert_eq!(
                Options6::new(bytes).next().unwrap().unwrap_err().kind,
                ErrorKind::Truncated
            );
        }
        assert!(ItemList::new(&[0, 5, 1]).is_err());
        assert!(
            Dhcpv6Option::parse(RawOption6 {
                code: 61,
                data: &[0]
            })
            .is_err()
        );
        assert!(
            Dhcpv6Option::parse(RawOption6 {
                code: 16,
                data: &[0, 0]
            })
            .is_err()
        );
    }

    #[test]
    fn items_encode() {
        let list: heapless::Vec<u8, 32> = encode_items(&[b"iPXE"]).unwrap();
        assert_eq!(list.as_slice(), b"\x00\x04iPXE");
    }
}
