//! ISC dhcpd: `dhcpd.conf` (DHCPv4) and `dhcpd6.conf` (DHCPv6) fragments, to `include` at
//! global scope.
//!
//! How dhcpd 4.4 reads what is written here:
//! - Option definitions use names prefixed `ipxegen` (space `ipxegen`, options
//!   `ipxegen-encap-opts` 175, `ipxegen-client-arch` 93, `dhcp6.ipxegen-user-class` 15,
//!   `dhcp6.ipxegen-vendor-class` 16), so they cannot clash with names an existing config
//!   declares (iPXE's documented snippet declares `option space ipxe`). dhcpd looks options up
//!   by code in a packet, so any name for code 93 reads the same bytes. DHCPv6 59
//!   (`dhcp6.bootfile-url`) and 61 (`dhcp6.client-arch-type`) are dhcpd's own; 15 and 16 have
//!   no usable built-in name in dhcpd 4.4 (`no option named user-class in space dhcp6`).
//! - One `if` / `elsif` chain: iPXE first, so every stage-1 branch is "not iPXE" by
//!   construction. Architecture tests compare the option bytes (`= 00:07`).
//! - `filename` fills the 128-byte `file` field and dhcpd cuts a longer value silently; a
//!   boot file longer than 127 bytes goes in `option bootfile-name` (67) instead.
//! - Strings are written with [`write_isc_quoted`].
//! - Host declarations are named `ipxegen-<mac>` (dhcpd refuses two hosts of one name, and a
//!   node id may hold `..`, which dhcpd's name parser refuses); the node id is in a comment.
//! - DHCPv6 hosts and the MAC: dhcpd -6 matches `hardware ethernet` against the MAC in a
//!   DUID-LL or DUID-LLT (`find_hosts_by_duid_chaddr`) or in relay option 79, never against
//!   the source address. iPXE sends a DUID-UUID made from the SMBIOS system UUID (see
//!   [`crate::model::SystemUuid`]), so a host by MAC does not reach it and iPXE gets a pool
//!   address. For a node that gives `system_uuid`, the DHCPv6 fragment also declares `host
//!   ipxegen-uuid-<uuid>` with `host-identifier option dhcp6.client-id` = iPXE's DUID
//!   (`00:04` and the UUID's 16 bytes in RFC 4122 order). UEFI firmware on EDK2 sends
//!   another DUID-UUID (the first three fields byte-swapped), not declared: unreached by MAC
//!   too, it gets a pool address and leaves the node's address to iPXE.
//!
//! No subnet is declared: dhcpd answers only on the subnets of the operator's own config.
//! `dhcpd -t -cf FILE` (and `dhcpd -6 -t -cf FILE`) accepts each file on its own.

use crate::dhcp::request::Family;
use crate::dhcp::table::{self, Fetch, STAGE1_V4, STAGE1_V6, Stage1, fits_file_field};
use crate::dhcp::v6;
use crate::error::{Field, Result};
use crate::hex::Hex;
use crate::model::{ClientArch, Node};
use crate::servers::text::{Out, write_isc_quoted};
use crate::site::CheckedSite;
use embedded_io::Write;

/// Writes the `dhcpd.conf` fragment (DHCPv4) of `site`: the option declarations, the boot
/// decision (see [`table`]) and one `host` per network-boot MAC of each node that gives
/// `ipv4` or `hostname` (`fixed-address`, `option host-name`). A site with `ipxe_enabled`
/// false gets the classic flow's branches: PXELINUX or GRUB by architecture, no iPXE one.
///
/// # Errors
/// [`crate::ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv4
/// address (DHCPv4 firmware needs an IPv4 `next-server`; without `tftp_server` the site is
/// HTTP only and the file has no TFTP branches, saying so); [`crate::ErrorKind::TooLong`]
/// when a boot file does not fit one option; the first invalid node; a write error.
pub fn write_isc_dhcpd_config<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    if !config.ipxe_enabled {
        return write_classic_v4(site, out);
    }
    let tftp = table::tftp_stage_v4(config)?;
    let script = table::script_url(config)?;
    let mut o = Out::new(out);
    o.comments(HEADER_V4)?;
    if tftp.is_none() {
        o.comment("")?;
        o.comments(table::HTTP_ONLY_NOTE)?;
    }
    if config.http_base.is_https() {
        o.comment("")?;
        o.comments(super::HTTPS_NOTE)?;
    }
    o.line("")?;
    o.line("option space ipxegen;")?;
    o.line("option ipxegen-encap-opts code 175 = encapsulate ipxegen;")?;
    o.line("option ipxegen.no-pxedhcp code 176 = unsigned integer 8;")?;
    o.line("option ipxegen-client-arch code 93 = unsigned integer 16;")?;
    o.line("")?;
    o.comment("Stage 2: iPXE (option 175 present, or user class iPXE, raw or RFC 3004).")?;
    o.line("if exists ipxegen-encap-opts")?;
    o.line("   or (exists user-class and (option user-class = \"iPXE\"")?;
    o.line("                              or substring(option user-class, 1, 4) = \"iPXE\")) {")?;
    boot_file_v4(&mut o, &script, Field::HttpServer)?;
    o.line("  option ipxegen.no-pxedhcp 1;")?;
    for row in STAGE1_V4
        .iter()
        .filter(|r| r.fetch == Fetch::Http || tftp.is_some())
    {
        o.put("} elsif ")?;
        arch_test(&mut o, "option ipxegen-client-arch", row)?;
        o.line(" {")?;
        o.put("  # Stage 1: ")?;
        o.line(row.what)?;
        match row.fetch {
            Fetch::Tftp => {
                let Some(tftp) = tftp else { continue };
                o.put("  next-server ")?;
                o.show(tftp)?;
                o.line(";")?;
                o.put("  option tftp-server-name \"")?;
                o.show(tftp)?;
                o.line("\";")?;
                let name = table::tftp_loader_name(config, row.loader)?;
                boot_file_v4(&mut o, name, table::loader_field(row.loader))?;
            }
            Fetch::Http => {
                o.put("  option vendor-class-identifier ")?;
                write_isc_quoted(&mut o, table::HTTP_CLIENT_CLASS, Field::Document)?;
                o.line(";")?;
                let url = table::http_loader_url(config, row.loader)?;
                boot_file_v4(&mut o, &url, Field::HttpServer)?;
            }
        }
    }
    o.line("}")?;
    o.line("")?;
    o.comment("Hosts: one per network-boot MAC of each node that gives ipv4 or hostname.")?;
    for (index, node) in site.nodes().enumerate() {
        let node = node?;
        write_hosts_v4(&mut o, &node).map_err(|e| e.in_node(index))?;
    }
    Ok(())
}

/// The DHCPv4 file of a classic site (`ipxe_enabled` false, see [`table::CLASSIC_NOTE`]):
/// one branch per row of [`table::CLASSIC_V4`] by option 93, no iPXE branch, and the hosts.
fn write_classic_v4<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    let server = table::tftp_server_v4(config)?;
    let mut o = Out::new(out);
    o.comments(CLASSIC_HEADER_V4)?;
    o.comment("")?;
    o.comments(table::CLASSIC_NOTE)?;
    o.line("")?;
    o.line("option ipxegen-client-arch code 93 = unsigned integer 16;")?;
    o.line("")?;
    for (i, row) in table::rows_for(config, Family::V4).iter().enumerate() {
        o.put(if i == 0 { "if " } else { "} elsif " })?;
        arch_test(&mut o, "option ipxegen-client-arch", row)?;
        o.line(" {")?;
        o.put("  # ")?;
        o.line(row.what)?;
        o.put("  next-server ")?;
        o.show(server)?;
        o.line(";")?;
        o.put("  option tftp-server-name \"")?;
        o.show(server)?;
        o.line("\";")?;
        let name = table::tftp_loader_name(config, row.loader)?;
        boot_file_v4(&mut o, name, table::loader_field(row.loader))?;
    }
    o.line("}")?;
    o.line("")?;
    o.comment("Hosts: one per network-boot MAC of each node that gives ipv4 or hostname.")?;
    for (index, node) in site.nodes().enumerate() {
        let node = node?;
        write_hosts_v4(&mut o, &node).map_err(|e| e.in_node(index))?;
    }
    Ok(())
}

const CLASSIC_HEADER_V4: &str = "\
ISC dhcpd (DHCPv4) configuration for network boot, generated by ipxegen.
Include it at global scope of dhcpd.conf (include \"FILE\";). It declares no subnet:
dhcpd answers only on the subnets your own dhcpd.conf declares.";

const CLASSIC_HEADER_V6: &str = "\
ISC dhcpd (DHCPv6, dhcpd -6) configuration for network boot, generated by ipxegen.
Include it at global scope of dhcpd6.conf (include \"FILE\";). It declares no subnet6:
dhcpd answers only on the subnets your own dhcpd6.conf declares. No boot options: the
classic flow boots over DHCPv4 only; the hosts below keep their addresses.";

const HEADER_V4: &str = "\
ISC dhcpd (DHCPv4) configuration for network boot, generated by ipxegen.
Include it at global scope of dhcpd.conf (include \"FILE\";). It declares no subnet:
dhcpd answers only on the subnets your own dhcpd.conf declares.

Stage 2: iPXE gets the main script. Stage 1: firmware gets an iPXE loader by client
architecture (option 93): over TFTP for PXE, over HTTP for UEFI HTTP boot. iPXE is
tested first, so no stage-1 branch can hand iPXE a loader (that would loop forever).";

/// `filename` when the value fits the `file` field with its NUL, else `option bootfile-name`.
fn boot_file_v4<W: Write>(o: &mut Out<'_, W>, value: &str, field: Field) -> Result<()> {
    if fits_file_field(value) {
        o.put("  filename ")?;
    } else {
        o.line("  # Longer than the 127 bytes of the file field: option 67 only.")?;
        o.put("  option bootfile-name ")?;
    }
    write_isc_quoted(o, value, field)?;
    o.line(";")
}

/// `option X = 00:07 or option X = 00:09`
fn arch_test<W: Write>(o: &mut Out<'_, W>, option: &str, row: &Stage1) -> Result<()> {
    for (i, arch) in row.archs.iter().enumerate() {
        if i > 0 {
            o.put(" or ")?;
        }
        o.put(option)?;
        o.put(" = ")?;
        arch_hex(o, *arch)?;
    }
    Ok(())
}

fn arch_hex<W: Write>(o: &mut Out<'_, W>, arch: ClientArch) -> Result<()> {
    let [hi, lo] = arch.0.to_be_bytes();
    o.show(Hex(&[hi]))?;
    o.put(":")?;
    o.show(Hex(&[lo]))
}

fn host_header<W: Write>(
    o: &mut Out<'_, W>,
    node: &Node,
    mac: crate::model::MacAddr,
) -> Result<()> {
    o.put("# node ")?;
    o.line(node.id.as_str())?;
    o.put("host ipxegen-")?;
    o.mac_with(mac, b'-')?;
    o.line(" {")?;
    o.put("  hardware ethernet ")?;
    o.mac(mac)?;
    o.line(";")
}

fn write_hosts_v4<W: Write>(o: &mut Out<'_, W>, node: &Node) -> Result<()> {
    if node.ipv4.is_none() && node.hostname.is_none() {
        return Ok(());
    }
    for nic in node.boot_nics() {
        host_header(o, node, nic.mac)?;
        if let Some(addr) = node.ipv4 {
            o.put("  fixed-address ")?;
            o.show(addr)?;
            o.line(";")?;
        }
        if let Some(name) = &node.hostname {
            o.put("  option host-name ")?;
            write_isc_quoted(o, name, Field::Hostname)?;
            o.line(";")?;
        }
        o.line("}")?;
    }
    Ok(())
}

/// Writes the `dhcpd6.conf` fragment (DHCPv6) of `site`: option 59 by client kind (see
/// [`table`]) and one `host` per network-boot MAC of each node that gives `ipv6` or
/// `hostname` (`fixed-address6`, `ddns-hostname`: DHCPv6 has no host-name option), and one
/// by iPXE's DUID when the node also gives `system_uuid` (see the module docs). A site with
/// `ipxe_enabled` false gets the hosts only (the classic flow is DHCPv4).
///
/// # Errors
/// [`crate::ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv6
/// address (DHCPv6 firmware gets `tftp://[IPv6]/loader`; without `tftp_server` the file has
/// no TFTP branches, saying so); [`crate::ErrorKind::TooLong`];
/// the first invalid node; a write error.
pub fn write_isc_dhcpd6_config<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    if !config.ipxe_enabled {
        let mut o = Out::new(out);
        o.comments(CLASSIC_HEADER_V6)?;
        o.comment("")?;
        o.comments(table::CLASSIC_NOTE)?;
        o.line("")?;
        o.comments(HOSTS_V6)?;
        for (index, node) in site.nodes().enumerate() {
            let node = node?;
            write_hosts_v6(&mut o, &node).map_err(|e| e.in_node(index))?;
        }
        return Ok(());
    }
    let tftp = table::tftp_stage_v6(config)?;
    let script = table::script_url(config)?;
    let mut o = Out::new(out);
    o.comments(HEADER_V6)?;
    if tftp.is_none() {
        o.comment("")?;
        o.comments(table::HTTP_ONLY_NOTE)?;
    }
    if config.http_base.is_https() {
        o.comment("")?;
        o.comments(super::HTTPS_NOTE)?;
    }
    o.line("")?;
    o.line("option dhcp6.ipxegen-user-class code 15 = string;")?;
    o.line("option dhcp6.ipxegen-vendor-class code 16 = {integer 32, integer 16, string};")?;
    o.line("")?;
    o.comment("Stage 2: iPXE (user class iPXE: the first item, after its 2-byte length).")?;
    o.line("if exists dhcp6.ipxegen-user-class")?;
    o.line("   and substring(option dhcp6.ipxegen-user-class, 2, 4) = \"iPXE\" {")?;
    bootfile_url(&mut o, &script, Field::HttpServer)?;
    for row in STAGE1_V6
        .iter()
        .filter(|r| r.fetch == Fetch::Http || tftp.is_some())
    {
        o.put("} elsif ")?;
        arch_test(&mut o, "option dhcp6.client-arch-type", row)?;
        o.line(" {")?;
        o.put("  # Stage 1: ")?;
        o.line(row.what)?;
        match row.fetch {
            Fetch::Tftp => {
                let Some(tftp) = tftp else { continue };
                let url = table::tftp_loader_url(tftp, config, row.loader)?;
                bootfile_url(&mut o, &url, Field::TftpServer)?;
            }
            Fetch::Http => {
                // The {integer 32, integer 16, string} of the option's declaration: the
                // enterprise number, then the one vendor-class item (length, bytes).
                let class = table::HTTP_CLIENT_CLASS;
                o.put("  option dhcp6.ipxegen-vendor-class ")?;
                o.show(v6::PXE_ENTERPRISE)?;
                o.put(" ")?;
                o.show(class.len())?;
                o.put(" ")?;
                write_isc_quoted(&mut o, class, Field::Document)?;
                o.line(";")?;
                let url = table::http_loader_url(config, row.loader)?;
                bootfile_url(&mut o, &url, Field::HttpServer)?;
            }
        }
    }
    o.line("}")?;
    o.line("")?;
    o.comments(HOSTS_V6)?;
    for (index, node) in site.nodes().enumerate() {
        let node = node?;
        write_hosts_v6(&mut o, &node).map_err(|e| e.in_node(index))?;
    }
    Ok(())
}

/// What the DHCPv6 hosts are and what they reach (see the module docs).
const HOSTS_V6: &str = "\
Hosts: one per network-boot MAC of each node that gives ipv6 or hostname. dhcpd -6
matches hardware ethernet only against the MAC of a DUID-LL or DUID-LLT (or of relay
option 79). iPXE sends a DUID-UUID made from the SMBIOS system UUID, with no MAC in it:
without a host by that DUID it gets a pool address. For a node that gives system_uuid,
one more host matches iPXE's DUID (host-identifier option dhcp6.client-id 00:04 and
the UUID in RFC 4122 byte order). UEFI firmware (EDK2) sends another DUID-UUID (the
first three UUID fields byte-swapped), not reserved here, so it gets a pool address and
leaves the node's address to iPXE.";

const HEADER_V6: &str = "\
ISC dhcpd (DHCPv6, dhcpd -6) configuration for network boot, generated by ipxegen.
Include it at global scope of dhcpd6.conf (include \"FILE\";). It declares no subnet6:
dhcpd answers only on the subnets your own dhcpd6.conf declares.

Stage 2: iPXE gets the main script (option 59). Stage 1: firmware gets an iPXE loader
by client architecture (option 61): tftp://[TFTP server]/loader for PXE, an http URL
(and vendor class HTTPClient) for UEFI HTTP boot. iPXE is tested first.";

fn bootfile_url<W: Write>(o: &mut Out<'_, W>, url: &str, field: Field) -> Result<()> {
    o.put("  option dhcp6.bootfile-url ")?;
    write_isc_quoted(o, url, field)?;
    o.line(";")
}

fn write_hosts_v6<W: Write>(o: &mut Out<'_, W>, node: &Node) -> Result<()> {
    if node.ipv6.is_none() && node.hostname.is_none() {
        return Ok(());
    }
    for nic in node.boot_nics() {
        host_header(o, node, nic.mac)?;
        host_body_v6(o, node)?;
    }
    if let (Some(uuid), Some(_)) = (node.system_uuid, node.boot_nics().next()) {
        o.put("# node ")?;
        o.put(node.id.as_str())?;
        o.line(": the DHCPv6 DUID iPXE sends (DUID-UUID of its system_uuid)")?;
        o.put("host ipxegen-uuid-")?;
        o.show(uuid)?;
        o.line(" {")?;
        o.put("  host-identifier option dhcp6.client-id ")?;
        o.show(uuid.ipxe_duid())?;
        o.line(";")?;
        host_body_v6(o, node)?;
    }
    Ok(())
}

/// A DHCPv6 host's address and name, and its closing brace.
fn host_body_v6<W: Write>(o: &mut Out<'_, W>, node: &Node) -> Result<()> {
    if let Some(addr) = node.ipv6 {
        o.put("  fixed-address6 ")?;
        o.show(addr)?;
        o.line(";")?;
    }
    if let Some(name) = &node.hostname {
        o.put("  ddns-hostname ")?;
        write_isc_quoted(o, name, Field::Hostname)?;
        o.line(";")?;
    }
    o.line("}")
}
