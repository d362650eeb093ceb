//! Configuration for the DHCP servers people run, rendered from a site: dnsmasq, ISC dhcpd
//! (v4 and v6), Kea (kea-dhcp4, kea-dhcp6) and OpenStack Neutron's `extra_dhcp_opts`.
//!
//! Every config implements one decision table ([`table`]), the same one the reply builder
//! ([`crate::dhcp::reply`]) implements: iPXE gets the main script's URL; firmware that is not
//! iPXE gets an iPXE loader by client architecture, over TFTP (PXE) or HTTP (UEFI HTTP boot);
//! each node's network-boot MACs get the node's `ipv4`, `ipv6` and `hostname`.
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
mod isc;
mod json;
mod kea;
mod neutron;
pub mod table;
mod text;

pub use dnsmasq::write_dnsmasq_config;
pub use isc::{write_isc_dhcpd_config, write_isc_dhcpd6_config};
pub use kea::{write_kea_dhcp4_config, write_kea_dhcp6_config};
pub use neutron::write_neutron_extra_dhcp_opts;

/// The comment the text formats carry when the main script is served over HTTPS.
const HTTPS_NOTE: &str = "\
The main script is served over https://. iPXE builds without HTTPS (stock BIOS
builds, and older ones such as 1.21.1) do not announce feature 175.20 and cannot
fetch it: serve loaders built with DOWNLOAD_PROTO_HTTPS.";
