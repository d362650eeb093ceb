//! Reading a client's DHCP request and saying what kind of client sent it.
//!
//! [`parse_request`] takes the UDP payload of a DHCPv4 message (fixed header, magic cookie,
//! options) or a DHCPv6 message (type, transaction id, options) and returns a
//! [`ClientRequest`]: iPXE or firmware PXE, architecture, PXE or UEFI HTTP boot, the iPXE
//! features announced, and the client's MAC (v4 `chaddr`, v6 DUID-LL/LLT) or DUID.
//!
//! DHCPv4 options are read as RFC 2131 §4.1 orders: the options field, then the `file` and
//! `sname` fields when option 52 (overload, RFC 2132 §9.3) says they hold options
//! ([`V4OptionAreas`]); an option given more than once is one option, joined (RFC 3396).
//!
//! Panic contract: never panics and never reads past the end, whatever the bytes; a short
//! message gives [`ErrorKind::Truncated`], a wrong one [`ErrorKind::Malformed`].

use crate::dhcp::tlv::{self, Tlv, Tlvs};
use crate::dhcp::v4::{self, code as c4};
use crate::dhcp::v6::{self, Options6, code as c6};
use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::{ClientArch, MacAddr};

/// The DHCPv4 magic cookie (RFC 2131), after the 236-byte fixed header.
pub const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];
/// Offset of the options in a DHCPv4 message (after the fixed header and the magic cookie).
pub const V4_OPTIONS_AT: usize = 240;
/// Offset of the options in a DHCPv6 client message (after msg-type and transaction-id).
pub const V6_OPTIONS_AT: usize = 4;
/// Largest DHCP message (the UDP payload) a front end need accept: a UDP datagram's length
/// field is 16 bits, so no message is longer.
pub const MESSAGE_MAX: usize = 65_535;
/// Longest DUID (RFC 8415: 128 bytes of identifier plus its 2-byte type).
pub const DUID_MAX: usize = 130;
/// Length of DHCPv4 option 97 (RFC 4578): a type byte (0) and a 16-byte GUID.
pub const MACHINE_ID_LEN: usize = 17;

/// The protocol of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// DHCPv4.
    V4,
    /// DHCPv6.
    V6,
}

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// iPXE itself (stage 2): wants the main script's URL.
    Ipxe,
    /// Firmware PXE (stage 1): wants an iPXE loader over TFTP.
    FirmwarePxe,
    /// UEFI HTTP boot (stage 1): wants an `http://` URL of an EFI loader.
    UefiHttpBoot,
}

/// The iPXE feature indicators a client announced in option 175 (codes 0 to 255).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IpxeFeatures([u64; 4]);

impl IpxeFeatures {
    fn insert(&mut self, code: u8) {
        if let Some(word) = self.0.get_mut(usize::from(code / 64)) {
            *word |= 1 << (code % 64);
        }
    }

    /// `true` when the feature with this code (e.g. 20 for HTTPS) was announced.
    pub fn has(&self, code: u8) -> bool {
        self.0
            .get(usize::from(code / 64))
            .is_some_and(|w| w & (1 << (code % 64)) != 0)
    }

    /// The announced feature codes, in order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=255u8).filter(|c| self.has(*c))
    }
}

/// What a request says about its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    /// DHCPv4 or DHCPv6.
    pub family: Family,
    /// The message type (v4 option 53; v6 msg-type), if present.
    pub message_type: Option<u8>,
    /// Transaction id (v6: 3 bytes, in the low bits).
    pub xid: u32,
    /// Who is asking.
    pub kind: ClientKind,
    /// The first architecture the client gave (v4 option 93, v6 option 61).
    pub arch: Option<ClientArch>,
    /// The vendor class (v4 option 60, v6 option 16's first item), up to 64 bytes.
    pub vendor_class: heapless::Vec<u8, 64>,
    /// Feature indicators from option 175 (iPXE over DHCPv4 only).
    pub features: IpxeFeatures,
    /// iPXE version from 175.235 (major, minor, patch).
    pub ipxe_version: Option<[u8; 3]>,
    /// The client's MAC: v4 `chaddr` (Ethernet), v6 from a DUID-LL or DUID-LLT.
    pub mac: Option<MacAddr>,
    /// The client's DUID (DHCPv6).
    pub duid: heapless::Vec<u8, DUID_MAX>,
    /// DHCPv4 option 97, the client machine identifier (type 0 and a 16-byte GUID), when it
    /// has that length: a ProxyDHCP answer echoes it (PXE 2.1).
    pub machine_id: Option<[u8; MACHINE_ID_LEN]>,
}

impl ClientRequest {
    /// `true` when the client announced iPXE feature `code` (see `v4::ipxe::FEATURE_*`).
    pub fn has_feature(&self, code: u8) -> bool {
        self.features.has(code)
    }
}

fn truncated() -> Error {
    Error::at(ErrorKind::Truncated, Field::Request)
}

fn malformed() -> Error {
    Error::at(ErrorKind::Malformed, Field::Request)
}

/// Reads a DHCPv4 or DHCPv6 client message (the UDP payload). A payload of at least 240 bytes
/// whose bytes 236..240 are the magic cookie is DHCPv4; anything else is read as DHCPv6.
///
/// # Errors
/// [`ErrorKind::Truncated`] or [`ErrorKind::Malformed`] (naming the request, or the option).
pub fn parse_request(bytes: &[u8]) -> Result<ClientRequest> {
    if bytes.get(236..V4_OPTIONS_AT) == Some(&MAGIC_COOKIE[..]) {
        parse_v4(bytes)
    } else {
        parse_v6(bytes)
    }
}

/// The first `N` bytes of `data` (all of it when shorter). Not `collect()`: heapless's
/// `FromIterator` has a panic path on overflow.
fn copy_prefix<const N: usize>(data: &[u8]) -> heapless::Vec<u8, N> {
    let prefix = data.get(..N.min(data.len())).unwrap_or_default();
    heapless::Vec::from_slice(prefix).unwrap_or_default()
}

/// Reads a DHCPv4 client message.
///
/// Options are read from the options field, then (RFC 2132 §9.3, option 52 overload) from
/// the `file` field when 52 is 1 or 3 and from the `sname` field when it is 2 or 3, in that
/// order (RFC 2131 §4.1); each area ends at END or at its end. An option given more than
/// once is one option, its instances' data joined in that order (RFC 3396), whichever areas
/// they are in. The `file` and `sname` fields are never read as a boot file or server name.
///
/// # Errors
/// [`ErrorKind::Truncated`] / [`ErrorKind::Malformed`] for the message, or an option of it
/// (naming the option's area: options, `file` or `sname`); [`ErrorKind::BadOverload`] when
/// option 52 is not one byte of 1, 2 or 3, or stands in an overloaded field.
pub fn parse_v4(bytes: &[u8]) -> Result<ClientRequest> {
    let header = bytes.get(..V4_OPTIONS_AT).ok_or_else(truncated)?;
    let (op, htype, hlen) = match header {
        [op, htype, hlen, ..] => (*op, *htype, *hlen),
        _ => return Err(truncated()),
    };
    if op != 1 || header.get(236..240) != Some(&MAGIC_COOKIE[..]) {
        return Err(malformed());
    }
    let xid = header
        .get(4..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_be_bytes);
    let mac = match (htype, hlen, header.get(28..34)) {
        (1, 6, Some(&[a, b, c, d, e, f])) => Some(MacAddr([a, b, c, d, e, f])),
        _ => None,
    };
    let areas = V4OptionAreas::of_message(bytes)?;
    let mut request = ClientRequest {
        family: Family::V4,
        message_type: None,
        xid,
        kind: ClientKind::FirmwarePxe,
        arch: None,
        vendor_class: heapless::Vec::new(),
        features: IpxeFeatures::default(),
        ipxe_version: None,
        mac,
        duid: heapless::Vec::new(),
        machine_id: None,
    };
    if areas.joined_len(c4::MESSAGE_TYPE) == Some(1) {
        request.message_type = areas.joined(c4::MESSAGE_TYPE).next();
    }
    if areas.joined_len(c4::VENDOR_CLASS).is_some() {
        // A loop, not `collect()`: heapless's `FromIterator` panics on overflow.
        for byte in areas.joined(c4::VENDOR_CLASS) {
            if request.vendor_class.push(byte).is_err() {
                break;
            }
        }
    }
    if areas.joined_len(c4::CLIENT_MACHINE_ID) == Some(MACHINE_ID_LEN) {
        let mut id = [0u8; MACHINE_ID_LEN];
        for (slot, byte) in id.iter_mut().zip(areas.joined(c4::CLIENT_MACHINE_ID)) {
            *slot = byte;
        }
        request.machine_id = Some(id);
    }
    if let Some(len) = areas.joined_len(c4::CLIENT_ARCH) {
        if !len.is_multiple_of(2) {
            return Err(Error::at(ErrorKind::Malformed, Field::DhcpOption));
        }
        let mut arch = areas.joined(c4::CLIENT_ARCH);
        if let (Some(hi), Some(lo)) = (arch.next(), arch.next()) {
            request.arch = Some(ClientArch(u16::from_be_bytes([hi, lo])));
        }
    }
    let mut ipxe = areas.joined_len(c4::USER_CLASS).is_some()
        && v4::user_class_bytes_say_ipxe(areas.joined(c4::USER_CLASS));
    if areas.joined_len(c4::IPXE).is_some() {
        ipxe = true;
        read_ipxe_sub_options(areas.joined(c4::IPXE), &mut request)?;
    }
    request.kind = classify(ipxe, request.arch, &request.vendor_class);
    Ok(request)
}

/// Reads the sub-options of option 175 (joined): the iPXE version (235) and the feature
/// indicators (one non-zero byte; 177, the bus id, is not a feature).
fn read_ipxe_sub_options(
    mut bytes: impl Iterator<Item = u8>,
    request: &mut ClientRequest,
) -> Result<()> {
    let bad = || Error::at(ErrorKind::Malformed, Field::DhcpOption);
    while let Some(code) = bytes.next() {
        match code {
            tlv::PAD => continue,
            tlv::END => break,
            _ => {}
        }
        let len = bytes.next().ok_or_else(bad)?;
        let mut head = [0u8; 3];
        for i in 0..usize::from(len) {
            let b = bytes.next().ok_or_else(bad)?;
            if let Some(slot) = head.get_mut(i) {
                *slot = b;
            }
        }
        match (code, len, head) {
            (v4::ipxe::VERSION, 3, version) => request.ipxe_version = Some(version),
            (code, 1, [value, ..]) if value != 0 && code != v4::ipxe::BUS_ID => {
                request.features.insert(code)
            }
            _ => {}
        }
    }
    Ok(())
}

/// What option 52 (overload, RFC 2132 §9.3) says the `file` and `sname` fields hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overload {
    /// No option 52: both fields are what their names say.
    None,
    /// 1: `file` holds options.
    File,
    /// 2: `sname` holds options.
    Sname,
    /// 3: both hold options.
    Both,
}

impl Overload {
    /// The meaning of option 52's data.
    ///
    /// # Errors
    /// [`ErrorKind::BadOverload`] unless the data is one byte of 1, 2 or 3.
    pub fn from_data(data: &[u8]) -> Result<Self> {
        match data {
            [1] => Ok(Overload::File),
            [2] => Ok(Overload::Sname),
            [3] => Ok(Overload::Both),
            _ => Err(Error::new(ErrorKind::BadOverload)),
        }
    }

    const fn file(self) -> bool {
        matches!(self, Overload::File | Overload::Both)
    }

    const fn sname(self) -> bool {
        matches!(self, Overload::Sname | Overload::Both)
    }
}

/// Where the `sname` field of a DHCPv4 message lies (64 bytes).
const SNAME_AT: core::ops::Range<usize> = 44..108;
/// Where the `file` field of a DHCPv4 message lies (128 bytes).
const FILE_AT: core::ops::Range<usize> = 108..236;
/// Option 52.
const OVERLOAD: u8 = 52;

/// The areas of a DHCPv4 message that hold options, in the order they are read: the options
/// field, then `file` and `sname` when option 52 says they hold options. Every option in
/// them was checked whole when the areas were found, so reading them cannot fail.
#[derive(Clone, Copy, Debug)]
pub struct V4OptionAreas<'a> {
    areas: [&'a [u8]; 3],
    overload: Overload,
}

impl<'a> V4OptionAreas<'a> {
    /// The option areas of `message` (a whole DHCPv4 message, header included).
    ///
    /// # Errors
    /// [`ErrorKind::Truncated`] when the header is short or an option runs past the end of
    /// its area (naming the options field, `file` or `sname`); [`ErrorKind::BadOverload`]
    /// when option 52 is not one byte of 1, 2 or 3 (its instances joined), or appears in
    /// `file` or `sname`.
    pub fn of_message(message: &'a [u8]) -> Result<Self> {
        let options = message.get(V4_OPTIONS_AT..).ok_or_else(truncated)?;
        let sname = message.get(SNAME_AT).ok_or_else(truncated)?;
        let file = message.get(FILE_AT).ok_or_else(truncated)?;
        check_area(options, Field::DhcpOption)?;
        // Its instances joined (RFC 3396); two bytes are enough to tell one byte from more.
        let mut data = [0u8; 2];
        let mut len = 0usize;
        let mut found = false;
        for item in Tlvs::new(options).flatten().filter(|t| t.code == OVERLOAD) {
            found = true;
            for &b in item.data {
                if let Some(slot) = data.get_mut(len) {
                    *slot = b;
                }
                len = len.saturating_add(1);
            }
        }
        let overload = match found {
            false => Overload::None,
            true => Overload::from_data(data.get(..len).unwrap_or(&data))?,
        };
        let empty: &[u8] = &[];
        let file = if overload.file() { file } else { empty };
        let sname = if overload.sname() { sname } else { empty };
        for (area, field) in [(file, Field::FileField), (sname, Field::SnameField)] {
            check_area(area, field)?;
            if Tlvs::new(area).flatten().any(|t| t.code == OVERLOAD) {
                return Err(Error::at(ErrorKind::BadOverload, field));
            }
        }
        Ok(V4OptionAreas {
            areas: [options, file, sname],
            overload,
        })
    }

    /// What option 52 said.
    pub fn overload(&self) -> Overload {
        self.overload
    }

    /// Every option of every area, in reading order (PAD skipped, each area ending at END).
    pub fn items(&self) -> impl Iterator<Item = Tlv<'a>> + use<'a> {
        let areas = self.areas;
        areas.into_iter().flat_map(|a| Tlvs::new(a).flatten())
    }

    /// The joined length of option `code` (RFC 3396), or `None` if no area holds it.
    pub fn joined_len(&self, code: u8) -> Option<usize> {
        self.items()
            .filter(|t| t.code == code)
            .map(|t| t.data.len())
            .reduce(usize::saturating_add)
    }

    /// The bytes of option `code`, its instances joined in reading order (RFC 3396).
    pub fn joined(&self, code: u8) -> impl Iterator<Item = u8> + Clone + use<'a> {
        let areas = self.areas;
        areas
            .into_iter()
            .flat_map(|a| Tlvs::new(a).flatten())
            .filter(move |t| t.code == code)
            .flat_map(|t| t.data.iter().copied())
    }
}

/// Checks that every option of `area` is whole (naming `field` when one is not).
fn check_area(area: &[u8], field: Field) -> Result<()> {
    for item in Tlvs::new(area) {
        item.map_err(|e| Error::at(e.kind, field))?;
    }
    Ok(())
}

fn classify(ipxe: bool, arch: Option<ClientArch>, vendor_class: &[u8]) -> ClientKind {
    if ipxe {
        ClientKind::Ipxe
    } else if vendor_class.starts_with(b"HTTPClient") || arch.is_some_and(ClientArch::is_http_boot)
    {
        ClientKind::UefiHttpBoot
    } else {
        ClientKind::FirmwarePxe
    }
}

/// Reads a DHCPv6 client message (Solicit, Request, Information-request, ...).
pub fn parse_v6(bytes: &[u8]) -> Result<ClientRequest> {
    let (&msg_type, rest) = bytes.split_first().ok_or_else(truncated)?;
    // Client messages: Solicit 1, Request 3, Confirm 4, Renew 5, Rebind 6, Release 8,
    // Decline 9, Information-request 11.
    if !matches!(msg_type, 1 | 3..=6 | 8 | 9 | 11) {
        return Err(malformed());
    }
    let (xid, options) = rest
        .split_first_chunk::<{ V6_OPTIONS_AT - 1 }>()
        .ok_or_else(truncated)?;
    let mut request = ClientRequest {
        family: Family::V6,
        message_type: Some(msg_type),
        xid: u32::from_be_bytes([0, xid[0], xid[1], xid[2]]),
        kind: ClientKind::FirmwarePxe,
        arch: None,
        vendor_class: heapless::Vec::new(),
        features: IpxeFeatures::default(),
        ipxe_version: None,
        mac: None,
        duid: heapless::Vec::new(),
        machine_id: None,
    };
    let mut ipxe = false;
    for raw in Options6::new(options) {
        let raw = raw?;
        match v6::Dhcpv6Option::parse(raw)? {
            v6::Dhcpv6Option::UserClass(items) => ipxe |= items.iter().any(|i| i == b"iPXE"),
            v6::Dhcpv6Option::VendorClass { items, .. } => {
                if let Some(first) = items.iter().next() {
                    request.vendor_class = copy_prefix(first);
                }
            }
            v6::Dhcpv6Option::ClientArch(data) => {
                request.arch = request.arch.or(v6::Dhcpv6Option::archs(data).next());
            }
            v6::Dhcpv6Option::Other {
                code: c6::CLIENT_ID,
                data,
            } => {
                request.duid = heapless::Vec::from_slice(data).map_err(|_| malformed())?;
                request.mac = mac_of_duid(data);
            }
            _ => {}
        }
    }
    request.kind = classify(ipxe, request.arch, &request.vendor_class);
    Ok(request)
}

/// The link-layer address of a DUID-LLT (type 1) or DUID-LL (type 3) of an Ethernet (1) NIC.
fn mac_of_duid(duid: &[u8]) -> Option<MacAddr> {
    let addr = match duid {
        [0, 1, 0, 1, _, _, _, _, rest @ ..] | [0, 3, 0, 1, rest @ ..] => rest,
        _ => return None,
    };
    match addr {
        &[a, b, c, d, e, f] => Some(MacAddr([a, b, c, d, e, f])),
        _ => None,
    }
}
