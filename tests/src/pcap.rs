//! What crossed a guest's NIC, read from the capture QEMU's `filter-dump` writes (pcap,
//! Ethernet): the DHCPv4 and DHCPv6 messages, the TFTP read requests with the bytes each
//! delivered, and the HTTP request lines, in the order they were seen.
//!
//! Each event is described as one line of `key=value` words ([`Event::line`]), so that a test
//! states the sequence it expects as words each line must hold ([`assert_in_order`]).

#![allow(
    clippy::indexing_slicing,
    reason = "every index is checked against the length first"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One thing seen on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Dhcp4(Dhcp4),
    Dhcp6(Dhcp6),
    /// A TFTP read request and what the server sent back for it.
    Tftp {
        client: IpAddr,
        file: String,
        /// Bytes of file data the client was sent (each block counted once).
        bytes: usize,
        /// Whether the transfer ended (a block shorter than the block size was sent).
        complete: bool,
        /// TFTP error the server or the client sent, if any.
        error: Option<String>,
    },
    /// An ICMPv6 router solicitation (`advertisement: false`) or advertisement, with the
    /// advertisement's "managed" (M: addresses by DHCPv6) and "other" (O) flags.
    Router {
        advertisement: bool,
        managed: bool,
        other: bool,
    },
    /// The first line of an HTTP request (`GET /boot.ipxe`).
    Http {
        client: IpAddr,
        method: String,
        path: String,
    },
}

/// A DHCPv4 message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dhcp4 {
    /// Option 53 as its RFC 2132 name: DISCOVER, OFFER, REQUEST, ACK, NAK, ...
    pub message: &'static str,
    pub xid: u32,
    pub chaddr: [u8; 6],
    pub yiaddr: Ipv4Addr,
    pub siaddr: Ipv4Addr,
    /// Option 67, else the `file` field.
    pub file: String,
    /// Option 93.
    pub arch: Option<u16>,
    /// Option 60.
    pub vendor_class: Option<String>,
    /// The client is iPXE: option 175 present or option 77 holds `iPXE`.
    pub ipxe: bool,
    /// Option 43 is present.
    pub vendor_options: bool,
    /// Sent to or from UDP port 4011 (PXE boot server discovery, a ProxyDHCP server's port).
    pub pxe_port: bool,
}

/// A DHCPv6 message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dhcp6 {
    /// RFC 8415's name: SOLICIT, ADVERTISE, REQUEST, REPLY, ...
    pub message: &'static str,
    /// Option 1, the client's DUID.
    pub duid: Vec<u8>,
    /// Option 15 holds `iPXE`.
    pub ipxe: bool,
    /// Option 61.
    pub arch: Option<u16>,
    /// Option 59.
    pub bootfile_url: Option<String>,
    /// The addresses of IA_NA's IAADDR options.
    pub addresses: Vec<Ipv6Addr>,
}

impl Event {
    /// The event as one line of words, e.g.
    /// `dhcp4 OFFER client=firmware arch=7 yiaddr=192.0.2.158 siaddr=192.0.2.1 file=snponly.efi`.
    pub fn line(&self) -> String {
        let mut out = String::new();
        match self {
            Event::Dhcp4(d) => {
                let _ = write!(out, "dhcp4 {} mac={}", d.message, mac(&d.chaddr));
                if matches!(d.message, "DISCOVER" | "REQUEST" | "INFORM") {
                    let who = if d.ipxe { "ipxe" } else { "firmware" };
                    let _ = write!(out, " client={who}");
                }
                if let Some(arch) = d.arch {
                    let _ = write!(out, " arch={arch}");
                }
                if let Some(class) = &d.vendor_class {
                    let _ = write!(out, " class={class}");
                }
                if !d.yiaddr.is_unspecified() {
                    let _ = write!(out, " yiaddr={}", d.yiaddr);
                }
                // A server's answer gives an address (a lease) or, from a ProxyDHCP server,
                // none.
                if matches!(d.message, "OFFER" | "ACK") {
                    out.push_str(if d.yiaddr.is_unspecified() {
                        " no-lease"
                    } else {
                        " lease"
                    });
                }
                if !d.siaddr.is_unspecified() {
                    let _ = write!(out, " siaddr={}", d.siaddr);
                }
                if !d.file.is_empty() {
                    let _ = write!(out, " file={}", d.file);
                }
                if d.vendor_options {
                    out.push_str(" option43");
                }
                if d.pxe_port {
                    out.push_str(" port=4011");
                }
            }
            Event::Dhcp6(d) => {
                let _ = write!(out, "dhcp6 {} duid={}", d.message, hex(&d.duid));
                if matches!(d.message, "SOLICIT" | "REQUEST" | "INFORMATION-REQUEST") {
                    let who = if d.ipxe { "ipxe" } else { "firmware" };
                    let _ = write!(out, " client={who}");
                }
                if let Some(arch) = d.arch {
                    let _ = write!(out, " arch={arch}");
                }
                for a in &d.addresses {
                    let _ = write!(out, " addr={a}");
                }
                if let Some(url) = &d.bootfile_url {
                    let _ = write!(out, " bootfile={url}");
                }
            }
            Event::Tftp {
                client,
                file,
                bytes,
                complete,
                error,
            } => {
                let _ = write!(out, "tftp RRQ file={file} client={client} bytes={bytes}");
                out.push_str(if *complete {
                    " complete"
                } else {
                    " incomplete"
                });
                if let Some(e) = error {
                    let _ = write!(out, " error={e}");
                }
            }
            Event::Router {
                advertisement,
                managed,
                other,
            } => {
                if *advertisement {
                    let _ = write!(out, "icmp6 RA managed={managed} other={other}");
                } else {
                    out.push_str("icmp6 RS");
                }
            }
            Event::Http {
                client,
                method,
                path,
            } => {
                let _ = write!(out, "http {method} {path} client={client}");
            }
        }
        out
    }
}

/// Asserts that `events` hold, in order, a line holding every word of each of `expected`
/// (lines between them are allowed). `context` is added to the failure message.
///
/// # Panics
/// When an expected line is missing or out of order.
#[allow(clippy::panic, reason = "a test helper: the test fails")]
pub fn assert_in_order(events: &[Event], expected: &[&str], context: &str) {
    let lines: Vec<String> = events.iter().map(Event::line).collect();
    let mut from = 0;
    for want in expected {
        let words: Vec<&str> = want.split_whitespace().collect();
        let found = lines
            .iter()
            .skip(from)
            .position(|l| words.iter().all(|w| l.split_whitespace().any(|x| x == *w)));
        match found {
            Some(at) => from += at + 1,
            None => panic!(
                "no line with `{want}` after line {from} of what the NIC saw:\n{}\n{context}",
                numbered(&lines)
            ),
        }
    }
}

/// The lines, numbered from 1, one per line.
pub fn numbered(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        let _ = writeln!(out, "  {:>3} {l}", i + 1);
    }
    out
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn hex(bytes: &[u8]) -> String {
    mac(bytes)
}

/// Reads a pcap file of Ethernet frames; returns its events in order.
///
/// # Errors
/// When the file cannot be read or is not a little-endian Ethernet pcap.
pub fn read_capture(path: &std::path::Path) -> Result<Vec<Event>, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    events_of_capture(&data).map_err(|e| format!("{}: {e}", path.display()))
}

/// The events of a pcap capture held in memory.
///
/// # Errors
/// When `data` is not a little-endian Ethernet pcap.
pub fn events_of_capture(data: &[u8]) -> Result<Vec<Event>, String> {
    if data.len() < 24 || data[..4] != [0xd4, 0xc3, 0xb2, 0xa1] {
        return Err("not a little-endian pcap file".into());
    }
    if u32_le(&data[20..24]) != 1 {
        return Err("not an Ethernet capture".into());
    }
    let mut events = Vec::new();
    let mut transfers = Transfers::default();
    let mut at = 24;
    while at + 16 <= data.len() {
        let captured = usize::try_from(u32_le(&data[at + 8..at + 12])).unwrap_or(usize::MAX);
        let start = at + 16;
        let Some(end) = start.checked_add(captured).filter(|e| *e <= data.len()) else {
            break;
        };
        if let Some(packet) = udp_or_tcp(&data[start..end]) {
            decode(&packet, &mut events, &mut transfers);
        }
        at = end;
    }
    Ok(events)
}

fn u32_le(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn u16_be(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

#[derive(PartialEq, Eq)]
enum Transport {
    Udp,
    Tcp,
    Icmp6,
}

struct Packet<'a> {
    transport: Transport,
    src: IpAddr,
    dst: IpAddr,
    src_port: u16,
    dst_port: u16,
    payload: &'a [u8],
}

/// The UDP or TCP packet in an Ethernet frame (IPv4, or IPv6 without extension headers).
fn udp_or_tcp(frame: &[u8]) -> Option<Packet<'_>> {
    let ethertype = u16_be(frame.get(12..14)?);
    let (proto, src, dst, l4) = match ethertype {
        0x0800 => {
            let ip = frame.get(14..)?;
            let ihl = usize::from(ip.first()? & 0x0f) * 4;
            let total = usize::from(u16_be(ip.get(2..4)?));
            let src = Ipv4Addr::from(<[u8; 4]>::try_from(ip.get(12..16)?).ok()?);
            let dst = Ipv4Addr::from(<[u8; 4]>::try_from(ip.get(16..20)?).ok()?);
            (
                *ip.get(9)?,
                IpAddr::V4(src),
                IpAddr::V4(dst),
                ip.get(ihl..total.min(ip.len()))?,
            )
        }
        0x86dd => {
            let ip = frame.get(14..)?;
            let len = usize::from(u16_be(ip.get(4..6)?));
            let src = Ipv6Addr::from(<[u8; 16]>::try_from(ip.get(8..24)?).ok()?);
            let dst = Ipv6Addr::from(<[u8; 16]>::try_from(ip.get(24..40)?).ok()?);
            (
                *ip.get(6)?,
                IpAddr::V6(src),
                IpAddr::V6(dst),
                ip.get(40..(40 + len).min(ip.len()))?,
            )
        }
        _ => return None,
    };
    if proto == 58 {
        return Some(Packet {
            transport: Transport::Icmp6,
            src,
            dst,
            src_port: 0,
            dst_port: 0,
            payload: l4,
        });
    }
    let src_port = u16_be(l4.get(0..2)?);
    let dst_port = u16_be(l4.get(2..4)?);
    match proto {
        17 => Some(Packet {
            transport: Transport::Udp,
            src,
            dst,
            src_port,
            dst_port,
            payload: l4.get(8..)?,
        }),
        6 => {
            let offset = usize::from(l4.get(12)? >> 4) * 4;
            Some(Packet {
                transport: Transport::Tcp,
                src,
                dst,
                src_port,
                dst_port,
                payload: l4.get(offset..)?,
            })
        }
        _ => None,
    }
}

/// TFTP transfers in progress, by the client's address and port.
#[derive(Default)]
struct Transfers {
    /// Client socket -> (index of its event, blocks seen, block size).
    open: BTreeMap<(IpAddr, u16), (usize, std::collections::BTreeSet<u16>, usize)>,
}

fn decode(p: &Packet<'_>, events: &mut Vec<Event>, transfers: &mut Transfers) {
    match (&p.transport, p.src_port, p.dst_port) {
        (Transport::Udp, 68, 67) | (Transport::Udp, 67, 68) => {
            if let Some(d) = dhcp4(p.payload) {
                events.push(Event::Dhcp4(d));
            }
        }
        (Transport::Udp, _, 4011) | (Transport::Udp, 4011, _) => {
            if let Some(d) = dhcp4(p.payload) {
                events.push(Event::Dhcp4(Dhcp4 {
                    pxe_port: true,
                    ..d
                }));
            }
        }
        (Transport::Udp, 546, 547) | (Transport::Udp, 547, 546) => {
            if let Some(d) = dhcp6(p.payload) {
                events.push(Event::Dhcp6(d));
            }
        }
        (Transport::Udp, _, 69) => {
            if let Some(file) = tftp_rrq(p.payload) {
                let blksize = tftp_blksize(p.payload).unwrap_or(512);
                transfers.open.insert(
                    (p.src, p.src_port),
                    (events.len(), Default::default(), blksize),
                );
                events.push(Event::Tftp {
                    client: p.src,
                    file,
                    bytes: 0,
                    complete: false,
                    error: None,
                });
            }
        }
        (Transport::Udp, _, _) => tftp_reply(p, events, transfers),
        (Transport::Tcp, _, 80) => {
            let Some(line) = p.payload.split(|b| *b == b'\n').next() else {
                return;
            };
            let line = String::from_utf8_lossy(line);
            let mut words = line.split_whitespace();
            if let (Some(method @ ("GET" | "HEAD")), Some(path)) = (words.next(), words.next()) {
                events.push(Event::Http {
                    client: p.src,
                    method: method.to_owned(),
                    path: path.to_owned(),
                });
            }
        }
        (Transport::Tcp, _, _) => {}
        (Transport::Icmp6, _, _) => match p.payload.first() {
            Some(133) => events.push(Event::Router {
                advertisement: false,
                managed: false,
                other: false,
            }),
            Some(134) => {
                let flags = p.payload.get(5).copied().unwrap_or(0);
                events.push(Event::Router {
                    advertisement: true,
                    managed: flags & 0x80 != 0,
                    other: flags & 0x40 != 0,
                });
            }
            _ => {}
        },
    }
}

/// A TFTP packet between a server's transfer port and a client socket that sent an RRQ.
fn tftp_reply(p: &Packet<'_>, events: &mut [Event], transfers: &mut Transfers) {
    let (client, server_sent) = if transfers.open.contains_key(&(p.dst, p.dst_port)) {
        ((p.dst, p.dst_port), true)
    } else if transfers.open.contains_key(&(p.src, p.src_port)) {
        ((p.src, p.src_port), false)
    } else {
        return;
    };
    let Some((index, blocks, blksize)) = transfers.open.get_mut(&client) else {
        return;
    };
    let Some(Event::Tftp {
        bytes,
        complete,
        error,
        ..
    }) = events.get_mut(*index)
    else {
        return;
    };
    let Some(opcode) = p.payload.get(0..2).map(u16_be) else {
        return;
    };
    match opcode {
        3 if server_sent => {
            let Some(block) = p.payload.get(2..4).map(u16_be) else {
                return;
            };
            let data = p.payload.len().saturating_sub(4);
            if blocks.insert(block) {
                *bytes += data;
            }
            if data < *blksize {
                *complete = true;
            }
        }
        6 if server_sent => {
            if let Some(size) = tftp_option(p.payload.get(2..).unwrap_or_default(), "blksize") {
                *blksize = size;
            }
        }
        5 => {
            let text = p.payload.get(4..).unwrap_or_default();
            let text = text.split(|b| *b == 0).next().unwrap_or_default();
            let who = if server_sent { "server" } else { "client" };
            *error = Some(format!(
                "{who}:{}",
                String::from_utf8_lossy(text).replace(' ', "_")
            ));
        }
        _ => {}
    }
}

fn tftp_rrq(payload: &[u8]) -> Option<String> {
    if payload.get(0..2)? != [0, 1] {
        return None;
    }
    let name = payload.get(2..)?.split(|b| *b == 0).next()?;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// The `blksize` a read request asks for (the server's OACK settles it).
fn tftp_blksize(payload: &[u8]) -> Option<usize> {
    let mut fields = payload.get(2..)?.split(|b| *b == 0);
    fields.next()?; // file name
    fields.next()?; // mode
    tftp_option_fields(fields, "blksize")
}

fn tftp_option(options: &[u8], name: &str) -> Option<usize> {
    tftp_option_fields(options.split(|b| *b == 0), name)
}

fn tftp_option_fields<'a>(mut fields: impl Iterator<Item = &'a [u8]>, name: &str) -> Option<usize> {
    while let (Some(key), Some(value)) = (fields.next(), fields.next()) {
        if key.eq_ignore_ascii_case(name.as_bytes()) {
            return std::str::from_utf8(value).ok()?.parse().ok();
        }
    }
    None
}

const DHCP4_MESSAGES: [&str; 9] = [
    "DISCOVER",
    "OFFER",
    "REQUEST",
    "DECLINE",
    "ACK",
    "NAK",
    "RELEASE",
    "INFORM",
    "FORCERENEW",
];

fn dhcp4(m: &[u8]) -> Option<Dhcp4> {
    if m.len() < 240 || m[236..240] != [99, 130, 83, 99] {
        return None;
    }
    let mut d = Dhcp4 {
        message: "?",
        xid: u32::from_be_bytes([m[4], m[5], m[6], m[7]]),
        chaddr: <[u8; 6]>::try_from(&m[28..34]).ok()?,
        yiaddr: Ipv4Addr::new(m[16], m[17], m[18], m[19]),
        siaddr: Ipv4Addr::new(m[20], m[21], m[22], m[23]),
        file: c_string(&m[108..236]),
        arch: None,
        vendor_class: None,
        ipxe: false,
        vendor_options: false,
        pxe_port: false,
    };
    let mut options = &m[240..];
    while let Some((&code, rest)) = options.split_first() {
        if code == 255 {
            break;
        }
        if code == 0 {
            options = rest;
            continue;
        }
        let (&len, rest) = rest.split_first()?;
        let value = rest.get(..usize::from(len))?;
        match code {
            53 => {
                let n = usize::from(*value.first()?);
                d.message = DHCP4_MESSAGES
                    .get(n.checked_sub(1)?)
                    .copied()
                    .unwrap_or("?");
            }
            60 => d.vendor_class = Some(String::from_utf8_lossy(value).into_owned()),
            67 => d.file = c_string(value),
            77 => d.ipxe |= value.windows(4).any(|w| w == b"iPXE"),
            93 => d.arch = value.get(0..2).map(u16_be),
            175 => d.ipxe = true,
            43 => d.vendor_options = true,
            _ => {}
        }
        options = rest.get(usize::from(len)..)?;
    }
    Some(d)
}

fn c_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b.split(|c| *c == 0).next().unwrap_or_default()).into_owned()
}

const DHCP6_MESSAGES: [&str; 13] = [
    "SOLICIT",
    "ADVERTISE",
    "REQUEST",
    "CONFIRM",
    "RENEW",
    "REBIND",
    "REPLY",
    "RELEASE",
    "DECLINE",
    "RECONFIGURE",
    "INFORMATION-REQUEST",
    "RELAY-FORW",
    "RELAY-REPL",
];

fn dhcp6(m: &[u8]) -> Option<Dhcp6> {
    let kind = usize::from(*m.first()?);
    let mut d = Dhcp6 {
        message: DHCP6_MESSAGES
            .get(kind.checked_sub(1)?)
            .copied()
            .unwrap_or("?"),
        duid: Vec::new(),
        ipxe: false,
        arch: None,
        bootfile_url: None,
        addresses: Vec::new(),
    };
    dhcp6_options(m.get(4..)?, &mut d);
    Some(d)
}

/// Reads DHCPv6 options into `d`, descending into IA_NA (3) for its IAADDR (5) options.
fn dhcp6_options(mut options: &[u8], d: &mut Dhcp6) {
    while let (Some(code), Some(len)) = (options.get(0..2), options.get(2..4)) {
        let (code, len) = (u16_be(code), usize::from(u16_be(len)));
        let Some(value) = options.get(4..4 + len) else {
            return;
        };
        match code {
            1 => d.duid = value.to_vec(),
            3 => dhcp6_options(value.get(12..).unwrap_or_default(), d),
            5 => {
                if let Some(a) = value.get(0..16).and_then(|a| <[u8; 16]>::try_from(a).ok()) {
                    d.addresses.push(Ipv6Addr::from(a));
                }
            }
            15 => d.ipxe |= value.windows(4).any(|w| w == b"iPXE"),
            59 => d.bootfile_url = Some(String::from_utf8_lossy(value).into_owned()),
            61 => d.arch = value.get(0..2).map(u16_be),
            _ => {}
        }
        options = options.get(4 + len..).unwrap_or_default();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "test")]
mod tests {
    use super::*;

    /// An Ethernet + IPv4 + UDP frame (checksums left zero: the decoder ignores them).
    fn udp4(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0xff; 6];
        f.extend([0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x08, 0x00]);
        let total = u16::try_from(20 + 8 + payload.len()).unwrap();
        f.extend([0x45, 0, 0, 0]);
        f[16..18].copy_from_slice(&total.to_be_bytes());
        f.extend([0, 0, 0, 0, 64, 17, 0, 0]);
        f.extend(src);
        f.extend(dst);
        f.extend(sport.to_be_bytes());
        f.extend(dport.to_be_bytes());
        f.extend(u16::try_from(8 + payload.len()).unwrap().to_be_bytes());
        f.extend([0, 0]);
        f.extend(payload);
        f
    }

    fn capture(frames: &[Vec<u8>]) -> Vec<u8> {
        let mut c = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        c.extend([0; 8]);
        c.extend(65535u32.to_le_bytes());
        c.extend(1u32.to_le_bytes());
        for f in frames {
            c.extend([0; 8]);
            let len = u32::try_from(f.len()).unwrap().to_le_bytes();
            c.extend(len);
            c.extend(len);
            c.extend(f);
        }
        c
    }

    fn discover() -> Vec<u8> {
        let mut m = vec![0u8; 240];
        m[0] = 1;
        m[28..34].copy_from_slice(&[0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        m[236..240].copy_from_slice(&[99, 130, 83, 99]);
        m.extend([53, 1, 1, 93, 2, 0, 7, 175, 0, 255]);
        m
    }

    #[test]
    fn reads_dhcp_tftp_and_their_order() {
        let client = [192, 0, 2, 50];
        let server = [192, 0, 2, 1];
        let mut rrq = vec![0, 1];
        rrq.extend(b"snponly.efi\0octet\0");
        let mut data1 = vec![0, 3, 0, 1];
        data1.extend([7u8; 512]);
        let mut data2 = vec![0, 3, 0, 2];
        data2.extend([7u8; 100]);
        let frames = [
            udp4([0; 4], [255; 4], 68, 67, &discover()),
            udp4(client, server, 2000, 69, &rrq),
            udp4(server, client, 3000, 2000, &data1),
            // A block sent again counts once.
            udp4(server, client, 3000, 2000, &data1),
            udp4(server, client, 3000, 2000, &data2),
        ];
        let events = events_of_capture(&capture(&frames)).unwrap();
        let lines: Vec<String> = events.iter().map(Event::line).collect();
        assert_eq!(
            lines,
            [
                "dhcp4 DISCOVER mac=52:54:00:12:34:56 client=ipxe arch=7",
                "tftp RRQ file=snponly.efi client=192.0.2.50 bytes=612 complete",
            ]
        );
        assert_in_order(&events, &["dhcp4 DISCOVER arch=7", "tftp RRQ complete"], "");
    }

    #[test]
    #[should_panic(expected = "no line with `tftp RRQ`")]
    fn an_expected_line_out_of_order_fails() {
        let mut rrq = vec![0, 1];
        rrq.extend(b"x\0octet\0");
        let frames = [
            udp4([192, 0, 2, 50], [192, 0, 2, 1], 2000, 69, &rrq),
            udp4([0; 4], [255; 4], 68, 67, &discover()),
        ];
        let events = events_of_capture(&capture(&frames)).unwrap();
        assert_in_order(&events, &["dhcp4 DISCOVER", "tftp RRQ"], "");
    }

    #[test]
    fn refuses_what_is_not_a_pcap() {
        assert!(events_of_capture(b"not a capture at all, but long enough").is_err());
    }
}
