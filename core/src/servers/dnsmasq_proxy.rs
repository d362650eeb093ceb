//! dnsmasq as a ProxyDHCP server (PXE 2.1), for a network whose DHCP server hands out the
//! addresses and cannot be changed: this dnsmasq answers the same DISCOVER with boot
//! information and no address. One DHCPv4 file, to include with `conf-file=` in a dnsmasq of
//! its own, beside the operator's `dhcp-range=<network>,proxy` (see [`HEADER`]).
//!
//! How dnsmasq 2.90 answers in proxy mode (`rfc2131.c`: `dhcp_reply`, `pxe_opts`,
//! `pxe_uefi_workaround`, `find_boot`; `option.c`: `pxe-service`, `dhcp-boot`; each point
//! checked on the wire by `tests/tests/dhcp_dnsmasq_netns.rs`):
//! - It answers a DISCOVER on port 67, and a REQUEST on port 4011, only when option 60
//!   begins with `PXEClient` and option 93 is present, and only once some `pxe-service` or
//!   `pxe-prompt` is set. The answer has `yiaddr` 0.0.0.0, 54 = dnsmasq's own address, 60 =
//!   `PXEClient`, 97 echoed and, as below, 43. It sends no other option: no option 67 (the
//!   boot file goes only in the 128-byte `file` field), no `dhcp-option` lines.
//! - BIOS (option 93 < 6): option 43 always, built from the `pxe-service` lines whose
//!   architecture and tags match: menu 43.9, boot servers 43.8 (dnsmasq itself), discovery
//!   control 43.6 = 3, prompt 43.10. The ROM then asks dnsmasq on port 4011 for the chosen
//!   item (a REQUEST with 43.71, boot server discovery) and gets that service's file, with
//!   `siaddr` = the service's server. When no service matches: 43.6 = 8 (use the file), no
//!   menu, and the file and server of the matching `dhcp-boot`.
//! - UEFI (option 93 >= 6): no option 43 on port 67, `siaddr` = dnsmasq's own address. When
//!   exactly one `pxe-service` matches, the answer names no file, the firmware asks again on
//!   port 4011 (EDK2: a "BINL" offer) and gets that service's file and server. When none
//!   matches: the file of the matching `dhcp-boot`.
//!
//! Pitfalls, and what this file does about each:
//! - iPXE sends 60 = `PXEClient:Arch:...` and 93 as firmware does. A `pxe-service` that
//!   matched iPXE would hand it the loader again (UEFI) or a PXE menu ending in the loader
//!   (BIOS; iPXE runs a PXE menu when 43.9 is present): a chainload loop. Every
//!   `pxe-service` line carries `tag:!ipxe`, and iPXE gets the script from
//!   `dhcp-boot=tag:ipxe,...`. Firmware that sends `PXEClient` and nothing of iPXE (no
//!   175, no user class `iPXE`) is firmware: it gets the loader.
//! - Two `pxe-service` lines for one architecture make a menu: dnsmasq's own prompt then
//!   waits forever (timeout 255) on BIOS, and on UEFI dnsmasq drops its one-entry
//!   workaround and sends the menu, which UEFI firmware handles badly. One line per
//!   architecture, and `pxe-prompt="PXE",0`: timeout 0 takes the first item at once, with
//!   no prompt. The line also turns dnsmasq's PXE answers on when there is no
//!   `pxe-service` (an HTTP-only site).
//! - BIOS ROMs that follow the menu ask on port 4011 (boot server discovery); dnsmasq
//!   answers there too, from the same lines. The firewall must let in UDP 4011 and 67.
//! - A `pxe-service` name without a `.` is a PXE basename: dnsmasq appends `.<layer>`
//!   (`.0`), and an all-digit one is a boot service type. A loader name must hold a `.`
//!   ([`ErrorKind::NoFileExtension`]), so dnsmasq sends exactly the site's name.
//! - iPXE takes a ProxyDHCP answer that names a file only if it also names a next server
//!   (`dhcp_has_pxeopts` in iPXE's `dhcp.c`); dnsmasq fills `siaddr` itself only for UEFI.
//!   The `dhcp-boot` line names the TFTP server ([`table::proxy_next_server`]) as its server
//!   address, so BIOS iPXE is answered too (an HTTP-only site has none: its file says so).
//! - The boot file travels only in the `file` field: the script URL and the loader names
//!   must fit 127 bytes ([`FILE_FIELD_MAX`]).
//! - Architectures are written as numbers from the table (0, 7, 9, 11). dnsmasq 2.90 calls
//!   them x86PC, x86-64_EFI, BC_EFI and ARM64_EFI, but older versions number x86-64_EFI and
//!   BC_EFI the other way round (as RFC 4578 first did) and do not know ARM64_EFI.
//! - UEFI HTTP boot (60 = `HTTPClient`) is not answered: dnsmasq takes only `PXEClient` as
//!   PXE unless `dhcp-pxe-vendor` (a setting of the whole server) says otherwise.
//! - The TFTP server is the site's `tftp_server`, named in each `pxe-service` line: this
//!   dnsmasq serves no TFTP unless the operator adds `enable-tftp` and `tftp-root`.
//!
//! `dnsmasq --test -C FILE` accepts the file on its own. Checked once in QEMU, outside the
//! test suite, beside a dnsmasq or a Kea that only hands out addresses: OVMF 2022.11's UEFI
//! PXE (offer without file, the loader on port 4011, then iPXE and the script) and Debian's
//! BIOS iPXE ROM (the script) boot; with the next server left out of `dhcp-boot`, BIOS iPXE
//! stops at "Nothing to boot".

use super::dnsmasq::write_ipxe_tag;
use crate::dhcp::table::{self, FILE_FIELD_MAX, Fetch, STAGE1_V4, Stage1, fits_file_field};
use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::{ClientArch, Host, SiteConfig};
use crate::servers::text::{Out, write_dnsmasq_quoted};
use crate::site::CheckedSite;
use core::net::Ipv4Addr;
use embedded_io::Write;

/// Writes the dnsmasq ProxyDHCP configuration of `site`: the `ipxe` tag, one `pxe-service`
/// per firmware-PXE architecture of the table (stage 1, the loader from `tftp_server`), and
/// the `dhcp-boot` line that gives iPXE the main script (stage 2). No addresses, no hosts,
/// no `dhcp-range`: the header says what the operator adds around it.
///
/// An HTTP-only site (no `tftp_server`) gets stage 2 only, and a file that says what that
/// leaves out: firmware PXE, UEFI HTTP boot, and BIOS iPXE, which needs a next server.
///
/// # Errors
/// [`ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv4 address
/// (ProxyDHCP is DHCPv4, and `pxe-service` takes an IPv4 server); [`ErrorKind::TooLong`]
/// (max 127) naming `http_server` or the loader's field when the script URL or a loader name
/// does not fit the `file` field; [`ErrorKind::NoFileExtension`] naming the loader's field
/// when a loader name has no `.`; a write error.
pub fn write_dnsmasq_proxy_config<W: Write>(site: &CheckedSite<'_>, out: &mut W) -> Result<()> {
    let config = site.config();
    let tftp = match config.tftp_server {
        Some(Host::V4(addr)) => Some(addr),
        Some(_) => return Err(Error::at(ErrorKind::WrongAddressFamily, Field::TftpServer)),
        None => None,
    };
    if !config.ipxe_enabled {
        return write_classic(config, out);
    }
    let script = table::script_url(config)?;
    if !fits_file_field(&script) {
        return Err(too_long_for_file_field(Field::HttpServer));
    }
    let mut o = Out::new(out);
    o.comments(HEADER)?;
    if tftp.is_none() {
        o.comment("")?;
        o.comments(HTTP_ONLY_NOTE)?;
    }
    if config.http_base.is_https() {
        o.comment("")?;
        o.comments(super::HTTPS_NOTE)?;
    }
    o.line("")?;
    o.comment("--- Who is asking")?;
    write_ipxe_tag(&mut o)?;
    o.line("")?;
    o.comments(PROMPT_NOTE)?;
    o.line("pxe-prompt=\"PXE\",0")?;
    match tftp {
        Some(server) => write_stage1(&mut o, config, server)?,
        None => {
            o.line("")?;
            o.comment("--- Stage 1, firmware PXE: not configured, the site has no tftp_server")?;
        }
    }
    o.line("")?;
    o.comments(NO_HTTP_BOOT_NOTE)?;
    o.line("")?;
    let next = table::proxy_next_server(config, None);
    match next {
        Some(_) => {
            o.comment(
                "--- Stage 2, iPXE: the main script. The server address (the TFTP server) is",
            )?;
            o.comment(
                "the next server: iPXE takes a ProxyDHCP answer with a file only if it names one.",
            )?;
        }
        None => o.comment(
            "--- Stage 2, iPXE: the main script (no next server: UEFI iPXE only, see above)",
        )?,
    }
    o.put("dhcp-boot=tag:ipxe,")?;
    write_dnsmasq_quoted(&mut o, &script, Field::HttpServer)?;
    if let Some(next) = next {
        o.put(",,")?;
        o.show(next)?;
    }
    o.line("")
}

const HEADER: &str = "\
dnsmasq ProxyDHCP configuration for network boot (DHCPv4), generated by ipxegen.
For a network whose DHCP server you do not control: that server hands out the
addresses; this dnsmasq answers PXE clients (option 60 PXEClient, option 93) with boot
information only, no address. DHCPv4 only: dnsmasq has no ProxyDHCP for DHCPv6.

Run it in a dnsmasq of its own, on a host with an address on the boot network, and add
around this file (conf-file=FILE):
  port=0
  dhcp-range=<network address>,proxy
for example dhcp-range=192.0.2.0,proxy (a relayed network: dhcp-range=<network
address>,proxy,<netmask>). It answers on UDP 67 and 4011: let both in. The other DHCP
server must not give these clients a boot file or next server of its own, nor option
175.176 (no-pxedhcp: iPXE would skip this answer).

Tag ipxe = the client is iPXE: option 175 present, or user class iPXE.
Stage 2: iPXE (tag:ipxe) gets the main script.
Stage 1: firmware PXE gets the iPXE loader for its architecture from the TFTP server,
one pxe-service per architecture. Every pxe-service line requires tag:!ipxe, else
iPXE would be handed a loader again and chainload forever.";

/// The header of a classic site's file (`ipxe_enabled` false).
const CLASSIC_HEADER: &str = "\
dnsmasq ProxyDHCP configuration for network boot (DHCPv4), generated by ipxegen.
For a network whose DHCP server you do not control: that server hands out the
addresses; this dnsmasq answers PXE clients (option 60 PXEClient, option 93) with boot
information only, no address.

Run it in a dnsmasq of its own, on a host with an address on the boot network, and add
around this file (conf-file=FILE):
  port=0
  dhcp-range=<network address>,proxy
for example dhcp-range=192.0.2.0,proxy (a relayed network: dhcp-range=<network
address>,proxy,<netmask>). It answers on UDP 67 and 4011: let both in. The other DHCP
server must not give these clients a boot file or next server of its own.

One pxe-service per architecture: the loader by TFTP from the TFTP server.";

/// The file of a classic site (see [`table::CLASSIC_NOTE`]): one `pxe-service` per BIOS
/// architecture of [`table::CLASSIC_V4`] ([`table::proxy_serves`]: GRUB cannot boot through
/// ProxyDHCP, which the file says), with no `ipxe` tag (an iPXE ROM is the PXE firmware of its
/// NIC here: it runs dnsmasq's one-item PXE menu and boots PXELINUX), and no `dhcp-boot`
/// (there is no iPXE stage).
fn write_classic<W: Write>(config: &SiteConfig, out: &mut W) -> Result<()> {
    let server = table::tftp_server_v4(config)?;
    let mut o = Out::new(out);
    o.comments(CLASSIC_HEADER)?;
    o.comment("")?;
    o.comments(table::CLASSIC_NOTE)?;
    o.line("")?;
    o.comments(PROMPT_NOTE)?;
    o.line("pxe-prompt=\"PXE\",0")?;
    o.line("")?;
    o.comment("--- PXE clients: the loader by TFTP from the TFTP server, by option 93")?;
    o.comment("(architectures as numbers: dnsmasq's names for 7 and 9 changed between versions)")?;
    let rows = table::rows_for(config, crate::dhcp::request::Family::V4);
    for row in rows.iter().filter(|row| table::proxy_serves(config, row)) {
        o.comment(row.what)?;
        let loader = proxy_loader_name(config, row)?;
        for arch in row.archs {
            o.put("pxe-service=")?;
            write_service(&mut o, row, *arch, loader, server)?;
        }
    }
    o.line("")?;
    o.comments(table::CLASSIC_PROXY_NOTE)
}

const PROMPT_NOTE: &str = "\
--- pxe-prompt turns dnsmasq's PXE answers on (it gives them only once a pxe-prompt or
pxe-service is set). Timeout 0: the first entry is taken at once, no menu, no prompt;
there is one pxe-service per architecture (with two, dnsmasq's own prompt waits forever).";

/// What an HTTP-only site's file cannot boot: no firmware PXE, no HTTP boot, no BIOS iPXE.
const HTTP_ONLY_NOTE: &str = "\
HTTP-only site (no tftp_server): no stage 1 over TFTP is configured, so this file
cannot boot BIOS firmware PXE (arch 0) nor UEFI firmware PXE (arch 7, 9, 11), and
dnsmasq answers no UEFI HTTP boot in proxy mode (below). Only UEFI NICs that already
run iPXE boot here. BIOS iPXE ignores the answer: iPXE takes a ProxyDHCP answer that
names a file only if it also names a next server, which dnsmasq fills in by itself for
UEFI clients only; for BIOS it comes from dhcp-boot, which names the TFTP server this
site lacks.";

/// Why UEFI HTTP boot is not answered.
const NO_HTTP_BOOT_NOTE: &str = "\
--- UEFI HTTP boot (arch 16, 19): not answered. In proxy mode dnsmasq answers only
vendor class PXEClient, unless dhcp-pxe-vendor (a setting of the whole server) says
otherwise; HTTP boot needs the DHCP server that gives the address.";

fn write_stage1<W: Write>(o: &mut Out<'_, W>, site: &SiteConfig, server: Ipv4Addr) -> Result<()> {
    o.line("")?;
    o.comment("--- Stage 1, firmware PXE: the loader by TFTP from the TFTP server, by option 93")?;
    o.comment("(architectures as numbers: dnsmasq's names for 7 and 9 changed between versions)")?;
    for row in STAGE1_V4.iter().filter(|r| r.fetch == Fetch::Tftp) {
        o.comment(row.what)?;
        let loader = proxy_loader_name(site, row)?;
        for arch in row.archs {
            write_pxe_service(o, row, *arch, loader, server)?;
        }
    }
    Ok(())
}

/// `pxe-service=tag:!ipxe,<arch>,"<what>","<loader>",<server>`
fn write_pxe_service<W: Write>(
    o: &mut Out<'_, W>,
    row: &Stage1,
    arch: ClientArch,
    loader: &str,
    server: Ipv4Addr,
) -> Result<()> {
    o.put("pxe-service=tag:!ipxe,")?;
    write_service(o, row, arch, loader, server)
}

/// `<arch>,"<what>","<loader>",<server>`: a `pxe-service` line after its tags.
fn write_service<W: Write>(
    o: &mut Out<'_, W>,
    row: &Stage1,
    arch: ClientArch,
    loader: &str,
    server: Ipv4Addr,
) -> Result<()> {
    o.show(arch.0)?;
    o.put(",")?;
    write_dnsmasq_quoted(o, row.what, Field::Document)?;
    o.put(",")?;
    write_dnsmasq_quoted(o, loader, table::loader_field(row.loader))?;
    o.put(",")?;
    o.show(server)?;
    o.line("")
}

/// The loader of `row`, as `pxe-service` sends it unchanged: with a `.`, and fitting the
/// `file` field.
fn proxy_loader_name<'a>(site: &SiteConfig<'a>, row: &Stage1) -> Result<&'a str> {
    let field = table::loader_field(row.loader);
    let name = table::tftp_loader_name(site, row.loader)?;
    if !fits_file_field(name) {
        return Err(too_long_for_file_field(field));
    }
    if !name.bytes().any(|b| b == b'.') {
        return Err(Error::at(ErrorKind::NoFileExtension, field));
    }
    Ok(name)
}

fn too_long_for_file_field(field: Field) -> Error {
    Error::at(
        ErrorKind::TooLong {
            max: u16::try_from(FILE_FIELD_MAX).unwrap_or(u16::MAX),
        },
        field,
    )
}
