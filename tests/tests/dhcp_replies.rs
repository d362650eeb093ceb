//! Every captured client request in tests/vectors/dhcp/ (real firmware: iPXE BIOS and UEFI,
//! OVMF PXE v4 and v6, OVMF HTTP boot v4 and v6, AAVMF ARM64) is classified, and the reply
//! built for it matches its golden file (tests/golden/dhcp-replies/<vector>.txt: the readable
//! reply and the option bytes in hex). The option bytes are also decoded by an independent
//! implementation (the dhcproto crate) inside a whole DHCP message.
//!
//! Regenerate after an intended change: `UPDATE_GOLDENS=1 cargo test -p ipxegen-tests --test
//! dhcp_replies`, then review the diff.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_core::dhcp::reply::{Reply, build_reply};
use ipxegen_core::dhcp::report::write_reply_report;
use ipxegen_core::dhcp::request::{ClientKind, ClientRequest, Family, parse_request};
use ipxegen_core::dhcp::tlv::Tlvs;
use ipxegen_core::model::{ClientArch, MacAddr};
use ipxegen_core::{ErrorKind, Site};
use ipxegen_tests::{DHCP_CASES, VecWriter, decode_hex, golden_dir};
use std::path::PathBuf;

fn vector(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/dhcp")
        .join(format!("{name}.hex"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut bytes = vec![0u8; text.len() / 2];
    let len = decode_hex(&text, &mut bytes).unwrap();
    bytes.truncate(len);
    bytes
}

struct Expect {
    vector: &'static str,
    family: Family,
    kind: ClientKind,
    arch: u16,
}

const EXPECTED: &[Expect] = &[
    Expect {
        vector: "ipxe-bios-x86-discover",
        family: Family::V4,
        kind: ClientKind::Ipxe,
        arch: 0,
    },
    Expect {
        vector: "ipxe-bios-x86-request",
        family: Family::V4,
        kind: ClientKind::Ipxe,
        arch: 0,
    },
    Expect {
        vector: "ipxe-uefi-x64-discover",
        family: Family::V4,
        kind: ClientKind::Ipxe,
        arch: 7,
    },
    Expect {
        vector: "ipxe-uefi-x64-request",
        family: Family::V4,
        kind: ClientKind::Ipxe,
        arch: 7,
    },
    Expect {
        vector: "ovmf-pxe-uefi-x64-discover",
        family: Family::V4,
        kind: ClientKind::FirmwarePxe,
        arch: 7,
    },
    Expect {
        vector: "ovmf-pxe-uefi-x64-request",
        family: Family::V4,
        kind: ClientKind::FirmwarePxe,
        arch: 7,
    },
    Expect {
        vector: "ovmf-pxe-uefi-x64-dhcpv6-solicit",
        family: Family::V6,
        kind: ClientKind::FirmwarePxe,
        arch: 7,
    },
    Expect {
        vector: "ovmf-httpboot-uefi-x64-discover",
        family: Family::V4,
        kind: ClientKind::UefiHttpBoot,
        arch: 16,
    },
    Expect {
        vector: "ovmf-httpboot-uefi-x64-request",
        family: Family::V4,
        kind: ClientKind::UefiHttpBoot,
        arch: 16,
    },
    Expect {
        vector: "ovmf-httpboot-uefi-x64-dhcpv6-solicit",
        family: Family::V6,
        kind: ClientKind::UefiHttpBoot,
        arch: 16,
    },
    Expect {
        vector: "aavmf-pxe-uefi-arm64-discover",
        family: Family::V4,
        kind: ClientKind::FirmwarePxe,
        arch: 11,
    },
    Expect {
        vector: "aavmf-pxe-uefi-arm64-request",
        family: Family::V4,
        kind: ClientKind::FirmwarePxe,
        arch: 11,
    },
    Expect {
        vector: "aavmf-pxe-uefi-arm64-dhcpv6-solicit",
        family: Family::V6,
        kind: ClientKind::FirmwarePxe,
        arch: 11,
    },
];

const V4_SITE: &[u8] = include_bytes!("../../examples/site.json");
const V6_SITE: &[u8] = include_bytes!("../golden/sites/reply-v6.json");

fn reply_for(request: &ClientRequest) -> Reply {
    let doc = if request.family == Family::V4 {
        V4_SITE
    } else {
        V6_SITE
    };
    let site = Site::parse(doc).unwrap();
    build_reply(site.config(), request).unwrap()
}

fn options_of(reply: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    reply.emit_options(&mut VecWriter(&mut out)).unwrap();
    out
}

fn report(request: &ClientRequest, reply: &Reply) -> String {
    let mut text = String::new();
    write_reply_report(request, reply, &mut text).unwrap();
    text
}

#[test]
fn captured_requests_are_classified() {
    assert_eq!(EXPECTED.len(), DHCP_CASES.len());
    for expect in EXPECTED {
        let request = parse_request(&vector(expect.vector)).unwrap();
        assert_eq!(request.family, expect.family, "{}", expect.vector);
        assert_eq!(request.kind, expect.kind, "{}", expect.vector);
        assert_eq!(
            request.arch,
            Some(ClientArch(expect.arch)),
            "{}",
            expect.vector
        );
        let want_mac = if expect.vector.starts_with("aavmf") {
            "52:54:00:12:34:57"
        } else {
            "52:54:00:12:34:56"
        };
        assert_eq!(
            request.mac,
            Some(MacAddr::parse(want_mac).unwrap()),
            "{}",
            expect.vector
        );
    }
}

#[test]
fn replies_match_their_goldens() {
    let dir = golden_dir().join("dhcp-replies");
    for case in DHCP_CASES {
        let request = parse_request(&vector(case.name)).unwrap();
        let site = Site::parse(case.site).unwrap();
        let reply = build_reply(site.config(), &request).unwrap();
        let text = report(&request, &reply);
        let golden = dir.join(format!("{}.txt", case.name));
        if let Err(e) = ipxegen_tests::check_golden(&golden, text.as_bytes()) {
            panic!("{}: {e}", case.name);
        }
    }
}

#[test]
fn ipxe_announces_http_but_not_https() {
    let request = parse_request(&vector("ipxe-bios-x86-discover")).unwrap();
    assert!(request.has_feature(19));
    assert!(!request.has_feature(20));
    assert_eq!(request.ipxe_version, Some([1, 0, 0]));
    // So an https:// site is refused for it, naming http_server.
    let site = Site::parse(
        br#"{"schema": 1, "http_server": "https://boot.example.com", "http_root": "/r"}"#,
    )
    .unwrap();
    let err = build_reply(site.config(), &request).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ClientLacksHttps);
}

#[test]
fn a_server_reply_is_not_a_client_request() {
    let offer = vector("slirp-offer-to-ipxe-bios");
    assert_eq!(
        parse_request(&offer).unwrap_err().kind,
        ErrorKind::Malformed
    );
    // Its options still read as TLVs, and its `file` field carries the boot URL.
    assert!(Tlvs::new(&offer[240..]).all(|t| t.is_ok()));
    let file = &offer[108..236];
    let end = file.iter().position(|&b| b == 0).unwrap();
    assert!(
        std::str::from_utf8(&file[..end])
            .unwrap()
            .starts_with("http://")
    );
}

#[test]
fn truncated_or_corrupt_requests_never_panic() {
    for name in EXPECTED.iter().map(|e| e.vector) {
        let bytes = vector(name);
        for len in 0..bytes.len() {
            let _ = parse_request(&bytes[..len]);
        }
        for i in 0..bytes.len() {
            let mut corrupt = bytes.clone();
            corrupt[i] ^= 0xff;
            let _ = parse_request(&corrupt);
        }
    }
    assert_eq!(parse_request(&[]).unwrap_err().kind, ErrorKind::Truncated);
}

/// A whole DHCPv4 OFFER around our options, decoded by dhcproto.
#[test]
fn dhcproto_decodes_our_v4_options() {
    use dhcproto::{Decodable, Decoder, v4};
    for name in [
        "ipxe-bios-x86-discover",
        "ovmf-pxe-uefi-x64-discover",
        "ovmf-httpboot-uefi-x64-discover",
    ] {
        let request = parse_request(&vector(name)).unwrap();
        let reply = reply_for(&request);
        let mut msg = vec![0u8; 236];
        msg[0] = 2;
        msg[1] = 1;
        msg[2] = 6;
        if let Some(siaddr) = reply.siaddr {
            msg[20..24].copy_from_slice(&siaddr.octets());
        }
        msg[108..108 + reply.file_field().len()].copy_from_slice(reply.file_field().as_bytes());
        msg.extend_from_slice(&[99, 130, 83, 99, 53, 1, 2]);
        msg.extend_from_slice(&options_of(&reply));
        msg.push(255);
        let decoded = v4::Message::decode(&mut Decoder::new(&msg)).unwrap();
        let opts = decoded.opts();
        match opts.get(v4::OptionCode::BootfileName) {
            Some(v4::DhcpOption::BootfileName(name)) => {
                assert_eq!(name.as_slice(), reply.bootfile.as_bytes())
            }
            other => panic!("{name}: bootfile {other:?}"),
        }
        if let Some(class) = reply.vendor_class {
            match opts.get(v4::OptionCode::ClassIdentifier) {
                Some(v4::DhcpOption::ClassIdentifier(c)) => {
                    assert_eq!(c.as_slice(), class.as_bytes())
                }
                other => panic!("{name}: vendor class {other:?}"),
            }
        }
        if reply.no_pxedhcp {
            match opts.get(v4::OptionCode::Unknown(175)) {
                Some(v4::DhcpOption::Unknown(u)) => assert_eq!(u.data(), &[176, 1, 1]),
                other => panic!("{name}: 175 {other:?}"),
            }
        }
        assert_eq!(
            decoded.siaddr(),
            reply.siaddr.unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)
        );
    }
}

/// A whole DHCPv6 ADVERTISE around our options, decoded by dhcproto.
#[test]
fn dhcproto_decodes_our_v6_options() {
    use dhcproto::{Decodable, Decoder, v6};
    for name in [
        "ovmf-pxe-uefi-x64-dhcpv6-solicit",
        "ovmf-httpboot-uefi-x64-dhcpv6-solicit",
    ] {
        let request = parse_request(&vector(name)).unwrap();
        let reply = reply_for(&request);
        let mut msg = vec![2u8, 0, 0, 1];
        msg.extend_from_slice(&options_of(&reply));
        let decoded = v6::Message::decode(&mut Decoder::new(&msg)).unwrap();
        let mut saw_url = false;
        for opt in decoded.opts().iter() {
            if let v6::DhcpOption::Unknown(u) = opt
                && u16::from(u.code()) == 59
            {
                assert_eq!(u.data(), reply.bootfile.as_bytes());
                saw_url = true;
            }
        }
        assert!(saw_url, "{name}: no option 59 in {:?}", decoded.opts());
    }
}
