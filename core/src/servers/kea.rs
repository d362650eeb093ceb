//! Kea: `kea-dhcp4` and `kea-dhcp6` configurations (JSON).
//!
//! How Kea 2.2 reads what is written here:
//! - Client classes, in order: iPXE first, then one class per stage-1 row whose test starts
//!   with `not member('ipxegen-ipxe')` (Kea evaluates classes in order, and `member()` may
//!   name an earlier class), so no stage-1 class can match iPXE.
//! - iPXE tests: `option[77].hex == 'iPXE'` (the raw 4 bytes iPXE sends),
//!   `substring(option[77].hex,1,4) == 'iPXE'` (RFC 3004: a length byte first),
//!   `option[175].exists`; DHCPv6 `substring(option[15].hex,2,4) == 'iPXE'` (a 2-byte length
//!   first). Architectures compare the option's bytes, `option[93].hex == 0x0007`.
//! - `next-server` and `boot-file-name` in a class fill `siaddr` and `file`; Kea refuses a
//!   `boot-file-name` over 127 bytes, so a longer boot file goes in option-data 67 only.
//! - `option-data` `data` is CSV: Kea splits it at commas, so each comma is written `\\,`
//!   (see [`JsonOut::kea_option_data`]). Options a client may not list in its parameter
//!   request list are sent with `"always-send": true`.
//! - Option 175 is declared as an `option-def` of type `empty` that encapsulates space
//!   `ipxe`, with 176 (`no-pxedhcp`, uint8) in that space.
//! - DHCPv6 option 16 (`vendor-class`) data is the enterprise number, then the vendor class
//!   data in hex, length included: `343, 000a48545450436c69656e74` (`HTTPClient`).
//! - Reservations are global (`reservations-global: true`, `reservations-in-subnet` kept
//!   true), keyed by `hw-address`, one per network-boot NIC. Kea refuses two reservations of
//!   one address unless `ip-reservations-unique` is false, which is written only when a node
//!   with an address has more than one reservation.
//! - DHCPv6 and the MAC: a DHCPv6 client identifies itself by its DUID, and Kea finds a
//!   client's MAC (for `hw-address`) by its `mac-sources`, by default `any`: in a DUID-LL or
//!   DUID-LLT, in an EUI-64 link-local source address (for a relayed message, the relay's
//!   `peer-address`; `Pkt6::getMACFromSrcLinkLocalAddr`), in relay option 79. iPXE sends a
//!   DUID-UUID built from the SMBIOS system UUID, with no MAC in it (see
//!   [`crate::model::SystemUuid`]); it is reached by its MAC only through its link-local
//!   address, so not where `mac-sources` leaves out `ipv6-link-local` or a relay rewrites
//!   the source. For a node that gives `system_uuid`, kea-dhcp6 also reserves by `duid` =
//!   iPXE's DUID (`00:04` and the UUID's 16 bytes in RFC 4122 order), and writes
//!   `host-reservation-identifiers` = `["hw-address", "duid"]` (Kea's DHCPv6 default, written
//!   so a merged config keeps `duid`). UEFI firmware on EDK2 sends another DUID-UUID (the
//!   first three fields byte-swapped), not reserved here: both clients of one machine want
//!   the one address, and a lease the firmware holds keeps Kea from giving that address to
//!   iPXE until the lease ends (a reservation does not take an address from a client that
//!   holds a lease on it), whichever identifier matched.
//!
//! `subnet4` / `subnet6` are written empty: the operator adds the subnets (and pools) the
//! nodes boot on; `kea-dhcp4 -t FILE` / `kea-dhcp6 -t FILE` accepts each file on its own.

use crate::dhcp::table::{self, Fetch, STAGE1_V4, STAGE1_V6, Stage1, fits_file_field};
use crate::dhcp::v6;
use crate::error::{Field, Result};
use crate::model::{ClientArch, Node};
use crate::servers::json::JsonOut;
use crate::site::CheckedSite;
use embedded_io::Write;

/// Writes the `kea-dhcp4` configuration of `site`: option definitions for 175, client classes
/// for the boot decision (see [`table`]), and global reservations (`hw-address`,
/// `ip-address`, `hostname`) for every network-boot MAC of each node that gives `ipv4` or
/// `hostname`.
///
/// # Errors
/// [`crate::ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv4
/// address (without one the site is HTTP only: no TFTP classes, and the comment says what
/// it cannot boot); [`crate::ErrorKind::TooLong`]; the first invalid node; a write error.
pub fn write_kea_dhcp4_config<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    if !config.ipxe_enabled {
        return write_classic_v4(site, out);
    }
    let tftp = table::tftp_stage_v4(config)?;
    let script = table::script_url(config)?;
    let shared = shared_address_needed(site, Family::V4, |n| n.ipv4.is_some())?;
    let any_host = any_reservation(site, |n| n.ipv4.is_some() || n.hostname.is_some())?;
    let mut j = JsonOut::new(out);
    j.begin_object(None)?;
    j.begin_object(Some("Dhcp4"))?;
    let comment = if tftp.is_some() {
        COMMENT_V4
    } else {
        COMMENT_V4_HTTP_ONLY
    };
    j.string(Some("comment"), comment, Field::Document)?;

    j.begin_array(Some("option-def"))?;
    j.begin_inline_object(None)?;
    j.string(Some("space"), "dhcp4", Field::Document)?;
    j.string(Some("name"), "ipxe-encap-opts", Field::Document)?;
    j.number(Some("code"), 175)?;
    j.string(Some("type"), "empty", Field::Document)?;
    j.string(Some("encapsulate"), "ipxe", Field::Document)?;
    j.end_object()?;
    j.begin_inline_object(None)?;
    j.string(Some("space"), "ipxe", Field::Document)?;
    j.string(Some("name"), "no-pxedhcp", Field::Document)?;
    j.number(Some("code"), 176)?;
    j.string(Some("type"), "uint8", Field::Document)?;
    j.end_object()?;
    j.end_array()?;

    j.begin_array(Some("client-classes"))?;
    j.begin_object(None)?;
    j.string(Some("name"), IPXE_CLASS, Field::Document)?;
    j.string(
        Some("comment"),
        "Stage 2, iPXE: option 77 is iPXE (raw, or RFC 3004) or option 175 is present",
        Field::Document,
    )?;
    j.string(
        Some("test"),
        "option[77].hex == 'iPXE' or substring(option[77].hex,1,4) == 'iPXE' or option[175].exists",
        Field::Document,
    )?;
    let mut options = OptionData::default();
    boot_file_v4(&mut j, &script, Field::HttpServer, &mut options)?;
    j.begin_array(Some("option-data"))?;
    options.write(&mut j)?;
    j.begin_inline_object(None)?;
    j.string(Some("space"), "dhcp4", Field::Document)?;
    j.string(Some("name"), "ipxe-encap-opts", Field::Document)?;
    j.boolean(Some("always-send"), true)?;
    j.end_object()?;
    j.begin_inline_object(None)?;
    j.string(Some("space"), "ipxe", Field::Document)?;
    j.string(Some("name"), "no-pxedhcp", Field::Document)?;
    j.string(Some("data"), "1", Field::Document)?;
    j.boolean(Some("always-send"), true)?;
    j.end_object()?;
    j.end_array()?;
    j.end_object()?;

    for row in STAGE1_V4
        .iter()
        .filter(|r| r.fetch == Fetch::Http || tftp.is_some())
    {
        j.begin_object(None)?;
        class_head(&mut j, row, "93", Some(IPXE_CLASS))?;
        let mut options = OptionData::default();
        match row.fetch {
            Fetch::Tftp => {
                let Some(tftp) = tftp else { continue };
                j.shown(Some("next-server"), tftp)?;
                let name = table::tftp_loader_name(config, row.loader)?;
                boot_file_v4(&mut j, name, table::loader_field(row.loader), &mut options)?;
                j.begin_array(Some("option-data"))?;
                options.write(&mut j)?;
                j.begin_inline_object(None)?;
                j.string(Some("name"), "tftp-server-name", Field::Document)?;
                j.shown(Some("data"), tftp)?;
                j.end_object()?;
                j.end_array()?;
            }
            Fetch::Http => {
                let url = table::http_loader_url(config, row.loader)?;
                boot_file_v4(&mut j, &url, Field::HttpServer, &mut options)?;
                j.begin_array(Some("option-data"))?;
                options.write(&mut j)?;
                j.begin_inline_object(None)?;
                j.string(Some("name"), "vendor-class-identifier", Field::Document)?;
                j.string(Some("data"), table::HTTP_CLIENT_CLASS, Field::Document)?;
                j.boolean(Some("always-send"), true)?;
                j.end_object()?;
                j.end_array()?;
            }
        }
        j.end_object()?;
    }
    j.end_array()?;

    if any_host {
        write_reservations(&mut j, site, Family::V4)?;
        j.boolean(Some("reservations-global"), true)?;
        j.boolean(Some("reservations-in-subnet"), true)?;
    }
    if shared {
        j.boolean(Some("ip-reservations-unique"), false)?;
    }
    j.begin_array(Some("subnet4"))?;
    j.end_array()?;
    j.end_object()?;
    j.end_object()?;
    j.finish()
}

/// The `kea-dhcp4` configuration of a classic site (`ipxe_enabled` false, see
/// [`table::CLASSIC_NOTE`]): one client class per row of [`table::CLASSIC_V4`] by option 93,
/// with no iPXE class, and the reservations.
fn write_classic_v4<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    let server = table::tftp_server_v4(config)?;
    let shared = shared_address_needed(site, Family::V4, |n| n.ipv4.is_some())?;
    let any_host = any_reservation(site, |n| n.ipv4.is_some() || n.hostname.is_some())?;
    let mut j = JsonOut::new(out);
    j.begin_object(None)?;
    j.begin_object(Some("Dhcp4"))?;
    j.string(Some("comment"), COMMENT_V4_CLASSIC, Field::Document)?;
    j.begin_array(Some("client-classes"))?;
    for row in table::rows_for(config, crate::dhcp::request::Family::V4) {
        j.begin_object(None)?;
        class_head(&mut j, row, "93", None)?;
        j.shown(Some("next-server"), server)?;
        let mut options = OptionData::default();
        let name = table::tftp_loader_name(config, row.loader)?;
        boot_file_v4(&mut j, name, table::loader_field(row.loader), &mut options)?;
        j.begin_array(Some("option-data"))?;
        options.write(&mut j)?;
        j.begin_inline_object(None)?;
        j.string(Some("name"), "tftp-server-name", Field::Document)?;
        j.shown(Some("data"), server)?;
        j.end_object()?;
        j.end_array()?;
        j.end_object()?;
    }
    j.end_array()?;
    if any_host {
        write_reservations(&mut j, site, Family::V4)?;
        j.boolean(Some("reservations-global"), true)?;
        j.boolean(Some("reservations-in-subnet"), true)?;
    }
    if shared {
        j.boolean(Some("ip-reservations-unique"), false)?;
    }
    j.begin_array(Some("subnet4"))?;
    j.end_array()?;
    j.end_object()?;
    j.end_object()?;
    j.finish()
}

/// The comment of a classic site's `kea-dhcp4` configuration.
const COMMENT_V4_CLASSIC: &str = "Network boot, generated by ipxegen. Add your subnet4 entries (and pools) for the networks the nodes boot on. Classic flow (ipxe_enabled false): no iPXE stage; every PXE client, a NIC's iPXE ROM included, gets its loader by TFTP from the TFTP server by client architecture (option 93): x86 BIOS (arch 0) PXELINUX, x64 UEFI (arch 7, 9) GRUB. Not served: ARM64 UEFI (arch 11), UEFI HTTP boot (arch 16, 19) and DHCPv6 boot, which need iPXE.";

/// The comment of a classic site's `kea-dhcp6` configuration.
const COMMENT_V6_CLASSIC: &str = "Network boot, generated by ipxegen. Add your subnet6 entries (and pools) for the networks the nodes boot on. Classic flow (ipxe_enabled false): it boots over DHCPv4 only, so no DHCPv6 boot options are set; the reservations keep the nodes' addresses.";

const IPXE_CLASS: &str = "ipxegen-ipxe";
const IPXE6_CLASS: &str = "ipxegen-ipxe6";

const COMMENT_V4: &str = "Network boot, generated by ipxegen. Add your subnet4 entries (and pools) for the networks the nodes boot on. Stage 2: iPXE gets the main script; stage 1: firmware gets an iPXE loader by client architecture (option 93), never when the client is iPXE.";

const COMMENT_V6: &str = "Network boot, generated by ipxegen. Add your subnet6 entries (and pools) for the networks the nodes boot on. Stage 2: iPXE gets the main script (option 59); stage 1: firmware gets an iPXE loader by client architecture (option 61), never when the client is iPXE.";

/// [`COMMENT_V4`] for an HTTP-only site, with what it cannot boot (as [`table::HTTP_ONLY_NOTE`]).
const COMMENT_V4_HTTP_ONLY: &str = "Network boot, generated by ipxegen. Add your subnet4 entries (and pools) for the networks the nodes boot on. Stage 2: iPXE gets the main script; stage 1: UEFI HTTP boot gets an iPXE loader by client architecture (option 93), never when the client is iPXE. HTTP-only site (no tftp_server): no stage 1 over TFTP is configured, so BIOS firmware PXE (arch 0) and UEFI firmware PXE over TFTP (arch 7, 9, 11) cannot boot here; only UEFI HTTP boot (arch 16, 19) and NICs that already run iPXE.";

/// Appended to the DHCPv6 comment when some node has reservations and none gives
/// `system_uuid`: what a reservation by MAC reaches (see the module docs).
const COMMENT_V6_RESERVATIONS_BY_MAC: &str = " Reservations are by hw-address, one per network-boot MAC. Kea finds a DHCPv6 client's MAC in a DUID-LL or DUID-LLT, in an EUI-64 link-local source address (or a relay's peer-address), or in relay option 79 (mac-sources \"any\", the default). iPXE sends a DUID-UUID made from the SMBIOS system UUID, with no MAC in it: it gets its node's address only through its link-local address, and a pool address where Kea cannot read the MAC there. Give a node system_uuid to reserve by the DUID iPXE sends as well.";

/// Appended to the DHCPv6 comment when some node gives `system_uuid`.
const COMMENT_V6_RESERVATIONS_BY_DUID: &str = " Reservations are by hw-address, one per network-boot MAC (Kea finds a DHCPv6 client's MAC in a DUID-LL or DUID-LLT, in an EUI-64 link-local source address or a relay's peer-address, or in relay option 79), and, for each node that gives system_uuid, by duid: the DUID-UUID iPXE sends, 00:04 and the SMBIOS system UUID in RFC 4122 byte order. UEFI firmware (EDK2) sends another DUID-UUID, the first three UUID fields byte-swapped, which is not reserved: a lease the firmware holds on the node's address keeps that address from iPXE until the lease ends.";

/// [`COMMENT_V6`] for an HTTP-only site.
const COMMENT_V6_HTTP_ONLY: &str = "Network boot, generated by ipxegen. Add your subnet6 entries (and pools) for the networks the nodes boot on. Stage 2: iPXE gets the main script (option 59); stage 1: UEFI HTTP boot gets an iPXE loader by client architecture (option 61), never when the client is iPXE. HTTP-only site (no tftp_server): no stage 1 over TFTP is configured, so UEFI firmware PXE over TFTP (arch 7, 9, 11) cannot boot here; only UEFI HTTP boot (arch 16, 19) and NICs that already run iPXE.";

/// A boot file that must travel as option-data 67 (too long for `boot-file-name`).
#[derive(Default)]
struct OptionData<'a> {
    bootfile: Option<(&'a str, Field)>,
}

impl OptionData<'_> {
    fn write<W: Write>(&self, j: &mut JsonOut<'_, W>) -> Result<()> {
        if let Some((value, field)) = self.bootfile {
            j.begin_inline_object(None)?;
            j.string(Some("name"), "boot-file-name", Field::Document)?;
            j.kea_option_data(value, field)?;
            j.boolean(Some("always-send"), true)?;
            j.end_object()?;
        }
        Ok(())
    }
}

/// `boot-file-name` when the value fits the `file` field, else remembered for option 67.
fn boot_file_v4<'a, W: Write>(
    j: &mut JsonOut<'_, W>,
    value: &'a str,
    field: Field,
    options: &mut OptionData<'a>,
) -> Result<()> {
    if fits_file_field(value) {
        j.string(Some("boot-file-name"), value, field)
    } else {
        options.bootfile = Some((value, field));
        Ok(())
    }
}

/// `"name"`, `"comment"` and `"test"` of a stage-1 class; the test excludes the `ipxe`
/// class when there is one.
fn class_head<W: Write>(
    j: &mut JsonOut<'_, W>,
    row: &Stage1,
    option: &str,
    ipxe: Option<&str>,
) -> Result<()> {
    let mut name: heapless::String<40> = heapless::String::new();
    let mut test: heapless::String<160> = heapless::String::new();
    fill(&mut name, format_args!("ipxegen-{}", row.name))?;
    if let Some(ipxe) = ipxe {
        fill(&mut test, format_args!("not member('{ipxe}') and "))?;
    }
    let grouped = ipxe.is_some() && row.archs.len() > 1;
    if grouped {
        fill(&mut test, format_args!("("))?;
    }
    for (i, arch) in row.archs.iter().enumerate() {
        let or = if i > 0 { " or " } else { "" };
        fill(
            &mut test,
            format_args!("{or}option[{option}].hex == {}", Hex16(*arch)),
        )?;
    }
    if grouped {
        fill(&mut test, format_args!(")"))?;
    }
    j.string(Some("name"), &name, Field::Document)?;
    j.string(Some("comment"), row.what, Field::Document)?;
    j.string(Some("test"), &test, Field::Document)
}

fn fill<const N: usize>(s: &mut heapless::String<N>, args: core::fmt::Arguments<'_>) -> Result<()> {
    core::fmt::Write::write_fmt(s, args)
        .map_err(|_| crate::error::Error::new(crate::ErrorKind::Internal))
}

/// A client architecture as Kea's hex literal, `0x0007`.
struct Hex16(ClientArch);

impl core::fmt::Display for Hex16 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "0x{}", crate::hex::Hex(&self.0.0.to_be_bytes()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

/// `true` when some node has `has_address` and more than one reservation (more than one
/// network-boot NIC, or a DHCPv6 one by DUID beside its NIC's): they share one address.
fn shared_address_needed(
    site: &CheckedSite<'_>,
    family: Family,
    has_address: impl Fn(&Node) -> bool,
) -> Result<bool> {
    for node in site.nodes() {
        let node = node?;
        let by_duid = usize::from(family == Family::V6 && node.system_uuid.is_some());
        if has_address(&node) && node.boot_nics().count() + by_duid > 1 {
            return Ok(true);
        }
    }
    Ok(false)
}

fn any_reservation(site: &CheckedSite<'_>, wanted: impl Fn(&Node) -> bool) -> Result<bool> {
    for node in site.nodes() {
        let node = node?;
        if wanted(&node) && node.boot_nics().next().is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn write_reservations<W: Write>(
    j: &mut JsonOut<'_, W>,
    site: &CheckedSite<'_>,
    family: Family,
) -> Result<()> {
    j.begin_array(Some("reservations"))?;
    for (index, node) in site.nodes().enumerate() {
        let node = node?;
        write_node_reservations(j, &node, family).map_err(|e| e.in_node(index))?;
    }
    j.end_array()
}

fn write_node_reservations<W: Write>(
    j: &mut JsonOut<'_, W>,
    node: &Node,
    family: Family,
) -> Result<()> {
    let has_address = match family {
        Family::V4 => node.ipv4.is_some(),
        Family::V6 => node.ipv6.is_some(),
    };
    if !has_address && node.hostname.is_none() {
        return Ok(());
    }
    for nic in node.boot_nics() {
        j.begin_inline_object(None)?;
        j.mac(Some("hw-address"), nic.mac)?;
        reservation_body(j, node, family)?;
    }
    // iPXE's DHCPv6 DUID holds no MAC (see the module docs): reserve by it too, once, for a
    // node that network boots.
    if let (Family::V6, Some(uuid), Some(_)) = (family, node.system_uuid, node.boot_nics().next()) {
        j.begin_inline_object(None)?;
        j.shown(Some("duid"), uuid.ipxe_duid())?;
        reservation_body(j, node, family)?;
    }
    Ok(())
}

/// The rest of a reservation after its identifier: the address, the host name, the node.
/// Closes the reservation's object.
fn reservation_body<W: Write>(j: &mut JsonOut<'_, W>, node: &Node, family: Family) -> Result<()> {
    match family {
        Family::V4 => {
            if let Some(addr) = node.ipv4 {
                j.shown(Some("ip-address"), addr)?;
            }
        }
        Family::V6 => {
            if let Some(addr) = node.ipv6 {
                j.begin_array(Some("ip-addresses"))?;
                j.shown(None, addr)?;
                j.end_array()?;
            }
        }
    }
    if let Some(name) = &node.hostname {
        j.string(Some("hostname"), name, Field::Hostname)?;
    }
    j.begin_object(Some("user-context"))?;
    j.string(Some("ipxegen-node"), node.id.as_str(), Field::NodeId)?;
    j.end_object()?;
    j.end_object()
}

/// Writes the `kea-dhcp6` configuration of `site`: client classes giving option 59 by client
/// kind (see [`table`]) and global reservations (`hw-address`, `ip-addresses`, `hostname`)
/// for every network-boot MAC of each node that gives `ipv6` or `hostname`, and one by
/// `duid` (the DUID iPXE sends) when the node also gives `system_uuid` (see the module docs).
///
/// # Errors
/// [`crate::ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not IPv6 (without
/// one the site is HTTP only: no TFTP classes); [`crate::ErrorKind::TooLong`]; the first invalid node; a
/// write error.
pub fn write_kea_dhcp6_config<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    // The classic flow has no DHCPv6 boot options: its (IPv4) TFTP server is not used here.
    let tftp = if config.ipxe_enabled {
        table::tftp_stage_v6(config)?
    } else {
        None
    };
    let script = table::script_url(config)?;
    let shared = shared_address_needed(site, Family::V6, |n| n.ipv6.is_some())?;
    let any_host = any_reservation(site, |n| n.ipv6.is_some() || n.hostname.is_some())?;
    let any_duid = any_reservation(site, |n| {
        n.system_uuid.is_some() && (n.ipv6.is_some() || n.hostname.is_some())
    })?;
    let mut j = JsonOut::new(out);
    j.begin_object(None)?;
    j.begin_object(Some("Dhcp6"))?;
    let comment = match (config.ipxe_enabled, tftp) {
        (false, _) => COMMENT_V6_CLASSIC,
        (true, Some(_)) => COMMENT_V6,
        (true, None) => COMMENT_V6_HTTP_ONLY,
    };
    let reservations = match (any_host, any_duid) {
        (false, _) => "",
        (true, false) => COMMENT_V6_RESERVATIONS_BY_MAC,
        (true, true) => COMMENT_V6_RESERVATIONS_BY_DUID,
    };
    j.string_parts(Some("comment"), &[comment, reservations], Field::Document)?;
    if config.ipxe_enabled {
        write_classes_v6(&mut j, config, tftp, &script)?;
    }

    if any_host {
        write_reservations(&mut j, site, Family::V6)?;
        j.boolean(Some("reservations-global"), true)?;
        j.boolean(Some("reservations-in-subnet"), true)?;
    }
    if any_duid {
        j.begin_array(Some("host-reservation-identifiers"))?;
        j.string(None, "hw-address", Field::Document)?;
        j.string(None, "duid", Field::Document)?;
        j.end_array()?;
    }
    if shared {
        j.boolean(Some("ip-reservations-unique"), false)?;
    }
    j.begin_array(Some("subnet6"))?;
    j.end_array()?;
    j.end_object()?;
    j.end_object()?;
    j.finish()
}

/// The `client-classes` of `kea-dhcp6`: iPXE, then the stage-1 rows.
fn write_classes_v6<W: Write>(
    j: &mut JsonOut<'_, W>,
    config: &crate::model::SiteConfig<'_>,
    tftp: Option<core::net::Ipv6Addr>,
    script: &str,
) -> Result<()> {
    j.begin_array(Some("client-classes"))?;
    j.begin_object(None)?;
    j.string(Some("name"), IPXE6_CLASS, Field::Document)?;
    j.string(
        Some("comment"),
        "Stage 2, iPXE: the first user class (option 15) is iPXE",
        Field::Document,
    )?;
    j.string(
        Some("test"),
        "substring(option[15].hex,2,4) == 'iPXE'",
        Field::Document,
    )?;
    j.begin_array(Some("option-data"))?;
    bootfile_url(j, script, Field::HttpServer)?;
    j.end_array()?;
    j.end_object()?;

    for row in STAGE1_V6
        .iter()
        .filter(|r| r.fetch == Fetch::Http || tftp.is_some())
    {
        j.begin_object(None)?;
        class_head(j, row, "61", Some(IPXE6_CLASS))?;
        j.begin_array(Some("option-data"))?;
        match row.fetch {
            Fetch::Tftp => {
                let Some(tftp) = tftp else { continue };
                let url = table::tftp_loader_url(tftp, config, row.loader)?;
                bootfile_url(j, &url, Field::TftpServer)?;
            }
            Fetch::Http => {
                j.begin_inline_object(None)?;
                j.string(Some("name"), "vendor-class", Field::Document)?;
                j.string(Some("data"), &vendor_class_v6()?, Field::Document)?;
                j.boolean(Some("always-send"), true)?;
                j.end_object()?;
                let url = table::http_loader_url(config, row.loader)?;
                bootfile_url(j, &url, Field::HttpServer)?;
            }
        }
        j.end_array()?;
        j.end_object()?;
    }
    j.end_array()
}

/// Option 16 as Kea's CSV `data`: the enterprise number, then the vendor class data
/// (`{u16 length, bytes}` items, from [`table::http_client_class_v6`]) in hex:
/// `343, 000a48545450436c69656e74`.
fn vendor_class_v6() -> Result<heapless::String<64>> {
    let items = table::http_client_class_v6()?;
    let mut data = heapless::String::new();
    fill(
        &mut data,
        format_args!("{}, {}", v6::PXE_ENTERPRISE, crate::hex::Hex(&items)),
    )?;
    Ok(data)
}

fn bootfile_url<W: Write>(j: &mut JsonOut<'_, W>, url: &str, field: Field) -> Result<()> {
    j.begin_inline_object(None)?;
    j.string(Some("name"), "bootfile-url", Field::Document)?;
    j.kea_option_data(url, field)?;
    j.boolean(Some("always-send"), true)?;
    j.end_object()
}
