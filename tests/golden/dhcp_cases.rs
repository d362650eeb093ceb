// The DHCP golden cases: a captured client request (hex), the site that answers it, and the
// expected report (`dhcp::report::write_reply_report`). Shared by the host tests (tests/) and
// the firmware tests (firmware-tests/), which both `include!` this file.

/// One DHCP golden case.
pub struct DhcpCase {
    /// The vector's name (file stem in tests/vectors/dhcp/ and tests/golden/dhcp-replies/).
    pub name: &'static str,
    /// The captured request as hex text.
    pub request_hex: &'static str,
    /// The site document that answers it.
    pub site: &'static [u8],
    /// The expected report.
    pub expected: &'static str,
}

macro_rules! dhcp_case {
    ($name:literal, $site:literal) => {
        DhcpCase {
            name: $name,
            request_hex: include_str!(concat!("../vectors/dhcp/", $name, ".hex")),
            site: include_bytes!($site),
            expected: include_str!(concat!("dhcp-replies/", $name, ".txt")),
        }
    };
}

/// Every DHCP golden case: v4 requests answered by the example site (IPv4 TFTP server), v6
/// requests by an IPv6 site.
pub const DHCP_CASES: &[DhcpCase] = &[
    dhcp_case!("ipxe-bios-x86-discover", "../../examples/site.json"),
    dhcp_case!("ipxe-bios-x86-request", "../../examples/site.json"),
    dhcp_case!("ipxe-uefi-x64-discover", "../../examples/site.json"),
    dhcp_case!("ipxe-uefi-x64-request", "../../examples/site.json"),
    dhcp_case!("ovmf-pxe-uefi-x64-discover", "../../examples/site.json"),
    dhcp_case!("ovmf-pxe-uefi-x64-request", "../../examples/site.json"),
    dhcp_case!("ovmf-pxe-uefi-x64-dhcpv6-solicit", "sites/reply-v6.json"),
    dhcp_case!("ovmf-pxe-uefi-x64-dhcpv6-uuid-solicit", "sites/reply-v6.json"),
    dhcp_case!("ipxe-uefi-x64-dhcpv6-solicit", "sites/reply-v6.json"),
    dhcp_case!("ovmf-httpboot-uefi-x64-discover", "../../examples/site.json"),
    dhcp_case!("ovmf-httpboot-uefi-x64-request", "../../examples/site.json"),
    dhcp_case!("ovmf-httpboot-uefi-x64-dhcpv6-solicit", "sites/reply-v6.json"),
    dhcp_case!("aavmf-pxe-uefi-arm64-discover", "../../examples/site.json"),
    dhcp_case!("aavmf-pxe-uefi-arm64-request", "../../examples/site.json"),
    dhcp_case!("aavmf-pxe-uefi-arm64-dhcpv6-solicit", "sites/reply-v6.json"),
];

/// Decodes hex text (whitespace ignored) into `out` with the core's decoder; returns the
/// length, or `None` when the text is not hex or does not fit.
pub fn decode_hex(text: &str, out: &mut [u8]) -> Option<usize> {
    ipxegen_core::hex::decode_into(
        text.as_bytes(),
        b"",
        out,
        ipxegen_core::Field::Request,
    )
    .ok()
}
