//! Reading a client's DHCP request and saying what kind of client sent it.
//!
//! [`parse_request`] takes the UDP payload of a DHCPv4 message (fixed header, magic cookie,
//! options) or a DHCPv6 message (type, transaction id, options) and returns a
//! [`ClientRequest`]: iPXE or firmware PXE, architecture, PXE or UEFI HTTP boot, the iPXE
//! features announced, and the client's MAC (v4 `chaddr`, v6 DUID-LL/LLT) or DUID.
//!
//! Panic contract: never panics and never reads past the end, whatever the bytes; a short
//! message gives [`ErrorKind::Truncated`], a wrong one [`ErrorKind::Malformed`].

use crate::dhcp::tlv::Tlvs;
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
/// Longest DUID (RFC 8415: 128 bytes of identifier plus its 2-byte type).
pub const DUID_MAX: usize = 130;

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

fn copy_prefix<const N: usize>(data: &[u8]) -> heapless::Vec<u8, N> {
    data.iter().copied().take(N).collect()
}

/// Reads a DHCPv4 client message.
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
    let options = bytes.get(V4_OPTIONS_AT..).unwrap_or_default();
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
    };
    let mut ipxe = false;
    for raw in Tlvs::new(options) {
        let raw = raw?;
        match v4::DhcpOption::parse(raw)? {
            v4::DhcpOption::UserClass(data) if v4::user_class_is_ipxe(data) => ipxe = true,
            v4::DhcpOption::Ipxe(data) => {
                ipxe = true;
                for sub in Tlvs::new(data) {
                    let sub = sub?;
                    match (sub.code, sub.data) {
                        (v4::ipxe::VERSION, &[major, minor, patch]) => {
                            request.ipxe_version = Some([major, minor, patch]);
                        }
                        (code, &[value]) if value != 0 && code != v4::ipxe::BUS_ID => {
                            request.features.insert(code)
                        }
                        _ => {}
                    }
                }
            }
            v4::DhcpOption::ClientArch(list) => request.arch = request.arch.or(list.iter().next()),
            v4::DhcpOption::VendorClass(data) => request.vendor_class = copy_prefix(data),
            v4::DhcpOption::Other {
                code: c4::MESSAGE_TYPE,
                data: &[t],
            } => request.message_type = Some(t),
            _ => {}
        }
    }
    request.kind = classify(ipxe, request.arch, &request.vendor_class);
    Ok(request)
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
