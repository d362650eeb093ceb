//! Configuration for the DHCP servers people run, rendered from a site: dnsmasq, ISC dhcpd
//! (v4 and v6), Kea (kea-dhcp4, kea-dhcp6) and OpenStack Neutron's `extra_dhcp_opts`; and
//! dnsmasq as a ProxyDHCP server beside a DHCP server the operator does not control.
//!
//! Every config implements one decision table ([`crate::dhcp::table`]), the same one the reply builder
//! ([`crate::dhcp::reply`]) implements: iPXE gets the main script's URL; firmware that is not
//! iPXE gets an iPXE loader by client architecture, over TFTP (PXE) or HTTP (UEFI HTTP boot);
//! each node's network-boot MACs get the node's `ipv4`, `ipv6` and `hostname` (except in the
//! ProxyDHCP config, which hands out no addresses: the table's ProxyDHCP part).
//!
//! Each `write_*` function streams the site's nodes ([`Site::nodes`](crate::Site::nodes), so
//! memory does not grow with the node count; Kea's reads them more than once), writes through
//! an [`embedded_io::Write`], never allocates and never panics. A value a server cannot
//! represent is refused with an error naming the field (and node); nothing is escaped into a
//! different value or cut short. Output written before an error is incomplete: render into a
//! buffer and use it only on success.
//!
//! Each output is meant to be included in (or merged into) the operator's own server config,
//! and each one passes the real server's own check on its own (`dnsmasq --test -C`, `dhcpd
//! -t -cf`, `dhcpd -6 -t -cf`, `kea-dhcp4 -t`, `kea-dhcp6 -t`), which the tests run.

mod dnsmasq;
mod dnsmasq_proxy;
mod isc;
mod json;
mod kea;
mod neutron;
mod text;

pub use dnsmasq::write_dnsmasq_config;
pub use dnsmasq_proxy::write_dnsmasq_proxy_config;
pub use isc::{write_isc_dhcpd_config, write_isc_dhcpd6_config};
pub use kea::{write_kea_dhcp4_config, write_kea_dhcp6_config};
pub use neutron::write_neutron_extra_dhcp_opts;

/// The comment the text formats carry when the main script is served over HTTPS.
const HTTPS_NOTE: &str = "\
The main script is served over https://. iPXE builds without HTTPS (stock BIOS
builds, and older ones such as 1.21.1) do not announce feature 175.20 and cannot
fetch it: serve loaders built with DOWNLOAD_PROTO_HTTPS.";

/// A DHCP server configuration ipxegen writes: the one list the CLI's `--format`, the web
/// UI's tabs and the tests take their formats from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// dnsmasq (DHCPv4 and DHCPv6).
    Dnsmasq,
    /// dnsmasq as a ProxyDHCP server (DHCPv4, no addresses).
    DnsmasqProxy,
    /// ISC dhcpd, `dhcpd.conf` (DHCPv4).
    Isc,
    /// ISC dhcpd -6, `dhcpd6.conf` (DHCPv6).
    Isc6,
    /// Kea `kea-dhcp4` (JSON).
    Kea4,
    /// Kea `kea-dhcp6` (JSON).
    Kea6,
    /// OpenStack Neutron `extra_dhcp_opts` (JSON).
    Neutron,
}

impl Format {
    /// Every format, in the order front ends list them.
    pub const ALL: [Format; 7] = [
        Format::Dnsmasq,
        Format::DnsmasqProxy,
        Format::Isc,
        Format::Isc6,
        Format::Kea4,
        Format::Kea6,
        Format::Neutron,
    ];

    /// Its id: `--format` takes it, the web UI's tab carries it (`data-format`).
    pub const fn id(self) -> &'static str {
        match self {
            Format::Dnsmasq => "dnsmasq",
            Format::DnsmasqProxy => "dnsmasq-proxy",
            Format::Isc => "isc",
            Format::Isc6 => "isc6",
            Format::Kea4 => "kea4",
            Format::Kea6 => "kea6",
            Format::Neutron => "neutron",
        }
    }

    /// A short name for a tab or a heading.
    pub const fn label(self) -> &'static str {
        match self {
            Format::Dnsmasq => "dnsmasq",
            Format::DnsmasqProxy => "dnsmasq ProxyDHCP",
            Format::Isc => "ISC dhcpd",
            Format::Isc6 => "ISC dhcpd (DHCPv6)",
            Format::Kea4 => "Kea",
            Format::Kea6 => "Kea (DHCPv6)",
            Format::Neutron => "Neutron",
        }
    }

    /// One line saying what it is and where it goes.
    pub const fn description(self) -> &'static str {
        match self {
            Format::Dnsmasq => "dnsmasq (DHCPv4 and DHCPv6), for `conf-file=` or `-C`",
            Format::DnsmasqProxy => {
                "dnsmasq as a ProxyDHCP server (DHCPv4, no addresses), beside a DHCP server you do not control"
            }
            Format::Isc => "ISC dhcpd, dhcpd.conf (DHCPv4)",
            Format::Isc6 => "ISC dhcpd -6, dhcpd6.conf (DHCPv6)",
            Format::Kea4 => "Kea kea-dhcp4 (JSON)",
            Format::Kea6 => "Kea kea-dhcp6 (JSON)",
            Format::Neutron => {
                "OpenStack Neutron `extra_dhcp_opts` for each boot NIC's port (JSON)"
            }
        }
    }

    /// The format with this id.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Writes `site`'s configuration in this format.
    ///
    /// # Errors
    /// What the format's writer returns (see each `write_*` function).
    pub fn write<W: embedded_io::Write>(
        self,
        site: &crate::site::CheckedSite<'_>,
        out: &mut W,
    ) -> crate::Result<()> {
        match self {
            Format::Dnsmasq => write_dnsmasq_config(site, out),
            Format::DnsmasqProxy => write_dnsmasq_proxy_config(site, out),
            Format::Isc => write_isc_dhcpd_config(site, out),
            Format::Isc6 => write_isc_dhcpd6_config(site, out),
            Format::Kea4 => write_kea_dhcp4_config(site, out),
            Format::Kea6 => write_kea_dhcp6_config(site, out),
            Format::Neutron => write_neutron_extra_dhcp_opts(site, out),
        }
    }
}
