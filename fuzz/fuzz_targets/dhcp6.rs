//! The DHCPv6 request reader and the classifier, on any bytes. Property: the options of a
//! request that reads, each re-emitted from its typed value, are the request's option bytes
//! exactly, and each parses back to the same value; so the request reads the same again.
#![no_main]

use ipxegen_core::dhcp::request::{V6_OPTIONS_AT, parse_request, parse_v6};
use ipxegen_core::dhcp::v6::{Dhcpv6Option, Options6};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|message: &[u8]| {
    let v6 = parse_v6(message);
    if let Ok(request) = &v6
        && let Ok(any) = parse_request(message)
    {
        // A DHCPv6 message that also looks like DHCPv4 is read as DHCPv4.
        assert!(any == *request || any.family == ipxegen_core::dhcp::request::Family::V4);
    }
    let Ok(request) = v6 else { return };
    let (header, options) = message.split_at(V6_OPTIONS_AT);
    let mut reemitted = header.to_vec();
    for raw in Options6::new(options) {
        let raw = raw.expect("a request that reads has whole options");
        let option = Dhcpv6Option::parse(raw).expect("a request that reads has valid options");
        let mut emitted = Vec::new();
        option.emit(&mut emitted).expect("an option read emits");
        assert_eq!(option.buffer_len().ok(), Some(emitted.len()));
        let mut again = Options6::new(&emitted);
        let back = again.next().and_then(Result::ok);
        assert_eq!(back, Some(raw), "{option:?}");
        assert!(again.next().is_none());
        assert_eq!(back.and_then(|b| Dhcpv6Option::parse(b).ok()), Some(option));
        reemitted.extend_from_slice(&emitted);
    }
    assert_eq!(
        reemitted, message,
        "the options re-emitted are the message's bytes"
    );
    assert_eq!(parse_v6(&reemitted).ok(), Some(request));
});
