//! Every captured client request in tests/vectors/dhcp/ (real firmware: iPXE BIOS and UEFI,
//! iPXE UEFI over DHCPv6, OVMF PXE v4 and v6, OVMF HTTP boot v4 and v6, AAVMF ARM64) is classified, and the reply
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

use ipxegen_core::dhcp::reply::{Reply, build_proxy_reply, build_reply};
use ipxegen_core::dhcp::report::write_reply_report;
use ipxegen_core::dhcp::request::{ClientKind, ClientRequest, Family, parse_request};
use ipxegen_core::dhcp::tlv::Tlvs;
use ipxegen_core::model::{ClientArch, MacAddr, SystemUuid};
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
        vector: "ovmf-pxe-uefi-x64-dhcpv6-uuid-solicit",
        family: Family::V6,
        kind: ClientKind::FirmwarePxe,
        arch: 7,
    },
    Expect {
        vector: "ipxe-uefi-x64-dhcpv6-solicit",
        family: Family::V6,
        kind: ClientKind::Ipxe,
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
    assert_eq!(
        EXPECTED.len(),
        DHCP_CASES
            .iter()
            .filter(|c| c.proxy.is_none() && c.name == c.vector)
            .count()
    );
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
        // A DUID-UUID (made from the SMBIOS system UUID) holds no MAC.
        let want_mac = (!DUID_UUID_VECTORS.contains(&expect.vector))
            .then(|| MacAddr::parse(want_mac).unwrap());
        assert_eq!(request.mac, want_mac, "{}", expect.vector);
    }
}

/// The vectors captured with QEMU `-uuid` [`CAPTURE_UUID`]: their client sent a DUID-UUID.
const DUID_UUID_VECTORS: [&str; 2] = [
    "ipxe-uefi-x64-dhcpv6-solicit",
    "ovmf-pxe-uefi-x64-dhcpv6-uuid-solicit",
];

/// The `-uuid` those vectors were captured with.
const CAPTURE_UUID: &str = "0b9c4f5e-1d2a-4c3b-8e7f-123456789abc";

/// The DUIDs `SystemUuid` computes are the ones real clients sent for that UUID: iPXE's
/// (the UUID's bytes in RFC 4122 order), which the DHCPv6 configs reserve, and EDK2's (the
/// first three fields byte-swapped), which they do not.
#[test]
fn duid_uuid_clients_send_the_duids_system_uuid_computes() {
    let uuid = SystemUuid::parse(CAPTURE_UUID).unwrap();
    let ipxe = parse_request(&vector("ipxe-uefi-x64-dhcpv6-solicit")).unwrap();
    assert_eq!(ipxe.kind, ClientKind::Ipxe);
    assert_eq!(ipxe.duid.as_slice(), uuid.ipxe_duid().as_bytes());
    let ovmf = parse_request(&vector("ovmf-pxe-uefi-x64-dhcpv6-uuid-solicit")).unwrap();
    assert_eq!(ovmf.kind, ClientKind::FirmwarePxe);
    assert_eq!(ovmf.duid.as_slice(), uuid.firmware_duid().as_bytes());
    assert_ne!(uuid.ipxe_duid(), uuid.firmware_duid());
    // Without a UUID (QEMU with no -uuid), the same OVMF sent a DUID-LLT with its MAC.
    let llt = parse_request(&vector("ovmf-pxe-uefi-x64-dhcpv6-solicit")).unwrap();
    assert_eq!(llt.duid.get(..2), Some(&[0u8, 1][..]));
}

#[test]
fn replies_match_their_goldens() {
    let dir = golden_dir().join("dhcp-replies");
    for case in DHCP_CASES {
        let request = parse_request(&vector(case.vector)).unwrap();
        let site = Site::parse(case.site).unwrap();
        let reply = match case.proxy {
            None => build_reply(site.config(), &request),
            Some(proxy) => build_proxy_reply(site.config(), &request, proxy.server_id),
        }
        .unwrap();
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

/// A DHCPv4 DISCOVER from MAC 52:54:00:12:34:56 with `options` in the options field (END
/// added) and `sname` / `file` copied into those fields (the rest of each field zero).
fn discover_v4(options: &[u8], sname: &[u8], file: &[u8]) -> Vec<u8> {
    let mut msg = vec![0u8; 236];
    msg[..4].copy_from_slice(&[1, 1, 6, 0]);
    msg[4..8].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    msg[28..34].copy_from_slice(&[0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
    msg[44..44 + sname.len()].copy_from_slice(sname);
    msg[108..108 + file.len()].copy_from_slice(file);
    msg.extend_from_slice(&[99, 130, 83, 99]);
    msg.extend_from_slice(options);
    msg.push(255);
    msg
}

/// One option: code, length, data.
fn opt(code: u8, data: &[u8]) -> Vec<u8> {
    let mut v = vec![code, u8::try_from(data.len()).unwrap()];
    v.extend_from_slice(data);
    v
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

const X64_UEFI_PXE: [u8; 2] = [0, 7];
const OVERLOAD_SITE: &[u8] = br#"{"schema": 1, "http_server": "192.0.2.10", "http_root": "/srv/http", "tftp_server": "192.0.2.10"}"#;

#[test]
fn option_93_in_the_file_field_is_read_when_option_52_says_1() {
    let arch_opt = opt(93, &X64_UEFI_PXE);
    let file = cat(&[&arch_opt, &[255]]);
    let with_overload = discover_v4(&cat(&[&opt(53, &[1]), &opt(52, &[1])]), &[], &file);
    let request = parse_request(&with_overload).unwrap();
    let want = ClientArch(u16::from_be_bytes([arch_opt[2], arch_opt[3]]));
    assert_eq!(request.arch, Some(want));
    assert_eq!(request.kind, ClientKind::FirmwarePxe);
    assert_eq!(request.message_type, Some(1));
    let site = Site::parse(OVERLOAD_SITE).unwrap();
    let reply = build_reply(site.config(), &request).unwrap();
    assert_eq!(reply.arch, Some(want));
    assert_eq!(
        reply.bootfile.as_str(),
        site.config()
            .loader(ipxegen_core::model::LoaderKind::UefiX64)
            .as_str()
    );
    // Without option 52 the same bytes in `file` are a file name, not options.
    let without = discover_v4(&opt(53, &[1]), &[], &file);
    let request = parse_request(&without).unwrap();
    assert_eq!(request.arch, None);
    assert_eq!(
        build_reply(site.config(), &request).unwrap_err().kind,
        ErrorKind::UnsupportedArch
    );
}

#[test]
fn option_52_value_2_reads_sname_and_not_file() {
    let arch_opt = opt(93, &[0, 16]);
    let class = b"HTTPClient:Arch:00016";
    let sname = cat(&[&arch_opt, &opt(60, class), &[255]]);
    // `file` holds what looks like option 93 for BIOS: with 52 = 2 it is not read.
    let file = cat(&[&opt(93, &[0, 0]), &[255]]);
    let msg = discover_v4(&opt(52, &[2]), &sname, &file);
    let request = parse_request(&msg).unwrap();
    assert_eq!(request.arch, Some(ClientArch(16)));
    assert_eq!(request.vendor_class.as_slice(), class);
    assert_eq!(request.kind, ClientKind::UefiHttpBoot);
}

#[test]
fn option_52_value_3_reads_options_then_file_then_sname_joining_split_options() {
    // RFC 3396: option 60 in three pieces, one per area; RFC 2131 4.1 order: options
    // field, `file`, `sname`. The pieces are placed so that any other order gives a
    // different string.
    let (a, b, c): (&[u8], &[u8], &[u8]) = (b"HTTP", b"Client:Arch:", b"00019");
    let options = cat(&[&opt(52, &[3]), &opt(60, a)]);
    let file = cat(&[&opt(60, b), &opt(93, &[0, 19]), &[255]]);
    let sname = cat(&[&[0, 0], &opt(60, c), &opt(77, b"iPXE"), &[255]]);
    let request = parse_request(&discover_v4(&options, &sname, &file)).unwrap();
    assert_eq!(request.vendor_class.as_slice(), cat(&[a, b, c]).as_slice());
    assert_eq!(request.arch, Some(ClientArch(19)));
    // The user class in `sname` makes it iPXE.
    assert_eq!(request.kind, ClientKind::Ipxe);
    // 52 = 1 leaves `sname` unread: not iPXE, and the class lacks its last piece.
    let options = cat(&[&opt(52, &[1]), &opt(60, a)]);
    let request = parse_request(&discover_v4(&options, &sname, &file)).unwrap();
    assert_eq!(request.vendor_class.as_slice(), cat(&[a, b]).as_slice());
    assert_eq!(request.kind, ClientKind::UefiHttpBoot);
}

#[test]
fn split_options_are_joined_even_without_overload() {
    // Option 93 split in two one-byte halves, 175 with its sub-options split mid-item.
    let ipxe_subs = cat(&[&opt(19, &[1]), &opt(235, &[1, 21, 1])]);
    let (head, tail) = ipxe_subs.split_at(4);
    let options = cat(&[
        &opt(93, &[0]),
        &opt(175, head),
        &opt(93, &[9]),
        &opt(175, tail),
    ]);
    let request = parse_request(&discover_v4(&options, &[], &[])).unwrap();
    assert_eq!(request.arch, Some(ClientArch(9)));
    assert_eq!(request.kind, ClientKind::Ipxe);
    assert!(request.has_feature(19));
    assert_eq!(request.ipxe_version, Some([1, 21, 1]));
    // Joined, 93 has an odd length: malformed.
    let odd = cat(&[&opt(93, &[0, 7]), &opt(93, &[1])]);
    assert_eq!(
        parse_request(&discover_v4(&odd, &[], &[]))
            .unwrap_err()
            .kind,
        ErrorKind::Malformed
    );
}

#[test]
fn malformed_overload_is_refused_naming_where() {
    use ipxegen_core::Field;
    let arch = cat(&[&opt(93, &X64_UEFI_PXE), &[255]]);
    for value in [&[][..], &[0], &[4], &[255], &[1, 1]] {
        let err = parse_request(&discover_v4(&opt(52, value), &arch, &arch)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadOverload, "52 = {value:?}");
    }
    // Two instances of 52 are one option, joined: [1] + [2] is two bytes.
    let twice = cat(&[&opt(52, &[1]), &opt(52, &[2])]);
    assert_eq!(
        parse_request(&discover_v4(&twice, &arch, &arch))
            .unwrap_err()
            .kind,
        ErrorKind::BadOverload
    );
    // Option 52 inside an overloaded field.
    let nested = cat(&[&opt(52, &[3]), &[255]]);
    let err = parse_request(&discover_v4(&opt(52, &[1]), &[], &nested)).unwrap_err();
    assert_eq!(
        (err.kind, err.field),
        (ErrorKind::BadOverload, Some(Field::FileField))
    );
    let err = parse_request(&discover_v4(&opt(52, &[3]), &nested, &arch)).unwrap_err();
    assert_eq!(
        (err.kind, err.field),
        (ErrorKind::BadOverload, Some(Field::SnameField))
    );
    // An option that runs past the end of its field (no END before it).
    let mut file = vec![0u8; 128];
    file[124..].copy_from_slice(&[93, 8, 0, 7]);
    let err = parse_request(&discover_v4(&opt(52, &[1]), &[], &file)).unwrap_err();
    assert_eq!(
        (err.kind, err.field),
        (ErrorKind::Truncated, Some(Field::FileField))
    );
    let mut sname = vec![0u8; 64];
    sname[62..].copy_from_slice(&[60, 1]);
    let err = parse_request(&discover_v4(&opt(52, &[2]), &sname, &[])).unwrap_err();
    assert_eq!(
        (err.kind, err.field),
        (ErrorKind::Truncated, Some(Field::SnameField))
    );
    assert_eq!(
        err.to_string(),
        "sname field: message ends before its stated length"
    );
    // Not overloaded, the same bytes are only a server name and a file name.
    let request = parse_request(&discover_v4(&opt(53, &[1]), &sname, &file)).unwrap();
    assert_eq!(request.arch, None);
}

#[test]
fn an_overloaded_field_ends_at_end() {
    // After END, `file` may hold anything (here a truncated option): it is not read.
    let file = cat(&[&opt(93, &X64_UEFI_PXE), &[255, 93, 200]]);
    let request = parse_request(&discover_v4(&opt(52, &[1]), &[], &file)).unwrap();
    assert_eq!(request.arch, Some(ClientArch(7)));
}

/// What makes each ProxyDHCP answer one that its client takes, read back from a whole DHCPOFFER
/// by dhcproto: no address; 60 = `PXEClient` for iPXE and firmware PXE (`HTTPClient` for UEFI
/// HTTP boot); 43 = discovery control 8 and END for firmware PXE, no 43 (so no PXE menu) and a
/// next server for iPXE; no 175.176; 54 when the server id is known; 97 echoed.
#[test]
fn proxy_answers_carry_what_each_client_takes_as_proxydhcp() {
    use dhcproto::{Decodable, Decoder, v4};
    for case in DHCP_CASES.iter().filter(|c| c.proxy.is_some()) {
        let request = parse_request(&vector(case.vector)).unwrap();
        if request.family != Family::V4 {
            continue;
        }
        let site = Site::parse(case.site).unwrap();
        let server_id = case.proxy.unwrap().server_id;
        let reply = build_proxy_reply(site.config(), &request, server_id).unwrap();
        assert!(reply.is_proxy());
        let mut msg = vec![0u8; 236];
        msg[..3].copy_from_slice(&[2, 1, 6]);
        if let Some(siaddr) = reply.siaddr {
            msg[20..24].copy_from_slice(&siaddr.octets());
        }
        msg[108..108 + reply.file_field().len()].copy_from_slice(reply.file_field().as_bytes());
        msg.extend_from_slice(&[99, 130, 83, 99, 53, 1, 2]);
        msg.extend_from_slice(&options_of(&reply));
        msg.push(255);
        let decoded = v4::Message::decode(&mut Decoder::new(&msg)).unwrap();
        let opts = decoded.opts();
        let name = case.name;
        assert_eq!(decoded.yiaddr(), std::net::Ipv4Addr::UNSPECIFIED, "{name}");
        let class = match opts.get(v4::OptionCode::ClassIdentifier) {
            Some(v4::DhcpOption::ClassIdentifier(c)) => c.clone(),
            other => panic!("{name}: 60 {other:?}"),
        };
        let vendor = |code| match opts.get(v4::OptionCode::Unknown(code)) {
            Some(v4::DhcpOption::Unknown(u)) => Some(u.data().to_vec()),
            None => None,
            other => panic!("{name}: {code} {other:?}"),
        };
        let pxe = match opts.get(v4::OptionCode::VendorExtensions) {
            Some(v4::DhcpOption::VendorExtensions(data)) => Some(data.clone()),
            None => None,
            other => panic!("{name}: 43 {other:?}"),
        };
        // The kind the reply answers: in the classic flow an iPXE ROM is answered as the PXE
        // firmware of its NIC.
        match reply.kind {
            ClientKind::FirmwarePxe if reply.arch == Some(ClientArch::BIOS) => {
                assert_eq!(class, b"PXEClient", "{name}");
                // BIOS: 43.6 = 8, boot the file named here.
                assert_eq!(pxe.as_deref(), Some(&[6, 1, 8, 255][..]), "{name}");
                assert!(!reply.redirect_to_port_4011, "{name}");
                assert_eq!(reply.siaddr, table_tftp(case), "{name}");
            }
            ClientKind::FirmwarePxe => {
                assert_eq!(class, b"PXEClient", "{name}");
                // UEFI (all the captured firmware): no 43, so EDK2 keeps the answer.
                assert_eq!(pxe, None, "{name}");
                let discover = request.message_type == Some(1);
                assert_eq!(reply.redirect_to_port_4011, discover, "{name}");
                // The offer points at this server (where EDK2 asks again, port 4011); the
                // answer to that request at the TFTP server (both 192.0.2.10 here).
                let expected = if discover {
                    server_id
                } else {
                    table_tftp(case)
                };
                assert_eq!(reply.siaddr, expected, "{name}");
                if discover {
                    assert_eq!(reply.file_field(), "", "{name}");
                    assert!(opts.get(v4::OptionCode::BootfileName).is_none(), "{name}");
                    continue;
                }
            }
            ClientKind::Ipxe => {
                assert_eq!(class, b"PXEClient", "{name}");
                assert_eq!(pxe, None, "{name}: no PXE menu for iPXE");
                assert_ne!(decoded.siaddr(), std::net::Ipv4Addr::UNSPECIFIED, "{name}");
                assert_eq!(vendor(175), None, "{name}: no 175.176");
            }
            ClientKind::UefiHttpBoot => {
                assert_eq!(class, b"HTTPClient", "{name}");
                assert_eq!(pxe, None, "{name}");
            }
        }
        match opts.get(v4::OptionCode::ServerIdentifier) {
            Some(v4::DhcpOption::ServerIdentifier(id)) => assert_eq!(Some(*id), server_id),
            None => assert_eq!(server_id, None, "{name}"),
            other => panic!("{name}: 54 {other:?}"),
        }
        match opts.get(v4::OptionCode::ClientMachineIdentifier) {
            Some(v4::DhcpOption::ClientMachineIdentifier(id)) => assert_eq!(
                Some(id.as_slice()),
                request.machine_id.as_ref().map(|m| &m[..]),
                "{name}: 97 echoed"
            ),
            other => panic!("{name}: 97 {other:?}"),
        }
        match opts.get(v4::OptionCode::BootfileName) {
            Some(v4::DhcpOption::BootfileName(file)) => {
                assert_eq!(file.as_slice(), reply.bootfile.as_bytes())
            }
            other => panic!("{name}: 67 {other:?}"),
        }
    }
}

/// The site's TFTP server, as `siaddr`.
fn table_tftp(case: &ipxegen_tests::DhcpCase) -> Option<std::net::Ipv4Addr> {
    let site = Site::parse(case.site).unwrap();
    ipxegen_core::dhcp::table::tftp_server_v4(site.config()).ok()
}

/// iPXE ignores a ProxyDHCP answer that names a boot file but no next server: on a site with
/// no IPv4 TFTP server the server id must be given, and then it is the next server.
#[test]
fn a_proxy_answer_to_ipxe_needs_a_next_server() {
    use ipxegen_core::{Error, Field};
    let request = parse_request(&vector("ipxe-bios-x86-discover")).unwrap();
    let site =
        Site::parse(br#"{"schema": 1, "http_server": "192.0.2.1", "http_root": "/r"}"#).unwrap();
    let e = build_proxy_reply(site.config(), &request, None).unwrap_err();
    assert_eq!(e, Error::at(ErrorKind::NoServerId, Field::ServerId));
    assert!(
        e.to_string().starts_with(
            "server id: not given: this ProxyDHCP answer needs the ProxyDHCP server's own address"
        ),
        "{e}"
    );
    let own = std::net::Ipv4Addr::new(192, 0, 2, 7);
    let reply = build_proxy_reply(site.config(), &request, Some(own)).unwrap();
    assert_eq!(reply.siaddr, Some(own));
    // The full reply needs none: iPXE takes the address server's answer as it is.
    assert_eq!(build_reply(site.config(), &request).unwrap().siaddr, None);
    // Firmware PXE on that site is refused in both modes, as it has no TFTP server.
    let firmware = parse_request(&vector("ovmf-pxe-uefi-x64-discover")).unwrap();
    assert_eq!(
        build_proxy_reply(site.config(), &firmware, Some(own))
            .unwrap_err()
            .kind,
        ErrorKind::HttpOnlySite
    );
}

/// A BIOS PXE ROM's ProxyDHCP answer carries 43.6 = 8 ("boot the file named here") and END;
/// a UEFI one carries no 43. (No BIOS firmware PXE was captured: QEMU's BIOS PXE ROM is iPXE.
/// The request is the captured OVMF one with its architecture set to 0.)
#[test]
fn a_bios_proxy_answer_says_boot_this_file_and_a_uefi_one_has_no_option_43() {
    let mut bytes = vector("ovmf-pxe-uefi-x64-discover");
    let at = Tlvs::new(&bytes[240..])
        .scan(240usize, |offset, t| {
            let t = t.unwrap();
            let here = *offset;
            *offset += 2 + t.data.len();
            Some((here, t.code))
        })
        .find(|(_, code)| *code == 93)
        .map(|(at, _)| at)
        .unwrap();
    bytes[at + 2..at + 4].copy_from_slice(&[0, 0]);
    let request = parse_request(&bytes).unwrap();
    assert_eq!(
        (request.kind, request.arch),
        (ClientKind::FirmwarePxe, Some(ClientArch(0)))
    );
    let site = Site::parse(V4_SITE).unwrap();
    let reply = build_proxy_reply(site.config(), &request, None).unwrap();
    assert_eq!(reply.pxe_discovery_control, Some(8));
    assert!(!reply.redirect_to_port_4011);
    assert_eq!(reply.siaddr, Some(std::net::Ipv4Addr::new(192, 0, 2, 10)));
    assert_eq!(reply.bootfile.as_str(), "undionly.kpxe");
    let options = options_of(&reply);
    assert_eq!(
        ipxegen_core::dhcp::tlv::find(&options, 43).unwrap(),
        Some(&[6, 1, 8, 255][..])
    );
    // The full reply has no 43 and no 60.
    let full = options_of(&build_reply(site.config(), &request).unwrap());
    assert_eq!(ipxegen_core::dhcp::tlv::find(&full, 43).unwrap(), None);
    assert_eq!(ipxegen_core::dhcp::tlv::find(&full, 60).unwrap(), None);
}

/// UEFI firmware PXE is answered in two steps: the offer to its DISCOVER names no file and
/// points at this server, and needs its address; the answer to its REQUEST (sent to port
/// 4011) names the loader and the TFTP server.
#[test]
fn a_uefi_proxy_offer_points_at_this_server_and_the_request_gets_the_loader() {
    use ipxegen_core::{Error, Field};
    let site = Site::parse(V4_SITE).unwrap();
    let own = std::net::Ipv4Addr::new(192, 0, 2, 99);
    let discover = parse_request(&vector("ovmf-pxe-uefi-x64-discover")).unwrap();
    assert_eq!(
        build_proxy_reply(site.config(), &discover, None).unwrap_err(),
        Error::at(ErrorKind::NoServerId, Field::ServerId)
    );
    let offer = build_proxy_reply(site.config(), &discover, Some(own)).unwrap();
    assert!(offer.redirect_to_port_4011);
    assert_eq!(offer.siaddr, Some(own));
    let options = options_of(&offer);
    for code in [43u8, 66, 67] {
        assert_eq!(
            ipxegen_core::dhcp::tlv::find(&options, code).unwrap(),
            None,
            "{code}"
        );
    }
    let request = parse_request(&vector("ovmf-pxe-uefi-x64-request")).unwrap();
    let ack = build_proxy_reply(site.config(), &request, Some(own)).unwrap();
    assert!(!ack.redirect_to_port_4011);
    assert_eq!(ack.siaddr, Some(std::net::Ipv4Addr::new(192, 0, 2, 10)));
    assert_eq!(ack.file_field(), "snponly.efi");
}

/// The classic flow (`ipxe_enabled` false) answers DHCPv4 PXE clients of arch 0, 7 and 9, an
/// iPXE ROM among them, and refuses the clients it has no loader for, naming the request.
#[test]
fn the_classic_flow_refuses_what_it_has_no_loader_for() {
    let site = Site::parse(include_bytes!("../golden/sites/dhcp-classic.json")).unwrap();
    for refused in [
        "aavmf-pxe-uefi-arm64-discover",
        "ovmf-httpboot-uefi-x64-discover",
        "ovmf-pxe-uefi-x64-dhcpv6-solicit",
        "ipxe-uefi-x64-dhcpv6-solicit",
    ] {
        let request = parse_request(&vector(refused)).unwrap();
        for reply in [
            build_reply(site.config(), &request),
            build_proxy_reply(site.config(), &request, None),
        ] {
            let e = reply.unwrap_err();
            assert_eq!(
                (e.kind, e.field),
                (
                    ErrorKind::NoClassicLoader,
                    Some(ipxegen_core::Field::Request)
                ),
                "{refused}"
            );
        }
    }
    // GRUB cannot boot through ProxyDHCP: x64 UEFI is refused as a ProxyDHCP answer.
    for uefi in ["ovmf-pxe-uefi-x64-discover", "ovmf-pxe-uefi-x64-request"] {
        let request = parse_request(&vector(uefi)).unwrap();
        let e = build_proxy_reply(site.config(), &request, None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::GrubWithoutProxyDhcp, "{uefi}");
        assert!(build_reply(site.config(), &request).is_ok(), "{uefi}");
    }
    for (vector_name, loader) in [
        ("ipxe-bios-x86-discover", "pxelinux.0"),
        ("ipxe-bios-x86-request", "pxelinux.0"),
        ("ipxe-uefi-x64-request", "grubnetx64.efi"),
        ("ovmf-pxe-uefi-x64-request", "grubnetx64.efi"),
    ] {
        let request = parse_request(&vector(vector_name)).unwrap();
        let reply = build_reply(site.config(), &request).unwrap();
        assert_eq!(reply.bootfile, loader, "{vector_name}");
        assert_eq!(reply.file_field(), loader, "{vector_name}");
        assert_eq!(reply.kind, ClientKind::FirmwarePxe, "{vector_name}");
        assert!(reply.classic && !reply.no_pxedhcp, "{vector_name}");
    }
}
