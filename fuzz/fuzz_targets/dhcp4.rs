//! The DHCPv4 request reader and the classifier, on any bytes. Property: each option of a
//! request that reads that parses as a typed option, re-emitted from its typed value, is the same bytes as the core's TLV
//! encoder writes for the raw option, and parses back to the same value; the request with
//! its options re-emitted reads as the same request (same client kind, architecture, ...).
#![no_main]

use ipxegen_core::dhcp::request::{V4_OPTIONS_AT, parse_request, parse_v4};
use ipxegen_core::dhcp::tlv::{self, Tlvs};
use ipxegen_core::dhcp::v4::DhcpOption;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|message: &[u8]| {
    let Ok(request) = parse_v4(message) else {
        return;
    };
    assert_eq!(parse_request(message).ok().as_ref(), Some(&request));
    let (header, options) = message.split_at(V4_OPTIONS_AT);
    let mut reemitted = header.to_vec();
    for raw in Tlvs::new(options) {
        let raw = raw.expect("a request that reads has whole options");
        let Ok(option) = DhcpOption::parse(raw) else {
            // The reader shape-checks only the options it uses (53, 60, 77, 93, 175); any
            // other is passed on as it is.
            tlv::write(&mut reemitted, raw.code, raw.data).expect("an option read encodes");
            continue;
        };
        let mut emitted = Vec::new();
        option.emit(&mut emitted).expect("an option read emits");
        let mut encoded = Vec::new();
        tlv::write(&mut encoded, raw.code, raw.data).expect("an option read encodes");
        assert_eq!(emitted, encoded, "{option:?}");
        assert_eq!(option.buffer_len().ok(), Some(emitted.len()));
        let mut again = Tlvs::new(&emitted);
        let back = again.next().and_then(Result::ok);
        assert_eq!(back, Some(raw));
        assert!(again.next().is_none());
        assert_eq!(back.and_then(|b| DhcpOption::parse(b).ok()), Some(option));
        reemitted.extend_from_slice(&emitted);
    }
    assert_eq!(parse_v4(&reemitted).ok(), Some(request));
});
