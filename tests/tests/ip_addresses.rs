//! The core reads and writes IP addresses with its own code (see `ipxegen_core::model::ip`):
//! it must agree with `std::net` on every input, byte for byte.

use ipxegen_core::model::ip::{ShowV4, ShowV6, parse_ipv4, parse_ipv6};
use proptest::prelude::*;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Text made of what addresses are made of.
fn address_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec!["0", "1", "9", "a", "F", "ff", "ffff", "12345", "0db8", "255", "256", "01", "192", ":", "::", ".", ":::"])
            .prop_map(str::to_owned),
        1 => "[0-9a-fA-F:.]{1,3}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|parts| parts.concat())
}

/// Addresses with runs of zero groups, mapped and compatible forms.
fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    let group = prop_oneof![3 => Just(0u16), 1 => Just(0xffff), 2 => any::<u16>()];
    prop::array::uniform8(group).prop_map(Ipv6Addr::from)
}

proptest! {
    #[test]
    fn ipv6_text_is_read_as_std_reads_it(text in address_text()) {
        prop_assert_eq!(parse_ipv6(&text), text.parse::<Ipv6Addr>().ok(), "{}", text);
    }

    #[test]
    fn ipv4_text_is_read_as_std_reads_it(text in "[0-9.]{0,18}") {
        prop_assert_eq!(parse_ipv4(&text), text.parse::<Ipv4Addr>().ok(), "{}", text);
    }

    #[test]
    fn ipv6_is_written_as_std_writes_it(addr in ipv6()) {
        let ours = ShowV6(addr).to_string();
        prop_assert_eq!(&ours, &addr.to_string());
        prop_assert_eq!(parse_ipv6(&ours), Some(addr));
    }

    #[test]
    fn ipv4_is_written_as_std_writes_it(octets in any::<[u8; 4]>()) {
        let addr = Ipv4Addr::from(octets);
        prop_assert_eq!(ShowV4(addr).to_string(), addr.to_string());
    }
}
