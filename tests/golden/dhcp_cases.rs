// The DHCP golden cases: a captured client request (hex), the site that answers it, how
// (as the DHCP server, or as a ProxyDHCP server), and the expected report
// (`dhcp::report::write_reply_report`). Shared by the host tests (tests/) and the firmware
// tests (firmware-tests/), which both `include!` this file.

/// One DHCP golden case.
pub struct DhcpCase {
    /// The case's name: the file stem in tests/golden/dhcp-replies/ (`proxy-<vector>` for a
    /// ProxyDHCP answer).
    pub name: &'static str,
    /// The captured request's file stem in tests/vectors/dhcp/.
    pub vector: &'static str,
    /// The captured request as hex text.
    pub request_hex: &'static str,
    /// The site document that answers it.
    pub site: &'static [u8],
    /// `Some` to answer as a ProxyDHCP server (`dhcp::reply::build_proxy_reply`).
    pub proxy: Option<ipxegen_core::dhcp::reply::Proxy>,
    /// The expected report.
    pub expected: &'static str,
}

macro_rules! dhcp_case {
    ($name:literal, $site:literal) => {
        DhcpCase {
            name: $name,
            vector: $name,
            request_hex: include_str!(concat!("../vectors/dhcp/", $name, ".hex")),
            site: include_bytes!($site),
            proxy: None,
            expected: include_str!(concat!("dhcp-replies/", $name, ".txt")),
        }
    };
    (proxy $vector:literal, $site:literal, $server_id:expr) => {
        DhcpCase {
            name: concat!("proxy-", $vector),
            vector: $vector,
            request_hex: include_str!(concat!("../vectors/dhcp/", $vector, ".hex")),
            site: include_bytes!($site),
            proxy: Some(ipxegen_core::dhcp::reply::Proxy {
                server_id: $server_id,
            }),
            expected: include_str!(concat!("dhcp-replies/proxy-", $vector, ".txt")),
        }
    };
}

/// A DHCP golden case answered by the classic site (`ipxe_enabled` false,
/// `sites/dhcp-classic.json`): `classic-<vector>`, or `classic-proxy-<vector>` as a ProxyDHCP
/// server.
macro_rules! classic_case {
    ($vector:literal) => {
        DhcpCase {
            name: concat!("classic-", $vector),
            vector: $vector,
            request_hex: include_str!(concat!("../vectors/dhcp/", $vector, ".hex")),
            site: include_bytes!("sites/dhcp-classic.json"),
            proxy: None,
            expected: include_str!(concat!("dhcp-replies/classic-", $vector, ".txt")),
        }
    };
    (proxy $vector:literal, $server_id:expr) => {
        DhcpCase {
            name: concat!("classic-proxy-", $vector),
            vector: $vector,
            request_hex: include_str!(concat!("../vectors/dhcp/", $vector, ".hex")),
            site: include_bytes!("sites/dhcp-classic.json"),
            proxy: Some(ipxegen_core::dhcp::reply::Proxy {
                server_id: $server_id,
            }),
            expected: include_str!(concat!("dhcp-replies/classic-proxy-", $vector, ".txt")),
        }
    };
}

/// The ProxyDHCP server's address in the proxy cases (the example site's servers).
const PROXY_SERVER: Option<core::net::Ipv4Addr> = Some(core::net::Ipv4Addr::new(192, 0, 2, 10));

/// Every DHCP golden case: v4 requests answered by the example site (IPv4 TFTP server), v6
/// requests by an IPv6 site; then ProxyDHCP answers to the same kinds of client (one of them
/// without a server id: iPXE's next server is then the TFTP server alone); then the classic
/// flow's answers (PXELINUX and GRUB, an iPXE ROM answered as PXE firmware).
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
    dhcp_case!(proxy "ipxe-bios-x86-discover", "../../examples/site.json", PROXY_SERVER),
    dhcp_case!(proxy "ipxe-uefi-x64-discover", "../../examples/site.json", None),
    dhcp_case!(proxy "ovmf-pxe-uefi-x64-discover", "../../examples/site.json", PROXY_SERVER),
    dhcp_case!(proxy "ovmf-pxe-uefi-x64-request", "../../examples/site.json", PROXY_SERVER),
    dhcp_case!(proxy "aavmf-pxe-uefi-arm64-discover", "../../examples/site.json", PROXY_SERVER),
    dhcp_case!(proxy "ovmf-httpboot-uefi-x64-discover", "../../examples/site.json", PROXY_SERVER),
    dhcp_case!(proxy "ovmf-pxe-uefi-x64-dhcpv6-solicit", "sites/reply-v6.json", PROXY_SERVER),
    classic_case!("ipxe-bios-x86-discover"),
    classic_case!("ipxe-uefi-x64-discover"),
    classic_case!("ovmf-pxe-uefi-x64-discover"),
    classic_case!("ovmf-pxe-uefi-x64-request"),
    classic_case!(proxy "ipxe-bios-x86-discover", PROXY_SERVER),
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
