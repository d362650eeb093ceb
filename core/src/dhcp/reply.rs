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
//! On an HTTP-only site (no `tftp_server`) firmware PXE is refused, whatever its architecture
//! ([`ErrorKind::HttpOnlySite`]): there is no TFTP server to point it at.
//!
//! A firmware PXE client boots the file named in a plain DHCP offer (PXE 2.1 "DHCP only"
//! offer), which is what dnsmasq, ISC dhcpd and Kea send with the configs in `servers/`: no
//! 60 = `PXEClient` and no 43 discovery control, whose only use would be PXE boot servers.
//!
//! Loaders by architecture: 0 BIOS `pxe_bootfile_name`; 7 and 9 (and HTTP 16) x64 UEFI; 11 (and
//! HTTP 19) ARM64 UEFI. iPXE reads the `file` field before option 67, so a URL that does not
//! fit `file` (127 bytes and its NUL) goes only in 67 and `file` stays empty; `file` and
//! `sname` are never overloaded. An https:// script URL is given only to an iPXE that
//! announces HTTPS (175.20).

use crate::dhcp::request::{ClientKind, ClientRequest, Family};
use crate::dhcp::table::{self, BootUrl};
use crate::dhcp::tlv::SubOptions;
use crate::dhcp::v4::{self, DhcpOption};
use crate::dhcp::v6::{self, Dhcpv6Option, ItemList};
use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::Quoted;
use crate::model::ip::ShowV4;
use crate::model::{ClientArch, SiteConfig};
use core::fmt::Write as _;
use core::net::Ipv4Addr;
use embedded_io::Write;

/// The reply for one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// DHCPv4 or DHCPv6.
    pub family: Family,
    /// Who it answers.
    pub kind: ClientKind,
    /// The architecture the loader was chosen for (stage 1).
    pub arch: Option<ClientArch>,
    /// DHCPv4 `siaddr` (next server): the TFTP server, for firmware PXE.
    pub siaddr: Option<Ipv4Addr>,
    /// The boot file: loader name (TFTP), loader URL (HTTP boot) or main script URL (iPXE).
    /// DHCPv4 option 67, DHCPv6 option 59.
    pub bootfile: BootUrl,
    /// Vendor class to send back (`HTTPClient` for UEFI HTTP boot), if any.
    pub vendor_class: Option<&'static str>,
    /// DHCPv4 option 66: the TFTP server as text.
    pub tftp_server_name: Option<heapless::String<64>>,
    /// DHCPv4: send 175.176 = 1 (skip the ProxyDHCP wait).
    pub no_pxedhcp: bool,
}

/// Builds the reply `site` gives to `request`: the decision table of [`table`], with the boot
/// files it composes.
///
/// # Errors
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
    };
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

impl Reply {
    /// The DHCPv4 `file` header field: the boot file if it fits (with its NUL), else empty
    /// (the boot file then travels only in option 67).
    pub fn file_field(&self) -> &str {
        if self.family == Family::V4 && table::fits_file_field(&self.bootfile) {
            &self.bootfile
        } else {
            ""
        }
    }

    /// Writes the reply's options in a fixed order: DHCPv4 60, 66, 67, 175 (no END; the
    /// server adds its own options and END); DHCPv6 16, 59.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] if an option would pass 255 bytes, or a write error.
    pub fn emit_options<W: Write>(&self, out: &mut W) -> Result<()> {
        match self.family {
            Family::V4 => {
                if let Some(class) = self.vendor_class {
                    DhcpOption::VendorClass(class.as_bytes()).emit(out)?;
                }
                if let Some(name) = &self.tftp_server_name {
                    DhcpOption::TftpServerName(name.as_bytes()).emit(out)?;
                }
                DhcpOption::BootfileName(self.bootfile.as_bytes()).emit(out)?;
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
            ClientKind::Ipxe => "iPXE (stage 2): the main script",
            ClientKind::FirmwarePxe => "firmware PXE (stage 1): an iPXE loader over TFTP",
            ClientKind::UefiHttpBoot => "UEFI HTTP boot (stage 1): an iPXE loader over HTTP",
        };
        writeln!(out, "client: {who}")?;
        if let Some(arch) = self.arch {
            writeln!(out, "architecture: {} ({})", arch.0, arch.describe())?;
        }
        match self.family {
            Family::V4 => {
                if let Some(siaddr) = self.siaddr {
                    writeln!(out, "siaddr (next server): {}", ShowV4(siaddr))?;
                }
                writeln!(out, "file: {}", Quoted(self.file_field()))?;
                if let Some(class) = self.vendor_class {
                    writeln!(out, "option 60 (vendor class): {class}")?;
                }
                if let Some(name) = &self.tftp_server_name {
                    writeln!(out, "option 66 (TFTP server name): {name}")?;
                }
                writeln!(out, "option 67 (boot file name): {}", self.bootfile)?;
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
