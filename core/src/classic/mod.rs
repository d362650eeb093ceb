//! The classic TFTP flow (`ipxe_enabled: false`): firmware PXE loads PXELINUX (x86 BIOS) or
//! GRUB (x64 UEFI) from the TFTP server, and they load the node's kernel and initrd from
//! there too. There is no iPXE stage and nothing is fetched over HTTP.
//!
//! The TFTP root holds (see [`crate::tree`]):
//!
//! ```text
//! pxelinux.0, ldlinux.c32           Debian's pxelinux and syslinux-common
//! grubnetx64.efi                    Debian's grub-efi-amd64-signed (grubnetx64.efi.signed)
//! pxelinux.cfg/default              machines with no config: local boot, with a message
//! grub/grub.cfg                     what GRUB reads first: it loads the per-MAC config
//! <id>/config, <id>/grub.cfg        each node's PXELINUX and GRUB configs
//! <id>/deploy_kernel, ...           the kernels and ramdisks the node names, placed
//! pxelinux.cfg/01-aa-bb-cc-dd-ee-ff a link to ../<id>/config, per network-boot NIC
//! grub/grub.cfg-01-aa-bb-cc-dd-ee-ff a link to ../<id>/grub.cfg, per network-boot NIC
//! ```
//!
//! How each loader finds its config:
//! - PXELINUX (syslinux 6.04, `core/fs/pxe/pxe.c`, `pxe_load_config`) tries, in the directory
//!   `pxelinux.cfg/` beside `pxelinux.0`: the client's UUID, then `01-` (ARP type 1,
//!   Ethernet) and the MAC in lower case with hyphens, then the IPv4 address in upper-case
//!   hex, shortened one digit at a time, then `default`. Paths in a config are relative to the
//!   directory `pxelinux.0` was loaded from (the TFTP root here). It needs `ldlinux.c32`
//!   beside it.
//! - Debian's signed `grubnetx64.efi` (`grub-efi-amd64-signed` 2.06-13) has its prefix built
//!   in, `/grub` on the TFTP server it was loaded from, and an embedded config that sources
//!   `$prefix/x86_64-efi/grub.cfg` if it exists, else `$prefix/grub.cfg`. Under OVMF it asks,
//!   in order, for `/grub/x86_64-efi/{command,fs,crypto,terminal}.lst` (not found: no module
//!   is loaded from the server, the image holds `regexp`, `configfile`, `linux`, ...), then
//!   `/grub/grub.cfg`; it does not look for a per-MAC config by itself. So `grub/grub.cfg`
//!   turns `$net_default_mac` (the boot NIC's MAC, `52:54:00:12:34:56`: colons) into
//!   `grub.cfg-01-52-54-00-12-34-56` (the name PXELINUX and GRUB's own
//!   `grub_net_search_config_file` give it) and loads that with `configfile`, where the
//!   node's config sees `$net_default_mac` too. Paths without a device (`/<id>/...`) are read
//!   from the same TFTP server.
//!
//! `BOOTIF` (`01-aa-bb-cc-dd-ee-ff`) names the NIC the machine booted through, as with iPXE:
//! PXELINUX appends it itself (`IPAPPEND 2`), GRUB's config builds it from
//! `$net_default_mac` when it runs. So one config per node serves every NIC of it.
//!
//! Boot modes: `deploy`, `ramdisk`, `anaconda` (a kernel and an initrd from the TFTP root)
//! and `local`. `iso`, `iscsi` and `chain` need iPXE (`sanboot`, `sanhook`, `chain`) and are
//! refused ([`ErrorKind::ModeNeedsIpxe`]), as is a kernel or ramdisk given as a URL
//! ([`ErrorKind::NeedsLocalFile`]): the whole-site check renders every node's two configs
//! ([`check_node`]), so every front end refuses the same values with the same words.
//!
//! Both loaders cut a kernel command line longer than the kernel takes (x86:
//! `COMMAND_LINE_SIZE` 2048 with its NUL) without a word: a node whose command line would
//! pass [`COMMAND_LINE_MAX`] is refused ([`ErrorKind::CommandLineTooLong`]).

pub mod grub;
pub mod pxelinux;
pub mod template;

use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::{
    Boot, Image, ImageName, InstallSource, MacAddr, Name, Node, SiteConfig, Source, Url,
};
use crate::output::CountingWriter;
use crate::output::DynWriter;

pub use grub::{write_grub_main, write_grub_node};
pub use pxelinux::{write_pxelinux_default, write_pxelinux_node};

/// Longest kernel command line the classic configs may make the loaders build: an x86
/// kernel's `COMMAND_LINE_SIZE` (2048) less its NUL.
pub const COMMAND_LINE_MAX: usize = 2047;

/// PXELINUX's library module, placed beside `pxelinux.0` (it loads it from there).
pub const LDLINUX: Name<'static> = Name::fixed("ldlinux.c32");

/// PXELINUX's config directory, beside `pxelinux.0` (the site's `per_mac_dir`, which a
/// classic site cannot change).
pub const PXELINUX_DIR: Name<'static> = Name::fixed("pxelinux.cfg");

/// The config PXELINUX reads when no other matches the machine.
pub const PXELINUX_DEFAULT: Name<'static> = Name::fixed("default");

/// GRUB's directory in the TFTP root: the prefix Debian's `grubnetx64.efi` is built with.
pub const GRUB_DIR: Name<'static> = Name::fixed("grub");

/// The config GRUB reads first (in [`GRUB_DIR`]).
pub const GRUB_MAIN: Name<'static> = Name::fixed("grub.cfg");

/// A node's PXELINUX config in its directory (`<id>/config`, as Ironic names it).
pub const NODE_PXELINUX_CONFIG: Name<'static> = Name::fixed("config");

/// A node's GRUB config in its directory (`<id>/grub.cfg`).
pub const NODE_GRUB_CONFIG: Name<'static> = Name::fixed("grub.cfg");

/// `01-` and the MAC in lower case with hyphens: `01-52-54-00-12-34-56`, PXELINUX's per-MAC
/// config name (ARP hardware type 1, Ethernet) and `BOOTIF`'s value.
pub fn arp_mac(mac: MacAddr) -> heapless::String<20> {
    let mut name = heapless::String::new();
    // 3 + 17 bytes: fits.
    let _ = name.push_str("01-");
    let _ = name.push_str(mac.hexhyp().as_str());
    name
}

/// GRUB's per-MAC config name in [`GRUB_DIR`]: `grub.cfg-01-52-54-00-12-34-56` (the name
/// `grub_net_search_config_file` of GRUB 2.04 and later gives it, and `grub/grub.cfg` loads).
pub fn grub_per_mac(mac: MacAddr) -> heapless::String<32> {
    let mut name = heapless::String::new();
    // 9 + 20 bytes: fits.
    let _ = name.push_str("grub.cfg-");
    let _ = name.push_str(&arp_mac(mac));
    name
}

/// An argument a mode adds to the kernel command line, before the kernel arguments.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ModeArg<'a> {
    /// ipxegen's own (`root=/dev/ram0`).
    Plain(&'static str),
    /// `key=<url>` (`inst.ks=`, `inst.repo=`, `inst.stage2=`), with the URL's field.
    Url {
        key: &'static str,
        url: Url<'a>,
        field: Field,
    },
}

impl ModeArg<'_> {
    /// Its length on the command line.
    fn len(&self) -> usize {
        match self {
            ModeArg::Plain(text) => text.len(),
            ModeArg::Url { key, url, .. } => key.len() + 1 + url.as_str().len(),
        }
    }
}

/// What a node boots in the classic flow.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ClassicBoot<'n, 'a> {
    /// A kernel and an initrd from the TFTP root (`deploy`, `ramdisk`, `anaconda`).
    Kernel {
        /// The kernel, placed in `<id>/`.
        kernel: ImageName,
        /// The initrd, placed in `<id>/`.
        ramdisk: ImageName,
        /// What the mode adds to the command line.
        mode_args: [Option<ModeArg<'a>>; 2],
        /// The node, for its id and kernel arguments.
        node: &'n Node<'a>,
    },
    /// The local disk: the loader hands back to the firmware.
    Local,
}

/// The file name an image has in the node's directory, if it is a local file to place there.
///
/// # Errors
/// [`ErrorKind::NeedsLocalFile`] naming the image's field for a URL.
fn placed(image: &Image<'_>) -> Result<ImageName> {
    match image.source {
        Source::File(_) => Ok(image.name),
        Source::Url(_) => Err(Error::at(ErrorKind::NeedsLocalFile, image.field)),
    }
}

/// What `node` boots in the classic flow.
///
/// # Errors
/// [`ErrorKind::ModeNeedsIpxe`] naming `mode` for `iso`, `iscsi` and `chain`;
/// [`ErrorKind::NeedsLocalFile`] for a kernel or ramdisk given as a URL.
pub(crate) fn classic_boot<'n, 'a>(node: &'n Node<'a>) -> Result<ClassicBoot<'n, 'a>> {
    let kernel = |kernel: &Image<'_>, ramdisk: &Image<'_>, mode_args| {
        Ok(ClassicBoot::Kernel {
            kernel: placed(kernel)?,
            ramdisk: placed(ramdisk)?,
            mode_args,
            node,
        })
    };
    match &node.boot {
        Boot::Deploy { kernel: k, ramdisk } => kernel(k, ramdisk, [None, None]),
        Boot::Ramdisk { kernel: k, ramdisk } => {
            kernel(k, ramdisk, [Some(ModeArg::Plain("root=/dev/ram0")), None])
        }
        Boot::Anaconda {
            kernel: k,
            ramdisk,
            kickstart,
            source,
        } => {
            let source = match *source {
                InstallSource::Repo(url) => ModeArg::Url {
                    key: "inst.repo",
                    url,
                    field: Field::Repo,
                },
                InstallSource::Stage2(url) => ModeArg::Url {
                    key: "inst.stage2",
                    url,
                    field: Field::Stage2,
                },
            };
            let ks = ModeArg::Url {
                key: "inst.ks",
                url: *kickstart,
                field: Field::Kickstart,
            };
            kernel(k, ramdisk, [Some(ks), Some(source)])
        }
        Boot::Local => Ok(ClassicBoot::Local),
        Boot::Iso { .. } | Boot::Iscsi { .. } | Boot::Chain { .. } => {
            Err(Error::at(ErrorKind::ModeNeedsIpxe, Field::Mode))
        }
    }
}

/// Length of `BOOTIF=01-aa-bb-cc-dd-ee-ff` on a command line.
pub(crate) const BOOTIF_LEN: usize = "BOOTIF=01-".len() + 17;

/// Length of the arguments a kernel config writes after the ones the loader adds: the mode's,
/// the site's kernel arguments, the node's, joined by single spaces.
pub(crate) fn arguments_len(mode_args: &[Option<ModeArg<'_>>; 2], node: &Node<'_>) -> usize {
    let mut len = 0usize;
    let mut count = 0usize;
    for arg in mode_args.iter().flatten() {
        len += arg.len();
        count += 1;
    }
    for args in [node.kernel_args.site, node.kernel_args.node] {
        if !args.is_empty() {
            len += args.len();
            count += 1;
        }
    }
    len + count.saturating_sub(1)
}

/// Fails when a command line of `len` bytes is longer than the kernel takes.
///
/// # Errors
/// [`ErrorKind::CommandLineTooLong`] naming the node's `kernel_args`.
pub(crate) fn check_command_line(len: usize) -> Result<()> {
    if len > COMMAND_LINE_MAX {
        return Err(Error::at(
            ErrorKind::CommandLineTooLong {
                max: u16::try_from(COMMAND_LINE_MAX).unwrap_or(u16::MAX),
            },
            Field::NodeKernelArgs,
        ));
    }
    Ok(())
}

/// Writes the config `loader` reads for `node`: from the node's template for it when it names
/// one ([`Node::config_template`] for PXELINUX, [`Node::grub_config_template`] for GRUB),
/// else the built-in config.
///
/// # Errors
/// As [`write_pxelinux_node`] and [`write_grub_node`]; for a templated node, what
/// [`SiteConfig::classic_template`] and [`template::write_node_config`] give (none for a
/// checked site).
pub fn write_node_config<W: embedded_io::Write>(
    site: &SiteConfig<'_>,
    node: &Node<'_>,
    loader: template::Loader,
    out: &mut W,
) -> Result<()> {
    write_node_config_dyn(site, node, loader, &mut DynWriter::new(out))
}

/// The body of [`write_node_config`], for the one writer type it is compiled for.
fn write_node_config_dyn(
    site: &SiteConfig<'_>,
    node: &Node<'_>,
    loader: template::Loader,
    out: &mut DynWriter<'_>,
) -> Result<()> {
    let slot = match loader {
        template::Loader::Pxelinux => &node.config_template,
        template::Loader::Grub => &node.grub_config_template,
    };
    match slot {
        Some(slot) => template::write_node_config_dyn(site.classic_template(slot)?, node, out),
        None => match loader {
            template::Loader::Pxelinux => pxelinux::write_pxelinux_node_dyn(node, out),
            template::Loader::Grub => grub::write_grub_node_dyn(node, out),
        },
    }
}

/// Checks that both of `node`'s classic configs can be written: renders them into a sink
/// that only counts. The whole-site check calls it for every node of a site with
/// `ipxe_enabled` false, so the rules are the writers' own.
///
/// Out of line, so that its writers' frames are on the stack only when a classic site is
/// checked.
///
/// # Errors
/// The first error either writer gives (see [`write_pxelinux_node`], [`write_grub_node`]),
/// naming the field.
#[inline(never)]
pub fn check_node(node: &Node<'_>) -> Result<()> {
    let mut sink = CountingWriter::default();
    write_pxelinux_node(node, &mut sink)?;
    write_grub_node(node, &mut sink)
}

/// The problems of the site's own settings in the classic flow, which the whole-site check
/// reports once rather than for every node that uses them: the site's `kernel_args` for GRUB
/// ([`ErrorKind::GrubQuote`]), and a `deploy_kernel` or `deploy_ramdisk` given as a URL
/// ([`ErrorKind::NeedsLocalFile`]).
pub fn site_problems(config: &SiteConfig<'_>) -> [Option<Error>; 3] {
    let url = |source: Option<Source<'_>>, field| {
        matches!(source, Some(Source::Url(_))).then(|| Error::at(ErrorKind::NeedsLocalFile, field))
    };
    [
        grub::check_kernel_args(&config.kernel_args, Field::KernelArgs).err(),
        url(config.deploy_kernel, Field::DeployKernel),
        url(config.deploy_ramdisk, Field::DeployRamdisk),
    ]
}

/// A writer that drops the space a writer's argument begins with: a template writes the
/// space (or whatever stands before the value) itself.
pub(crate) struct AfterSpace<'w, W: embedded_io::Write> {
    out: &'w mut W,
    started: bool,
}

impl<'w, W: embedded_io::Write> AfterSpace<'w, W> {
    pub(crate) fn new(out: &'w mut W) -> Self {
        AfterSpace {
            out,
            started: false,
        }
    }
}

impl<W: embedded_io::Write> embedded_io::ErrorType for AfterSpace<'_, W> {
    type Error = embedded_io::ErrorKind;
}

impl<W: embedded_io::Write> embedded_io::Write for AfterSpace<'_, W> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        let mut rest = buf;
        if !self.started && !buf.is_empty() {
            self.started = true;
            // Every value the writers write begins with its space.
            rest = buf
                .strip_prefix(b" ")
                .ok_or(embedded_io::ErrorKind::InvalidData)?;
        }
        crate::output::write_all(&mut *self.out, rest).map_err(|e| match e.kind {
            ErrorKind::Write(kind) => kind,
            _ => embedded_io::ErrorKind::Other,
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_mac_names() {
        let mac = MacAddr([0x52, 0x54, 0x00, 0xAB, 0x34, 0x56]);
        assert_eq!(arp_mac(mac), "01-52-54-00-ab-34-56");
        assert_eq!(grub_per_mac(mac), "grub.cfg-01-52-54-00-ab-34-56");
        assert_eq!(BOOTIF_LEN, "BOOTIF=01-52-54-00-ab-34-56".len());
    }
}
