//! The decision table every server config implements, as data, and the boot files it names
//! for a site.
//!
//! | client | DHCPv4 | DHCPv6 |
//! |---|---|---|
//! | iPXE (v4: 77 = `iPXE`, raw or RFC 3004, or 175 present; v6: 15 has `iPXE`) | 67 / `file` = [`script_url`], 175.176 = 1 | 59 = [`script_url`] |
//! | UEFI HTTP boot (arch 16 x64, 19 ARM64) | 60 = `HTTPClient`, 67 / `file` = [`http_loader_url`] | 16 = 343 `HTTPClient`, 59 = [`http_loader_url`] |
//! | firmware PXE (arch 0 BIOS, 7 and 9 x64, 11 ARM64; never iPXE) | `siaddr` = [`tftp_server_v4`], 66 = the same, 67 / `file` = the loader | 59 = [`tftp_loader_url`] |
//!
//! A ProxyDHCP answer (PXE 2.1: from a server beside the one that hands out addresses, for
//! networks whose DHCP server the operator does not control) carries the same boot files with
//! no address (`yiaddr` 0.0.0.0), and, for DHCPv4:
//!
//! | client | ProxyDHCP answer (DHCPv4) |
//! |---|---|
//! | iPXE | 60 = [`PXE_CLIENT_CLASS`], no PXE menu (43.9), `siaddr` = [`proxy_next_server`] |
//! | UEFI HTTP boot | 60 = `HTTPClient` as above (EDK2's `HttpBootDhcp4.c` pairs such an answer, type `ProxyIpUri` / `ProxyNameUri`, with the address server's) |
//! | firmware PXE | 60 = [`PXE_CLIENT_CLASS`], `siaddr` = the TFTP server; BIOS also 43.6 discovery control = [`PROXY_DISCOVERY_CONTROL`], UEFI no option 43 ([`proxy_discovery_control`]) |
//!
//! - 60 = `PXEClient` is what makes an answer a ProxyDHCP answer to PXE firmware (EDK2
//!   `PxeBcDhcp4.c`, `PxeBcParseDhcp4Packet`) and to iPXE (`dhcp.c`, `dhcp_discovery_rx`).
//! - iPXE takes a ProxyDHCP answer as it is only when it names a next server and a boot file
//!   (`dhcp_has_pxeopts`); otherwise it asks again on port 4011 and ignores an answer that
//!   still lacks them. A PXE menu (43.9) would make it run a PXE menu instead of the file.
//! - BIOS firmware PXE: 43.6 bit 3 (PXE 2.1, `PXE_DISCOVERY_CONTROL`) says "boot the file
//!   named in this answer": no prompt, no menu, no boot server discovery.
//! - UEFI firmware PXE: no option 43. EDK2 (`PxeBcDhcp4.c`, `PxeBcCacheDhcp4Offer`, in its
//!   2015 form that UEFI firmware carried for years) drops the first ProxyDHCP offer that has
//!   PXE discovery options (type "PXE10"), and keeps one with `PXEClient` and none ("BINL"):
//!   it then asks again, a DHCPREQUEST to port 4011 of the offer's `siaddr` (else option 54;
//!   `PxeBcRetryBinlOffer`), and boots the file of that answer (`PxeBcDhcp4BootInfo`: from
//!   its `siaddr`). So the offer (to the DISCOVER) names no file and gives the ProxyDHCP
//!   server's own address as `siaddr`; the answer to the REQUEST names the loader and the
//!   TFTP server. dnsmasq answers UEFI the same way.
//!
//! A site with `ipxe_enabled` false (the classic flow, [`crate::classic`]) has no iPXE stage
//! and its own rows ([`CLASSIC_V4`]): x86 BIOS PXE (arch 0) gets PXELINUX, x64 UEFI PXE
//! (arch 7 and 9) gets GRUB, by TFTP from `tftp_server`, with no "never iPXE" gate: a NIC's
//! iPXE ROM is that NIC's PXE firmware, and it runs `pxelinux.0` as any PXE ROM does
//! (PXELINUX and GRUB reuse the firmware's DHCP answer and ask no second time, so nothing
//! loops). Not served, and said so in every config ([`CLASSIC_NOTE`]); the reply builder
//! refuses them ([`ErrorKind::NoClassicLoader`]): ARM64 UEFI (arch 11: no ARM64 PXELINUX,
//! and this tree places no ARM64 GRUB), UEFI HTTP boot (arch 16, 19: GRUB would read its
//! config over HTTP, where the classic tree has none), and DHCPv6 (PXELINUX has no IPv6;
//! GRUB's IPv6 boot is not what this flow serves). The DHCPv6 configs keep the hosts.
//!
//! An HTTP-only site (no `tftp_server`) has no firmware PXE row: its configs leave it out and
//! say so ([`HTTP_ONLY_NOTE`]), and the reply builder refuses such a client
//! ([`ErrorKind::HttpOnlySite`]).
//!
//! "Never iPXE" gates every stage-1 row: iPXE also sends 93 and a `PXEClient` vendor class, and
//! handing it a loader again would chainload forever. [`crate::dhcp::reply::build_reply`] gives
//! the same boot file for each row (a test in `tests/` checks it row by row).
//!
//! Every boot file must fit one DHCP option (255 bytes): iPXE reads only the first instance of
//! an option and ignores RFC 3396 continuations and option 52 overload. A value that fits the
//! DHCPv4 `file` field with its NUL ([`FILE_FIELD_MAX`], 127 bytes) may go there; a longer one
//! must go in option 67 only (ISC dhcpd truncates `filename` at 128 bytes silently, Kea refuses
//! a `boot-file-name` over 127).

use crate::dhcp::request::Family;
use crate::dhcp::v6;
use crate::error::{Error, ErrorKind, Field, Result};
use crate::limits::URL_MAX;
use crate::model::ip::ShowV6;
use crate::model::{ClientArch, Host, LoaderKind, SiteConfig};
use core::fmt::Write as _;
use core::net::{Ipv4Addr, Ipv6Addr};

/// Longest boot file (DHCPv4 option 67, DHCPv6 option 59) a config may hand out: one option.
pub const BOOTFILE_MAX: usize = 255;

/// Longest boot file name that fits the DHCPv4 `file` field with its terminating NUL.
pub const FILE_FIELD_MAX: usize = 127;

/// The vendor class a UEFI HTTP-boot client sends (as a prefix) and wants back (DHCPv4 60,
/// DHCPv6 16 with enterprise [`v6::PXE_ENTERPRISE`]).
pub const HTTP_CLIENT_CLASS: &str = "HTTPClient";

/// The vendor class a ProxyDHCP answer to PXE firmware and to iPXE carries (DHCPv4 option 60):
/// without it neither takes an answer with no address as a ProxyDHCP answer.
pub const PXE_CLIENT_CLASS: &str = "PXEClient";

/// PXE discovery control (option 43.6) of a ProxyDHCP answer to firmware PXE: bit 3 alone,
/// "boot the file named in this answer" (PXE 2.1), so the firmware neither prompts, shows a
/// menu nor searches for a boot server.
pub const PROXY_DISCOVERY_CONTROL: u8 = crate::dhcp::v4::pxe::USE_BOOTFILE;

/// PXE discovery control (option 43.6) of a ProxyDHCP answer to firmware PXE of architecture
/// `arch`: [`PROXY_DISCOVERY_CONTROL`] for BIOS (option 93 below 6), `None` for UEFI, whose
/// answer carries no option 43 (see the module docs: EDK2 keeps only such an answer).
pub const fn proxy_discovery_control(arch: ClientArch) -> Option<u8> {
    if arch.0 < ClientArch::UEFI_IA32.0 {
        Some(PROXY_DISCOVERY_CONTROL)
    } else {
        None
    }
}

/// The next server (`siaddr`) of a ProxyDHCP answer to iPXE: the TFTP server when the site has
/// an IPv4 one, else `own_address` (the ProxyDHCP server's address, when known). iPXE ignores
/// a ProxyDHCP answer that names a boot file but no next server (`dhcp_has_pxeopts` in iPXE's
/// `dhcp.c`); for an `http://` boot file the address is not used otherwise.
pub fn proxy_next_server(site: &SiteConfig, own_address: Option<Ipv4Addr>) -> Option<Ipv4Addr> {
    match site.tftp_server {
        Some(Host::V4(addr)) => Some(addr),
        _ => own_address,
    }
}

/// The DHCPv6 vendor class data a UEFI HTTP-boot reply carries: one `{u16 length, bytes}` item
/// holding [`HTTP_CLIENT_CLASS`] (the bytes after the enterprise number).
///
/// # Errors
/// None in practice (the item is 10 bytes); an internal error if the encoder refused it.
pub fn http_client_class_v6() -> Result<heapless::Vec<u8, 16>> {
    v6::encode_items(&[HTTP_CLIENT_CLASS.as_bytes()]).map_err(|_| Error::new(ErrorKind::Internal))
}

/// How a stage-1 client fetches its loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    /// Firmware PXE: by TFTP from the TFTP server.
    Tftp,
    /// UEFI HTTP boot: by HTTP from the HTTP root (vendor class `HTTPClient` in the reply).
    Http,
}

/// One stage-1 row of the table: the architectures that get one loader one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stage1 {
    /// A short name for tags and class names (`pxe-bios`, `http-efi-x64`, ...): lower-case
    /// letters, digits and `-` only, so every server takes it as it is.
    pub name: &'static str,
    /// What the row is, for comments.
    pub what: &'static str,
    /// The client architectures (v4 option 93, v6 option 61) of the row.
    pub archs: &'static [ClientArch],
    /// The loader they get.
    pub loader: LoaderKind,
    /// How they fetch it.
    pub fetch: Fetch,
}

/// The DHCPv4 stage-1 rows, in the order configs list them.
pub const STAGE1_V4: [Stage1; 5] = [
    Stage1 {
        name: "pxe-bios",
        what: "x86 BIOS PXE (arch 0)",
        archs: &[ClientArch::BIOS],
        loader: LoaderKind::Bios,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "pxe-efi-x64",
        what: "x64 UEFI PXE (arch 7, and 9 as RFC 4578 first numbered it)",
        archs: &[ClientArch::UEFI_X64, ClientArch::UEFI_X64_ALT],
        loader: LoaderKind::UefiX64,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "pxe-efi-arm64",
        what: "ARM64 UEFI PXE (arch 11)",
        archs: &[ClientArch::UEFI_ARM64],
        loader: LoaderKind::UefiArm64,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "http-efi-x64",
        what: "x64 UEFI HTTP boot (arch 16)",
        archs: &[ClientArch::HTTP_X64],
        loader: LoaderKind::UefiX64,
        fetch: Fetch::Http,
    },
    Stage1 {
        name: "http-efi-arm64",
        what: "ARM64 UEFI HTTP boot (arch 19)",
        archs: &[ClientArch::HTTP_ARM64],
        loader: LoaderKind::UefiArm64,
        fetch: Fetch::Http,
    },
];

/// The DHCPv6 stage-1 rows (DHCPv6 has no BIOS PXE).
pub const STAGE1_V6: [Stage1; 4] = [
    Stage1 {
        name: "pxe6-efi-x64",
        what: "x64 UEFI PXE over IPv6 (arch 7, and 9)",
        archs: &[ClientArch::UEFI_X64, ClientArch::UEFI_X64_ALT],
        loader: LoaderKind::UefiX64,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "pxe6-efi-arm64",
        what: "ARM64 UEFI PXE over IPv6 (arch 11)",
        archs: &[ClientArch::UEFI_ARM64],
        loader: LoaderKind::UefiArm64,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "http6-efi-x64",
        what: "x64 UEFI HTTP boot over IPv6 (arch 16)",
        archs: &[ClientArch::HTTP_X64],
        loader: LoaderKind::UefiX64,
        fetch: Fetch::Http,
    },
    Stage1 {
        name: "http6-efi-arm64",
        what: "ARM64 UEFI HTTP boot over IPv6 (arch 19)",
        archs: &[ClientArch::HTTP_ARM64],
        loader: LoaderKind::UefiArm64,
        fetch: Fetch::Http,
    },
];

/// The rows of the classic flow (`ipxe_enabled` false), DHCPv4 only: the site's
/// `pxe_bootfile_name` (`pxelinux.0`) and `uefi_x64_bootfile_name` (`grubnetx64.efi`) by
/// TFTP, for every PXE client, iPXE ROMs included (see the module docs).
pub const CLASSIC_V4: [Stage1; 2] = [
    Stage1 {
        name: "pxelinux-bios",
        what: "x86 BIOS PXE (arch 0): PXELINUX",
        archs: &[ClientArch::BIOS],
        loader: LoaderKind::Bios,
        fetch: Fetch::Tftp,
    },
    Stage1 {
        name: "grub-efi-x64",
        what: "x64 UEFI PXE (arch 7, and 9 as RFC 4578 first numbered it): GRUB",
        archs: &[ClientArch::UEFI_X64, ClientArch::UEFI_X64_ALT],
        loader: LoaderKind::UefiX64,
        fetch: Fetch::Tftp,
    },
];

/// The stage-1 rows of a protocol.
pub const fn stage1_rows(family: Family) -> &'static [Stage1] {
    match family {
        Family::V4 => &STAGE1_V4,
        Family::V6 => &STAGE1_V6,
    }
}

/// The rows `site` serves over `family`: [`stage1_rows`], or in the classic flow
/// [`CLASSIC_V4`] (and none over DHCPv6).
pub const fn rows_for(site: &SiteConfig, family: Family) -> &'static [Stage1] {
    match (site.ipxe_enabled, family) {
        (true, family) => stage1_rows(family),
        (false, Family::V4) => &CLASSIC_V4,
        (false, Family::V6) => &[],
    }
}

/// The rows a ProxyDHCP server of the classic flow serves: BIOS only. GRUB 2.06 (Debian's
/// `grubnetx64.efi`) takes its TFTP server from the DHCP answer that gave the address (the
/// network's own server's, which names none when a ProxyDHCP server gives the boot
/// information), so under OVMF it stops at its `grub>` prompt (seen in QEMU); PXELINUX boots.
pub fn proxy_serves(site: &SiteConfig, row: &Stage1) -> bool {
    site.ipxe_enabled || row.loader == LoaderKind::Bios
}

/// What a classic site's ProxyDHCP config says about x64 UEFI.
pub const CLASSIC_PROXY_NOTE: &str = "\
x64 UEFI (arch 7, 9) is not answered: GRUB takes its TFTP server from the DHCP answer
that gave the address, which names none when a ProxyDHCP server gives the boot
information, and stops at its prompt. Serve x64 UEFI from the DHCP server itself.";

/// What the configs of a classic site say about the flow and what it does not serve.
pub const CLASSIC_NOTE: &str = "\
Classic flow (ipxe_enabled false): no iPXE stage. Every PXE client, a NIC's iPXE ROM
included, gets its loader by TFTP from the TFTP server: x86 BIOS (arch 0) PXELINUX,
x64 UEFI (arch 7, 9) GRUB; they read their configs from there. Not served: ARM64 UEFI
(arch 11), UEFI HTTP boot (arch 16, 19) and DHCPv6 boot, which need iPXE.";

/// The loader an architecture gets over `family`: the loader of the first stage-1 row that
/// lists it. The one place the architecture-to-loader decision is made.
pub fn loader_for(family: Family, arch: ClientArch) -> Option<LoaderKind> {
    stage1_rows(family)
        .iter()
        .find(|row| row.archs.contains(&arch))
        .map(|row| row.loader)
}

/// The loader an architecture gets from `site` over `family`: [`loader_for`], or in the
/// classic flow the loader of the [`CLASSIC_V4`] row that lists it.
pub fn loader_of(site: &SiteConfig, family: Family, arch: ClientArch) -> Option<LoaderKind> {
    rows_for(site, family)
        .iter()
        .find(|row| row.archs.contains(&arch))
        .map(|row| row.loader)
}

/// A URL a config hands out, at most [`BOOTFILE_MAX`] bytes.
pub type BootUrl = heapless::String<URL_MAX>;

fn too_long_for_one_option(field: Field) -> Error {
    Error::at(
        ErrorKind::TooLong {
            max: u16::try_from(BOOTFILE_MAX).unwrap_or(u16::MAX),
        },
        field,
    )
}

fn compose(field: Field, build: impl FnOnce(&mut BootUrl) -> core::fmt::Result) -> Result<BootUrl> {
    let mut url = BootUrl::new();
    build(&mut url).map_err(|_| too_long_for_one_option(field))?;
    if url.len() > BOOTFILE_MAX {
        return Err(too_long_for_one_option(field));
    }
    Ok(url)
}

/// The main script's URL, `<http_server>/<ipxe_boot_script>`: what iPXE (stage 2) gets.
///
/// # Errors
/// [`ErrorKind::TooLong`] (max 255) naming `http_server` when it does not fit one option.
pub fn script_url(site: &SiteConfig) -> Result<BootUrl> {
    compose(Field::HttpServer, |u| {
        write!(u, "{}/{}", site.http_base, site.boot_script.as_str())
    })
}

/// The loader's URL in the HTTP root, `<http_server>/<loader>`: what UEFI HTTP boot gets.
///
/// # Errors
/// [`ErrorKind::TooLong`] (max 255) naming `http_server`.
pub fn http_loader_url(site: &SiteConfig, loader: LoaderKind) -> Result<BootUrl> {
    compose(Field::HttpServer, |u| {
        write!(u, "{}/{}", site.http_base, site.loader(loader).as_str())
    })
}

/// The TFTP URL of a loader for DHCPv6 firmware, `tftp://[<tftp_server>]/<loader>`.
///
/// # Errors
/// [`ErrorKind::TooLong`] (max 255) naming `tftp_server`.
pub fn tftp_loader_url(server: Ipv6Addr, site: &SiteConfig, loader: LoaderKind) -> Result<BootUrl> {
    compose(Field::TftpServer, |u| {
        write!(
            u,
            "tftp://[{}]/{}",
            ShowV6(server),
            site.loader(loader).as_str()
        )
    })
}

/// The loader's file name for TFTP, checked to fit one option.
///
/// # Errors
/// [`ErrorKind::TooLong`] naming the loader's field (names are at most 128 bytes, so this
/// holds unless the limits change).
pub fn tftp_loader_name<'a>(site: &SiteConfig<'a>, loader: LoaderKind) -> Result<&'a str> {
    let name = site.loader(loader).as_str();
    if name.len() > BOOTFILE_MAX {
        return Err(too_long_for_one_option(loader_field(loader)));
    }
    Ok(name)
}

/// The site field that names a loader.
pub const fn loader_field(loader: LoaderKind) -> Field {
    match loader {
        LoaderKind::Bios => Field::PxeBootfileName,
        LoaderKind::UefiX64 => Field::UefiX64BootfileName,
        LoaderKind::UefiArm64 => Field::UefiArm64BootfileName,
    }
}

/// The TFTP server as `siaddr` (next-server) for DHCPv4 firmware PXE.
///
/// # Errors
/// [`ErrorKind::HttpOnlySite`] naming `tftp_server` when the site has none (firmware PXE
/// cannot boot from it); [`ErrorKind::WrongAddressFamily`] when it is not an IPv4 address
/// (`siaddr` is one, and a host name would need resolving by each server differently).
pub fn tftp_server_v4(site: &SiteConfig) -> Result<Ipv4Addr> {
    tftp_stage_v4(site)?.ok_or(Error::at(ErrorKind::HttpOnlySite, Field::TftpServer))
}

/// The TFTP server for DHCPv6 firmware: the host of `tftp://[addr]/loader`.
///
/// # Errors
/// [`ErrorKind::HttpOnlySite`] or [`ErrorKind::WrongAddressFamily`] naming `tftp_server`.
pub fn tftp_server_v6(site: &SiteConfig) -> Result<Ipv6Addr> {
    tftp_stage_v6(site)?.ok_or(Error::at(ErrorKind::HttpOnlySite, Field::TftpServer))
}

/// The TFTP server of a DHCPv4 config's stage 1 by TFTP, or `None` for an HTTP-only site
/// (no `tftp_server`): its configs have no TFTP stage, only UEFI HTTP boot and iPXE.
///
/// # Errors
/// [`ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv4 address.
pub fn tftp_stage_v4(site: &SiteConfig) -> Result<Option<Ipv4Addr>> {
    match site.tftp_server {
        Some(Host::V4(addr)) => Ok(Some(addr)),
        Some(_) => Err(Error::at(ErrorKind::WrongAddressFamily, Field::TftpServer)),
        None => Ok(None),
    }
}

/// The TFTP server of a DHCPv6 config's stage 1 by TFTP, or `None` for an HTTP-only site.
///
/// # Errors
/// [`ErrorKind::WrongAddressFamily`] naming `tftp_server` when it is not an IPv6 address.
pub fn tftp_stage_v6(site: &SiteConfig) -> Result<Option<Ipv6Addr>> {
    match site.tftp_server {
        Some(Host::V6(addr)) => Ok(Some(addr)),
        Some(_) => Err(Error::at(ErrorKind::WrongAddressFamily, Field::TftpServer)),
        None => Ok(None),
    }
}

/// `true` when the site has no `tftp_server`: HTTP only, no stage 1 over TFTP.
pub const fn is_http_only(site: &SiteConfig) -> bool {
    site.tftp_server.is_none()
}

/// What an HTTP-only site cannot boot, for the configs' comments (one line each).
pub const HTTP_ONLY_NOTE: &str = "\
HTTP-only site (no tftp_server): no stage 1 over TFTP is configured.
It cannot boot BIOS firmware PXE (arch 0), nor UEFI firmware PXE over TFTP (arch 7,
9, 11): only UEFI HTTP boot (arch 16, 19) and NICs that already run iPXE boot here.";

/// `true` when `value` fits the DHCPv4 `file` field with its terminating NUL.
pub const fn fits_file_field(value: &str) -> bool {
    value.len() <= FILE_FIELD_MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_agree_with_the_architecture_model() {
        for (family, row) in STAGE1_V4
            .iter()
            .map(|r| (Family::V4, r))
            .chain(STAGE1_V6.iter().map(|r| (Family::V6, r)))
        {
            for arch in row.archs {
                assert_eq!(loader_for(family, *arch), Some(row.loader), "{}", row.name);
                // Both protocols give an architecture the same loader.
                let other = match family {
                    Family::V4 => Family::V6,
                    Family::V6 => Family::V4,
                };
                if let Some(loader) = loader_for(other, *arch) {
                    assert_eq!(loader, row.loader, "{}", row.name);
                }
                assert_eq!(
                    arch.is_http_boot(),
                    row.fetch == Fetch::Http,
                    "{}",
                    row.name
                );
            }
            assert!(
                row.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        assert!(
            STAGE1_V6
                .iter()
                .all(|r| !r.archs.contains(&ClientArch::BIOS))
        );
        assert_eq!(loader_for(Family::V4, ClientArch(15)), None);
    }

    #[test]
    fn http_client_class_v6_is_one_counted_item() {
        assert_eq!(
            http_client_class_v6().unwrap().as_slice(),
            b"\x00\x0aHTTPClient"
        );
    }
}
