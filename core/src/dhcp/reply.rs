//! The reply a DHCP server should give each kind of network-boot client.
//!
//! The decision table (the server configs in `servers/` implement the same one):
//!
//! | client | DHCPv4 reply | DHCPv6 reply |
//! |---|---|---|
//! | iPXE (77 `iPXE` or 175 present; v6: 15 has `iPXE`) | `file` and 67 = main script URL, 175.176 no-pxedhcp = 1 | 59 = main script URL |
//! | UEFI HTTP boot (60 `HTTPClient...`, arch 15/16/19...) | 60 = `HTTPClient`, `file` and 67 = `<http_base>/<loader>` | 16 = 343 `HTTPClient`, 59 = `<http_base>/<loader>` |
//! | firmware PXE (anything else) | `siaddr` = TFTP server, `file` and 67 = loader, 66 = TFTP server | 59 = `tftp://[server]/<loader>` |
//!
//! A site with `ipxe_enabled` false (the classic flow) has its own rows ([`table`]): every
//! DHCPv4 PXE client of arch 0, 7 or 9, an iPXE ROM included, gets `pxelinux.0` or
//! `grubnetx64.efi` with `siaddr` = the TFTP server; any other client (ARM64, UEFI HTTP boot,
//! DHCPv6) is refused ([`ErrorKind::NoClassicLoader`]).
//!
//! On an HTTP-only site (no `tftp_server`) firmware PXE is refused, whatever its architecture
//! ([`ErrorKind::HttpOnlySite`]): there is no TFTP server to point it at.
//!
//! A firmware PXE client boots the file named in a plain DHCP offer (PXE 2.1 "DHCP only"
//! offer), which is what dnsmasq, ISC dhcpd and Kea send with the configs in `servers/`: no
//! 60 = `PXEClient` and no 43 discovery control in a full reply ([`build_reply`]).
//!
//! A ProxyDHCP answer ([`build_proxy_reply`], PXE 2.1) is for networks whose DHCP server
//! hands out the addresses and cannot be changed: a second server answers the same DISCOVER
//! with no address and the same boot file, marked as the table's ProxyDHCP part says (60 =
//! `PXEClient`, a next server for iPXE, 43.6 = 8 for BIOS firmware PXE; option 97 echoed; see
//! [`table`]). The dnsmasq ProxyDHCP config in `servers/` gives the same boot files.
//!
//! Loaders by architecture: 0 BIOS `pxe_bootfile_name`; 7 and 9 (and HTTP 16) x64 UEFI; 11 (and
//! HTTP 19) ARM64 UEFI. iPXE reads the `file` field before option 67, so a URL that does not
//! fit `file` (127 bytes and its NUL) goes only in 67 and `file` stays empty; `file` and
//! `sname` are never overloaded. An https:// script URL is given only to an iPXE that
//! announces HTTPS (175.20).

use crate::dhcp::request::{ClientKind, ClientRequest, Family, MACHINE_ID_LEN};
use crate::dhcp::table::{self, BootUrl};
use crate::dhcp::tlv::SubOptions;
use crate::dhcp::v4::{self, DhcpOption, message};
use crate::dhcp::v6::{self, Dhcpv6Option, ItemList};
use crate::error::{Error, ErrorKind, Field, Result};
use crate::hex::Hex;
use crate::model::Quoted;
use crate::model::ip::ShowV4;
use crate::model::{ClientArch, SiteConfig};
use core::fmt::Write as _;
use core::net::Ipv4Addr;
use embedded_io::Write;

/// What makes a reply a ProxyDHCP answer (PXE 2.1): it gives no address (DHCPv4 `yiaddr`
/// 0.0.0.0; DHCPv6: no IA_NA or IA_TA), beside the DHCP server that does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proxy {
    /// The ProxyDHCP server's own address, sent as DHCPv4 option 54 (server identifier) when
    /// known. PXE firmware that asks again on port 4011 sends there (or to `siaddr`).
    pub server_id: Option<Ipv4Addr>,
}

/// The reply for one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// DHCPv4 or DHCPv6.
    pub family: Family,
    /// Who it answers.
    pub kind: ClientKind,
    /// The architecture the loader was chosen for (stage 1).
    pub arch: Option<ClientArch>,
    /// DHCPv4 `siaddr` (next server): the TFTP server, for firmware PXE; in a ProxyDHCP
    /// answer to iPXE, [`table::proxy_next_server`].
    pub siaddr: Option<Ipv4Addr>,
    /// The boot file: loader name (TFTP), loader URL (HTTP boot) or main script URL (iPXE).
    /// DHCPv4 option 67, DHCPv6 option 59.
    pub bootfile: BootUrl,
    /// Vendor class to send back (`HTTPClient` for UEFI HTTP boot; `PXEClient` in a
    /// ProxyDHCP answer to PXE firmware or iPXE), if any.
    pub vendor_class: Option<&'static str>,
    /// DHCPv4 option 66: the TFTP server as text.
    pub tftp_server_name: Option<heapless::String<64>>,
    /// DHCPv4: send 175.176 = 1 (skip the ProxyDHCP wait). Never in a ProxyDHCP answer:
    /// iPXE reads it only from the answer that gives the address.
    pub no_pxedhcp: bool,
    /// DHCPv4 option 43.6, PXE discovery control: in a ProxyDHCP answer to BIOS firmware PXE,
    /// [`table::PROXY_DISCOVERY_CONTROL`] ([`table::proxy_discovery_control`]).
    pub pxe_discovery_control: Option<u8>,
    /// DHCPv4 option 97 (client machine identifier) to echo: a ProxyDHCP answer repeats the
    /// client's (PXE 2.1).
    pub machine_id: Option<[u8; MACHINE_ID_LEN]>,
    /// `Some` for a ProxyDHCP answer ([`build_proxy_reply`]).
    pub proxy: Option<Proxy>,
    /// `true` for an answer of the classic flow (`ipxe_enabled` false): a PXE client (an
    /// iPXE ROM included) gets PXELINUX or GRUB, and there is no iPXE stage.
    pub classic: bool,
    /// `true` for a ProxyDHCP offer to UEFI firmware PXE (the answer to its DISCOVER): it
    /// names no boot file (no `file`, 66 or 67) and gives the ProxyDHCP server's own address
    /// as `siaddr`, where the firmware asks again, on port 4011; the answer to that request
    /// names [`Reply::bootfile`].
    pub redirect_to_port_4011: bool,
}

/// Builds the reply `site` gives to `request`: the decision table of [`table`], with the boot
/// files it composes.
///
/// # Errors
/// In the classic flow, [`ErrorKind::NoClassicLoader`] for a client it does not serve.
/// [`ErrorKind::UnsupportedArch`] when a stage-1 client's architecture has no loader;
/// [`ErrorKind::HttpOnlySite`] / [`ErrorKind::WrongAddressFamily`] naming `tftp_server` when
/// firmware PXE needs a TFTP server of the request's family and the site has none (HTTP
/// only) or one of the other family; [`ErrorKind::ClientLacksHttps`];
/// [`ErrorKind::TooLong`] when the boot file passes 255 bytes (one option is all iPXE reads).
pub fn build_reply(site: &SiteConfig, request: &ClientRequest) -> Result<Reply> {
    let mut reply = Reply {
        family: request.family,
        kind: request.kind,
        arch: None,
        siaddr: None,
        bootfile: heapless::String::new(),
        vendor_class: None,
        tftp_server_name: None,
        no_pxedhcp: false,
        pxe_discovery_control: None,
        machine_id: None,
        proxy: None,
        redirect_to_port_4011: false,
        classic: false,
    };
    if !site.ipxe_enabled {
        return classic_reply(site, request, reply);
    }
    let loader = || {
        let unsupported = Error::at(ErrorKind::UnsupportedArch, Field::Request);
        let arch = request.arch.ok_or(unsupported)?;
        let loader = table::loader_for(request.family, arch).ok_or(unsupported)?;
        Ok::<_, Error>((arch, loader))
    };
    match request.kind {
        ClientKind::Ipxe => {
            if site.http_base.is_https()
                && request.family == Family::V4
                && !request.has_feature(v4::ipxe::FEATURE_HTTPS)
            {
                return Err(Error::at(ErrorKind::ClientLacksHttps, Field::HttpServer));
            }
            reply.bootfile = table::script_url(site)?;
            reply.no_pxedhcp = request.family == Family::V4;
        }
        ClientKind::UefiHttpBoot => {
            let (arch, loader) = loader()?;
            reply.arch = Some(arch);
            reply.bootfile = table::http_loader_url(site, loader)?;
            reply.vendor_class = Some(table::HTTP_CLIENT_CLASS);
        }
        ClientKind::FirmwarePxe => {
            if table::is_http_only(site) {
                return Err(Error::at(ErrorKind::HttpOnlySite, Field::TftpServer));
            }
            let (arch, loader) = loader()?;
            reply.arch = Some(arch);
            match request.family {
                Family::V4 => {
                    let addr = table::tftp_server_v4(site)?;
                    reply.siaddr = Some(addr);
                    let mut text = heapless::String::new();
                    write!(text, "{}", ShowV4(addr))
                        .map_err(|_| Error::new(ErrorKind::Internal))?;
                    reply.tftp_server_name = Some(text);
                    let name = table::tftp_loader_name(site, loader)?;
                    reply
                        .bootfile
                        .push_str(name)
                        .map_err(|_| Error::new(ErrorKind::Internal))?;
                }
                Family::V6 => {
                    let addr = table::tftp_server_v6(site)?;
                    reply.bootfile = table::tftp_loader_url(addr, site, loader)?;
                }
            }
        }
    }
    Ok(reply)
}

/// The reply of the classic flow (see [`table`]): every DHCPv4 PXE client of a served
/// architecture, iPXE included, is answered as firmware PXE with the site's PXELINUX or GRUB
/// loader by TFTP. Out of line: its frame is on the stack only for a classic site.
#[inline(never)]
fn classic_reply(site: &SiteConfig, request: &ClientRequest, mut reply: Reply) -> Result<Reply> {
    let refused = Error::at(ErrorKind::NoClassicLoader, Field::Request);
    if request.family != Family::V4 || request.kind == ClientKind::UefiHttpBoot {
        return Err(refused);
    }
    let arch = request.arch.ok_or(refused)?;
    let loader = table::loader_of(site, Family::V4, arch).ok_or(refused)?;
    let addr = table::tftp_server_v4(site)?;
    let mut text = heapless::String::new();
    write!(text, "{}", ShowV4(addr)).map_err(|_| Error::new(ErrorKind::Internal))?;
    let name = table::tftp_loader_name(site, loader)?;
    reply.bootfile.clear();
    reply
        .bootfile
        .push_str(name)
        .map_err(|_| Error::new(ErrorKind::Internal))?;
    reply.kind = ClientKind::FirmwarePxe;
    reply.classic = true;
    reply.arch = Some(arch);
    reply.siaddr = Some(addr);
    reply.tftp_server_name = Some(text);
    Ok(reply)
}

/// Builds the ProxyDHCP answer `site` gives to `request`: the boot file of [`build_reply`]
/// with no address, marked as [`table`]'s ProxyDHCP table says. For DHCPv4:
///
/// - iPXE: 60 = `PXEClient`, `siaddr` = [`table::proxy_next_server`] (the TFTP server, else
///   `server_id`), no 175.176 and no PXE menu; iPXE then takes the answer without asking
///   again on port 4011.
/// - BIOS firmware PXE: 60 = `PXEClient`, 43.6 = [`table::PROXY_DISCOVERY_CONTROL`] (PXE 2.1
///   ROMs boot the file named here), `siaddr` = the TFTP server.
/// - UEFI firmware PXE ([`table::proxy_discovery_control`] is `None`): 60 = `PXEClient` and
///   no option 43. To a DISCOVER: no boot file, `siaddr` = `server_id`
///   ([`Reply::redirect_to_port_4011`]); EDK2 then sends a DHCPREQUEST to that address, port
///   4011. To that REQUEST: the loader, `siaddr` = the TFTP server, sent as a DHCPACK from
///   port 4011.
/// - UEFI HTTP boot: 60 = `HTTPClient` and the loader's URL, as in a full reply.
///
/// Send the answer to a DISCOVER received on port 67 and to a REQUEST received on port 4011;
/// a REQUEST on port 67 is for the server that gives the address. Option 97 is echoed when
/// the client sent it. `server_id` is sent as option 54; it is
/// DHCPv4 only. A DHCPv6 answer carries the options of a full reply: what makes it a
/// ProxyDHCP answer is that the server sends it without IA_NA or IA_TA.
///
/// # Errors
/// Those of [`build_reply`]; [`ErrorKind::GrubWithoutProxyDhcp`] for x64 UEFI in the classic
/// flow ([`table::proxy_serves`]); [`ErrorKind::NoServerId`] naming the server id when `server_id`
/// is `None` and the answer needs it: a DHCPv4 iPXE request on a site with no IPv4
/// `tftp_server` (iPXE ignores a ProxyDHCP answer without a next server), or a DISCOVER from
/// UEFI firmware PXE.
pub fn build_proxy_reply(
    site: &SiteConfig,
    request: &ClientRequest,
    server_id: Option<Ipv4Addr>,
) -> Result<Reply> {
    let mut reply = build_reply(site, request)?;
    if reply.classic && reply.arch != Some(ClientArch::BIOS) {
        return Err(Error::at(ErrorKind::GrubWithoutProxyDhcp, Field::Request));
    }
    reply.proxy = Some(Proxy { server_id });
    if request.family == Family::V6 {
        return Ok(reply);
    }
    reply.machine_id = request.machine_id;
    // The kind the reply answers (in the classic flow an iPXE ROM is answered as firmware).
    match reply.kind {
        ClientKind::Ipxe => {
            let next = table::proxy_next_server(site, server_id).ok_or(no_server_id())?;
            reply.siaddr = Some(next);
            reply.vendor_class = Some(table::PXE_CLIENT_CLASS);
            reply.no_pxedhcp = false;
        }
        ClientKind::FirmwarePxe => {
            reply.vendor_class = Some(table::PXE_CLIENT_CLASS);
            reply.pxe_discovery_control = reply.arch.and_then(table::proxy_discovery_control);
            if reply.pxe_discovery_control.is_none()
                && request.message_type == Some(message::DISCOVER)
            {
                reply.siaddr = Some(server_id.ok_or(no_server_id())?);
                reply.tftp_server_name = None;
                reply.redirect_to_port_4011 = true;
            }
        }
        ClientKind::UefiHttpBoot => {}
    }
    Ok(reply)
}

fn no_server_id() -> Error {
    Error::at(ErrorKind::NoServerId, Field::ServerId)
}

impl Reply {
    /// The DHCPv4 `file` header field: the boot file if it fits (with its NUL), else empty
    /// (the boot file then travels only in option 67; a ProxyDHCP offer that redirects to
    /// port 4011 names none).
    pub fn file_field(&self) -> &str {
        if self.family == Family::V4
            && !self.redirect_to_port_4011
            && table::fits_file_field(&self.bootfile)
        {
            &self.bootfile
        } else {
            ""
        }
    }

    /// `true` for a ProxyDHCP answer: the server sends it with no address (DHCPv4 `yiaddr`
    /// 0.0.0.0; DHCPv6 without IA_NA or IA_TA).
    pub fn is_proxy(&self) -> bool {
        self.proxy.is_some()
    }

    /// Writes the reply's options in a fixed order: DHCPv4 54, 60, 43, 97, 66, 67, 175 (no
    /// END; the server adds its own options and END; no 66 or 67 when the reply redirects to
    /// port 4011); DHCPv6 16, 59.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] if an option would pass 255 bytes, or a write error.
    pub fn emit_options<W: Write>(&self, out: &mut W) -> Result<()> {
        match self.family {
            Family::V4 => {
                if let Some(Proxy {
                    server_id: Some(id),
                }) = self.proxy
                {
                    DhcpOption::ServerIdentifier(id).emit(out)?;
                }
                if let Some(class) = self.vendor_class {
                    DhcpOption::VendorClass(class.as_bytes()).emit(out)?;
                }
                if let Some(control) = self.pxe_discovery_control {
                    let mut pxe = SubOptions::new();
                    pxe.push(v4::pxe::DISCOVERY_CONTROL, &[control])?;
                    pxe.end()?;
                    DhcpOption::VendorSpecific(pxe.as_bytes()).emit(out)?;
                }
                if let Some(id) = &self.machine_id {
                    DhcpOption::ClientMachineId(id).emit(out)?;
                }
                if let Some(name) = &self.tftp_server_name {
                    DhcpOption::TftpServerName(name.as_bytes()).emit(out)?;
                }
                if !self.redirect_to_port_4011 {
                    DhcpOption::BootfileName(self.bootfile.as_bytes()).emit(out)?;
                }
                if self.no_pxedhcp {
                    let mut ipxe = SubOptions::new();
                    ipxe.push(v4::ipxe::NO_PXEDHCP, &[1])?;
                    DhcpOption::Ipxe(ipxe.as_bytes()).emit(out)?;
                }
                Ok(())
            }
            Family::V6 => {
                if let Some(class) = self.vendor_class {
                    let items: heapless::Vec<u8, 64> = v6::encode_items(&[class.as_bytes()])?;
                    let items = ItemList::new(&items)?;
                    Dhcpv6Option::VendorClass {
                        enterprise: v6::PXE_ENTERPRISE,
                        items,
                    }
                    .emit(out)?;
                }
                Dhcpv6Option::BootfileUrl(self.bootfile.as_bytes()).emit(out)
            }
        }
    }

    /// Writes a readable account of the reply, one line per item.
    pub fn write_text<W: core::fmt::Write>(&self, out: &mut W) -> core::fmt::Result {
        let who = match self.kind {
            _ if self.classic => {
                "PXE (classic flow, ipxe_enabled false): PXELINUX or GRUB over TFTP, no iPXE stage"
            }
            ClientKind::Ipxe => "iPXE (stage 2): the main script",
            ClientKind::FirmwarePxe => "firmware PXE (stage 1): an iPXE loader over TFTP",
            ClientKind::UefiHttpBoot => "UEFI HTTP boot (stage 1): an iPXE loader over HTTP",
        };
        writeln!(out, "client: {who}")?;
        if self.is_proxy() {
            let none = match self.family {
                Family::V4 => "yiaddr 0.0.0.0",
                Family::V6 => "no IA_NA or IA_TA",
            };
            writeln!(out, "ProxyDHCP answer: no address ({none})")?;
        }
        if let Some(arch) = self.arch {
            writeln!(out, "architecture: {} ({})", arch.0, arch.describe())?;
        }
        match self.family {
            Family::V4 => {
                if let Some(siaddr) = self.siaddr {
                    writeln!(out, "siaddr (next server): {}", ShowV4(siaddr))?;
                }
                writeln!(out, "file: {}", Quoted(self.file_field()))?;
                if let Some(Proxy {
                    server_id: Some(id),
                }) = self.proxy
                {
                    writeln!(out, "option 54 (server identifier): {}", ShowV4(id))?;
                }
                if let Some(class) = self.vendor_class {
                    writeln!(out, "option 60 (vendor class): {class}")?;
                }
                if let Some(control) = self.pxe_discovery_control {
                    writeln!(
                        out,
                        "option 43.6 (PXE discovery control): {control} (boot the file named here)"
                    )?;
                }
                if let Some(id) = &self.machine_id {
                    writeln!(out, "option 97 (client machine id, echoed): {}", Hex(id))?;
                }
                if let Some(name) = &self.tftp_server_name {
                    writeln!(out, "option 66 (TFTP server name): {name}")?;
                }
                if self.redirect_to_port_4011 {
                    writeln!(
                        out,
                        "port 4011: no boot file here: UEFI firmware asks siaddr again on port 4011, whose answer names {}",
                        self.bootfile
                    )?;
                } else {
                    writeln!(out, "option 67 (boot file name): {}", self.bootfile)?;
                }
                if self.no_pxedhcp {
                    writeln!(out, "option 175.176 (iPXE no-pxedhcp): 1")?;
                }
            }
            Family::V6 => {
                if let Some(class) = self.vendor_class {
                    writeln!(out, "option 16 (vendor class): enterprise 343, {class}")?;
                }
                writeln!(out, "option 59 (boot file URL): {}", self.bootfile)?;
            }
        }
        Ok(())
    }
}
