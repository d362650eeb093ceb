//! DHCPv4 options used in network boot (RFC 2132, RFC 4578, RFC 5071, iPXE's option 175).
//!
//! [`DhcpOption`] is the typed view of one option: [`DhcpOption::parse`] reads it from a raw
//! [`Tlv`], [`DhcpOption::emit`] writes it, [`DhcpOption::buffer_len`] is the length `emit`
//! writes (computed by emitting into a counting sink, never kept by hand).
//!
//! iPXE reads only the first instance of an option and ignores option 52 (overload), so
//! `emit` refuses data longer than 255 bytes. [`super::tlv::write_split`]
//! splits long data (RFC 3396) for receivers that join it.

use crate::dhcp::tlv::{self, Tlv, Tlvs};
use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::ClientArch;
use crate::output::output_len;
use core::net::Ipv4Addr;
use embedded_io::Write;

/// Option codes.
pub mod code {
    /// Pad.
    pub const PAD: u8 = 0;
    /// Vendor-specific information (PXE sub-options when 60 is `PXEClient`).
    pub const VENDOR_SPECIFIC: u8 = 43;
    /// DHCP message type.
    pub const MESSAGE_TYPE: u8 = 53;
    /// Server identifier.
    pub const SERVER_IDENTIFIER: u8 = 54;
    /// Vendor class identifier.
    pub const VENDOR_CLASS: u8 = 60;
    /// Client identifier.
    pub const CLIENT_ID: u8 = 61;
    /// TFTP server name.
    pub const TFTP_SERVER_NAME: u8 = 66;
    /// Boot file name.
    pub const BOOTFILE_NAME: u8 = 67;
    /// User class.
    pub const USER_CLASS: u8 = 77;
    /// Client system architecture (RFC 4578).
    pub const CLIENT_ARCH: u8 = 93;
    /// Client network device interface (RFC 4578).
    pub const CLIENT_NDI: u8 = 94;
    /// Client machine identifier (RFC 4578).
    pub const CLIENT_MACHINE_ID: u8 = 97;
    /// TFTP server addresses (RFC 5859).
    pub const TFTP_SERVERS: u8 = 150;
    /// iPXE encapsulated options.
    pub const IPXE: u8 = 175;
    /// PXELINUX configuration file (RFC 5071).
    pub const PXELINUX_CONFIG_FILE: u8 = 209;
    /// PXELINUX path prefix (RFC 5071).
    pub const PXELINUX_PATH_PREFIX: u8 = 210;
    /// End.
    pub const END: u8 = 255;
}

/// Values of option 53 (DHCP message type, RFC 2132 §9.6).
pub mod message {
    /// DHCPDISCOVER.
    pub const DISCOVER: u8 = 1;
    /// DHCPREQUEST.
    pub const REQUEST: u8 = 3;
}

/// Sub-options of option 175 (iPXE) a server may send, and the feature indicators iPXE sends.
pub mod ipxe {
    /// Priority (int8).
    pub const PRIORITY: u8 = 1;
    /// Keep the SAN drive after boot.
    pub const KEEP_SAN: u8 = 8;
    /// Skip booting from the SAN drive.
    pub const SKIP_SAN_BOOT: u8 = 9;
    /// Syslog servers.
    pub const SYSLOGS: u8 = 85;
    /// Trusted root certificate fingerprints.
    pub const TRUST: u8 = 90;
    /// Client certificate.
    pub const CERT: u8 = 91;
    /// Client private key.
    pub const PRIVKEY: u8 = 92;
    /// Cross-signed certificate source.
    pub const CROSSCERT: u8 = 93;
    /// Skip the ProxyDHCP wait (uint8, 1 = skip).
    pub const NO_PXEDHCP: u8 = 176;
    /// Bus id (sent by iPXE).
    pub const BUS_ID: u8 = 177;
    /// SAN retries.
    pub const SAN_RETRIES: u8 = 187;
    /// SAN filename.
    pub const SAN_FILENAME: u8 = 188;
    /// SAN drive.
    pub const SAN_DRIVE: u8 = 189;
    /// Username.
    pub const USERNAME: u8 = 190;
    /// Password.
    pub const PASSWORD: u8 = 191;
    /// Reverse username.
    pub const REVERSE_USERNAME: u8 = 192;
    /// Reverse password.
    pub const REVERSE_PASSWORD: u8 = 193;
    /// Numeric user id.
    pub const UID: u8 = 194;
    /// Numeric group id.
    pub const GID: u8 = 195;
    /// iPXE version (sent by iPXE: major, minor, patch).
    pub const VERSION: u8 = 235;
    /// Feature indicator: HTTP.
    pub const FEATURE_HTTP: u8 = 19;
    /// Feature indicator: HTTPS.
    pub const FEATURE_HTTPS: u8 = 20;
    /// Feature indicator: iSCSI.
    pub const FEATURE_ISCSI: u8 = 17;
    /// Feature indicator: EFI.
    pub const FEATURE_EFI: u8 = 36;
}

/// Sub-options of option 43 for PXE clients (PXE 2.1 specification).
pub mod pxe {
    /// Discovery control (bit 3 = boot the file named in the offer, no menu or discovery).
    pub const DISCOVERY_CONTROL: u8 = 6;
    /// Boot menu: never send it to iPXE (it would show a PXE menu instead of booting).
    pub const BOOT_MENU: u8 = 9;
    /// Discovery control value: use the boot file from the offer directly.
    pub const USE_BOOTFILE: u8 = 0x08;
}

/// Client network device interface (option 94): UNDI type and version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ndi {
    /// Interface type (1 = UNDI).
    pub kind: u8,
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
}

/// A list of 16-bit client architectures as carried in option 93 (big-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchList<'a>(&'a [u8]);

impl<'a> ArchList<'a> {
    /// Checks that `bytes` holds whole 16-bit codes.
    pub fn new(bytes: &'a [u8]) -> Result<Self> {
        if !bytes.len().is_multiple_of(2) {
            return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption));
        }
        Ok(ArchList(bytes))
    }

    /// The codes.
    pub fn iter(&self) -> impl Iterator<Item = ClientArch> + 'a {
        self.0.chunks_exact(2).map(|c| match c {
            [hi, lo] => ClientArch(u16::from_be_bytes([*hi, *lo])),
            _ => ClientArch(u16::MAX),
        })
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

/// A list of IPv4 addresses (option 150).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4List<'a>(&'a [u8]);

impl<'a> Ipv4List<'a> {
    /// Checks that `bytes` holds whole addresses.
    pub fn new(bytes: &'a [u8]) -> Result<Self> {
        if !bytes.len().is_multiple_of(4) {
            return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption));
        }
        Ok(Ipv4List(bytes))
    }

    /// The addresses.
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Addr> + 'a {
        self.0.chunks_exact(4).map(|c| match c {
            [a, b, c, d] => Ipv4Addr::new(*a, *b, *c, *d),
            _ => Ipv4Addr::UNSPECIFIED,
        })
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

/// One DHCPv4 option, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DhcpOption<'a> {
    /// 0: one byte of padding.
    Pad,
    /// 255: end of options.
    End,
    /// 43: vendor-specific sub-options (PXE when 60 is `PXEClient`), TLV-encoded.
    VendorSpecific(&'a [u8]),
    /// 54: server identifier.
    ServerIdentifier(Ipv4Addr),
    /// 60: vendor class identifier (`PXEClient:Arch:...`, `HTTPClient`).
    VendorClass(&'a [u8]),
    /// 66: TFTP server name.
    TftpServerName(&'a [u8]),
    /// 67: boot file name.
    BootfileName(&'a [u8]),
    /// 77: user class, as sent (iPXE sends the raw 4 bytes `iPXE`).
    UserClass(&'a [u8]),
    /// 93: client architectures.
    ClientArch(ArchList<'a>),
    /// 94: client network device interface.
    ClientNdi(Ndi),
    /// 97: client machine identifier (type 0 then a 16-byte GUID).
    ClientMachineId(&'a [u8]),
    /// 150: TFTP server addresses.
    TftpServers(Ipv4List<'a>),
    /// 175: iPXE encapsulated sub-options, TLV-encoded.
    Ipxe(&'a [u8]),
    /// 209: PXELINUX configuration file.
    PxelinuxConfigFile(&'a [u8]),
    /// 210: PXELINUX path prefix.
    PxelinuxPathPrefix(&'a [u8]),
    /// Any other option.
    Other {
        /// Its code.
        code: u8,
        /// Its data.
        data: &'a [u8],
    },
}

impl<'a> DhcpOption<'a> {
    /// The typed view of a raw option.
    ///
    /// # Errors
    /// [`ErrorKind::Malformed`] when the data has the wrong shape for the code (54 not 4
    /// bytes, 93 of odd length, 94 not 3 bytes, 150 not whole addresses, 43/175 not valid
    /// TLVs).
    pub fn parse(raw: Tlv<'a>) -> Result<Self> {
        let data = raw.data;
        Ok(match raw.code {
            code::PAD => DhcpOption::Pad,
            code::END => DhcpOption::End,
            code::VENDOR_SPECIFIC => DhcpOption::VendorSpecific(check_tlvs(data)?),
            code::SERVER_IDENTIFIER => match data {
                [a, b, c, d] => DhcpOption::ServerIdentifier(Ipv4Addr::new(*a, *b, *c, *d)),
                _ => return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption)),
            },
            code::VENDOR_CLASS => DhcpOption::VendorClass(data),
            code::TFTP_SERVER_NAME => DhcpOption::TftpServerName(data),
            code::BOOTFILE_NAME => DhcpOption::BootfileName(data),
            code::USER_CLASS => DhcpOption::UserClass(data),
            code::CLIENT_ARCH => DhcpOption::ClientArch(ArchList::new(data)?),
            code::CLIENT_NDI => match data {
                [kind, major, minor] => DhcpOption::ClientNdi(Ndi {
                    kind: *kind,
                    major: *major,
                    minor: *minor,
                }),
                _ => return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption)),
            },
            code::CLIENT_MACHINE_ID => DhcpOption::ClientMachineId(data),
            code::TFTP_SERVERS => DhcpOption::TftpServers(Ipv4List::new(data)?),
            code::IPXE => DhcpOption::Ipxe(check_tlvs(data)?),
            code::PXELINUX_CONFIG_FILE => DhcpOption::PxelinuxConfigFile(data),
            code::PXELINUX_PATH_PREFIX => DhcpOption::PxelinuxPathPrefix(data),
            code => DhcpOption::Other { code, data },
        })
    }

    /// The option code.
    pub fn code(&self) -> u8 {
        match self {
            DhcpOption::Pad => code::PAD,
            DhcpOption::End => code::END,
            DhcpOption::VendorSpecific(_) => code::VENDOR_SPECIFIC,
            DhcpOption::ServerIdentifier(_) => code::SERVER_IDENTIFIER,
            DhcpOption::VendorClass(_) => code::VENDOR_CLASS,
            DhcpOption::TftpServerName(_) => code::TFTP_SERVER_NAME,
            DhcpOption::BootfileName(_) => code::BOOTFILE_NAME,
            DhcpOption::UserClass(_) => code::USER_CLASS,
            DhcpOption::ClientArch(_) => code::CLIENT_ARCH,
            DhcpOption::ClientNdi(_) => code::CLIENT_NDI,
            DhcpOption::ClientMachineId(_) => code::CLIENT_MACHINE_ID,
            DhcpOption::TftpServers(_) => code::TFTP_SERVERS,
            DhcpOption::Ipxe(_) => code::IPXE,
            DhcpOption::PxelinuxConfigFile(_) => code::PXELINUX_CONFIG_FILE,
            DhcpOption::PxelinuxPathPrefix(_) => code::PXELINUX_PATH_PREFIX,
            DhcpOption::Other { code, .. } => *code,
        }
    }

    /// Writes the option (code, length, data; PAD and END as one byte).
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] for data over 255 bytes (iPXE reads only one instance), or a
    /// write error.
    pub fn emit<W: Write>(&self, out: &mut W) -> Result<()> {
        let ndi;
        let address;
        let data: &[u8] = match self {
            DhcpOption::Pad | DhcpOption::End => {
                return crate::output::write_all(out, &[self.code()]);
            }
            DhcpOption::ClientArch(list) => list.as_bytes(),
            DhcpOption::TftpServers(list) => list.as_bytes(),
            DhcpOption::ClientNdi(n) => {
                ndi = [n.kind, n.major, n.minor];
                &ndi
            }
            DhcpOption::ServerIdentifier(a) => {
                address = a.octets();
                &address
            }
            DhcpOption::VendorSpecific(d)
            | DhcpOption::VendorClass(d)
            | DhcpOption::TftpServerName(d)
            | DhcpOption::BootfileName(d)
            | DhcpOption::UserClass(d)
            | DhcpOption::ClientMachineId(d)
            | DhcpOption::Ipxe(d)
            | DhcpOption::PxelinuxConfigFile(d)
            | DhcpOption::PxelinuxPathPrefix(d)
            | DhcpOption::Other { data: d, .. } => d,
        };
        tlv::write(out, self.code(), data)
    }

    /// The number of bytes [`DhcpOption::emit`] writes.
    pub fn buffer_len(&self) -> Result<usize> {
        output_len(|w| self.emit(w))
    }
}

fn check_tlvs(data: &[u8]) -> Result<&[u8]> {
    for item in Tlvs::new(data) {
        item.map_err(|_| Error::at(ErrorKind::Malformed, Field::DhcpOption))?;
    }
    Ok(data)
}

/// `true` when option 77 says `iPXE`, in the raw form iPXE sends or the RFC 3004 form
/// (length-prefixed instances).
pub fn user_class_is_ipxe(data: &[u8]) -> bool {
    user_class_bytes_say_ipxe(data.iter().copied())
}

/// [`user_class_is_ipxe`] over the bytes of option 77 as a stream (its RFC 3396 instances
/// joined, without copying them).
pub fn user_class_bytes_say_ipxe(data: impl Iterator<Item = u8> + Clone) -> bool {
    const IPXE: &[u8] = b"iPXE";
    if data.clone().eq(IPXE.iter().copied()) {
        return true;
    }
    let mut rest = data;
    while let Some(len) = rest.next() {
        let len = usize::from(len);
        let class = rest.clone().take(len);
        if class.clone().count() < len {
            return false;
        }
        if class.eq(IPXE.iter().copied()) {
            return true;
        }
        if let Some(last) = len.checked_sub(1) {
            rest.nth(last);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    /// Emits `option`, compares with `bytes` (buffer pre-filled with 0xa5 so a forgotten
    /// byte shows), parses the bytes back and compares with `option`.
    fn round_trip(option: DhcpOption<'_>, bytes: &[u8]) {
        let mut buf = [0xa5u8; 600];
        let n = write_to_slice(&mut buf, |w| option.emit(w)).unwrap();
        assert_eq!(&buf[..n], bytes);
        assert_eq!(option.buffer_len().unwrap(), n);
        assert_eq!(buf[n], 0xa5);
        let raw = if bytes.len() == 1 {
            Tlv {
                code: bytes[0],
                data: &[],
            }
        } else {
            Tlvs::new(bytes).next().unwrap().unwrap()
        };
        assert_eq!(DhcpOption::parse(raw).unwrap(), option);
    }

    #[test]
    fn every_option_round_trips() {
        round_trip(DhcpOption::Pad, &[0]);
        round_trip(DhcpOption::End, &[255]);
        round_trip(DhcpOption::VendorSpecific(&[6, 1, 8]), &[43, 3, 6, 1, 8]);
        round_trip(
            DhcpOption::ServerIdentifier(Ipv4Addr::new(192, 0, 2, 1)),
            &[54, 4, 192, 0, 2, 1],
        );
        round_trip(
            DhcpOption::VendorClass(b"HTTPClient"),
            b"\x3c\x0aHTTPClient",
        );
        round_trip(
            DhcpOption::TftpServerName(b"192.0.2.1"),
            b"\x42\x09192.0.2.1",
        );
        round_trip(
            DhcpOption::BootfileName(b"undionly.kpxe"),
            b"\x43\x0dundionly.kpxe",
        );
        round_trip(DhcpOption::UserClass(b"iPXE"), b"\x4d\x04iPXE");
        round_trip(
            DhcpOption::ClientArch(ArchList::new(&[0, 7]).unwrap()),
            &[93, 2, 0, 7],
        );
        round_trip(
            DhcpOption::ClientNdi(Ndi {
                kind: 1,
                major: 2,
                minor: 1,
            }),
            &[94, 3, 1, 2, 1],
        );
        let mut machine_id = [0u8; 19];
        machine_id[..2].copy_from_slice(&[97, 17]);
        round_trip(DhcpOption::ClientMachineId(&[0; 17]), &machine_id);
        round_trip(
            DhcpOption::TftpServers(Ipv4List::new(&[192, 0, 2, 1]).unwrap()),
            &[150, 4, 192, 0, 2, 1],
        );
        round_trip(DhcpOption::Ipxe(&[176, 1, 1]), &[175, 3, 176, 1, 1]);
        round_trip(DhcpOption::PxelinuxConfigFile(b"cfg"), b"\xd1\x03cfg");
        round_trip(DhcpOption::PxelinuxPathPrefix(b"/p/"), b"\xd2\x03/p/");
        round_trip(
            DhcpOption::Other {
                code: 12,
                data: b"host",
            },
            b"\x0c\x04host",
        );
    }

    #[test]
    fn data_lengths_at_the_limits() {
        let data = [b'x'; 511];
        for len in [0usize, 1, 254, 255] {
            let option = DhcpOption::BootfileName(&data[..len]);
            let mut buf = [0u8; 600];
            let n = write_to_slice(&mut buf, |w| option.emit(w)).unwrap();
            assert_eq!(n, len + 2);
            assert_eq!(usize::from(buf[1]), len);
            let parsed = DhcpOption::parse(Tlvs::new(&buf[..n]).next().unwrap().unwrap()).unwrap();
            assert_eq!(parsed, option);
        }
        for len in [256usize, 511] {
            let err = DhcpOption::BootfileName(&data[..len])
                .emit(&mut &mut [0u8; 600][..])
                .unwrap_err();
            assert_eq!(err.kind, ErrorKind::TooLong { max: 255 });
            // Split for receivers that join RFC 3396 continuations, and joined back.
            let mut buf = [0u8; 600];
            let n = write_to_slice(&mut buf, |w| {
                tlv::write_split(w, code::BOOTFILE_NAME, &data[..len], 1)
            })
            .unwrap();
            assert_eq!(n, len + 2 * len.div_ceil(255));
            let mut joined = [0u8; 600];
            assert_eq!(
                tlv::join_into(&buf[..n], code::BOOTFILE_NAME, &mut joined).unwrap(),
                Some(len)
            );
            assert_eq!(&joined[..len], &data[..len]);
        }
    }

    /// Every option whose data is free bytes (or whole elements) round-trips at each length it
    /// allows among 0, 1, 254, 255 (and is refused at 256 and 511).
    #[test]
    fn every_option_at_the_length_limits() {
        let data = [0x41u8; 511];
        type Make = fn(&[u8]) -> DhcpOption<'_>;
        let options: [(Make, usize); 11] = [
            (|d| DhcpOption::VendorClass(d), 1),
            (|d| DhcpOption::TftpServerName(d), 1),
            (|d| DhcpOption::BootfileName(d), 1),
            (|d| DhcpOption::UserClass(d), 1),
            (|d| DhcpOption::ClientMachineId(d), 1),
            (|d| DhcpOption::PxelinuxConfigFile(d), 1),
            (|d| DhcpOption::PxelinuxPathPrefix(d), 1),
            (|d| DhcpOption::Other { code: 12, data: d }, 1),
            (|d| DhcpOption::ClientArch(ArchList(d)), 2),
            (|d| DhcpOption::TftpServers(Ipv4List(d)), 4),
            (|d| DhcpOption::VendorSpecific(d), 255),
        ];
        for (make, element) in options {
            for len in [0usize, 1, 254, 255, 256, 511] {
                let len = len - len % element;
                let option = make(&data[..len]);
                let mut buf = [0xa5u8; 600];
                let result = write_to_slice(&mut buf, |w| option.emit(w));
                if len > 255 {
                    assert_eq!(result.unwrap_err().kind, ErrorKind::TooLong { max: 255 });
                    continue;
                }
                let n = result.unwrap();
                assert_eq!((n, usize::from(buf[1])), (len + 2, len), "{option:?}");
                let parsed = DhcpOption::parse(Tlvs::new(&buf[..n]).next().unwrap().unwrap());
                // 43's data must itself be sub-options: only the empty list is valid here.
                if option.code() == code::VENDOR_SPECIFIC && len > 0 {
                    assert!(parsed.is_err());
                } else {
                    assert_eq!(parsed.unwrap(), option);
                }
            }
        }
        // 175 and 43 at 255 bytes of real sub-options.
        let mut subs = [0u8; 255];
        subs[0] = 190;
        subs[1] = 253;
        let option = DhcpOption::Ipxe(&subs);
        let mut buf = [0u8; 300];
        let n = write_to_slice(&mut buf, |w| option.emit(w)).unwrap();
        assert_eq!(
            DhcpOption::parse(Tlvs::new(&buf[..n]).next().unwrap().unwrap()).unwrap(),
            option
        );
    }

    #[test]
    fn malformed_shapes_are_refused() {
        for (code, data) in [
            (54u8, &[192u8, 0, 2][..]),
            (93, &[0u8][..]),
            (94, &[1, 2]),
            (150, &[1, 2, 3]),
            (175, &[176, 5, 1]),
        ] {
            assert_eq!(
                DhcpOption::parse(Tlv { code, data }).unwrap_err().kind,
                ErrorKind::Malformed
            );
        }
    }

    #[test]
    fn user_class_forms() {
        assert!(user_class_is_ipxe(b"iPXE"));
        assert!(user_class_is_ipxe(b"\x04iPXE"));
        assert!(user_class_is_ipxe(b"\x03abc\x04iPXE"));
        assert!(!user_class_is_ipxe(b"\x05iPXE"));
        assert!(!user_class_is_ipxe(b"gPXE"));
    }
}
