//! A node: its NICs, its boot mode and the files it boots.

use crate::limits::{ISCSI_TARGETS_MAX, NICS_MAX};
use crate::model::text::{JsonStr, NodeArgs};
use crate::model::{Host, LocalPath, MacAddr, NodeId, SystemUuid, TemplateSlot, Url};

/// A network interface of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nic {
    /// Its MAC address.
    pub mac: MacAddr,
    /// `false` when this NIC must not network boot (no per-MAC entry is made for it).
    pub pxe: bool,
}

word_enum! {
    /// Which firmware the node boots with, where scripts must differ.
    #[derive(Default)]
    pub enum Firmware {
        /// Unknown or either: scripts test `${platform}` at run time.
        #[default]
        Any = "any",
        /// Legacy BIOS (`${platform}` = `pcbios`).
        Bios = "bios",
        /// UEFI (`${platform}` = `efi`).
        Uefi = "uefi",
    }
}

/// Where an image comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source<'a> {
    /// A local file, placed in the tree beside the node's config and fetched from there.
    File(LocalPath<'a>),
    /// An absolute URL, fetched as it is.
    Url(Url<'a>),
}

word_enum! {
    /// The file name of an image in the node's directory when it is placed there, and the
    /// iPXE image name it is loaded under (`initrd=` names it).
    pub enum ImageName {
        /// A `deploy` node's kernel.
        DeployKernel = "deploy_kernel",
        /// A `deploy` node's ramdisk.
        DeployRamdisk = "deploy_ramdisk",
        /// A kernel.
        Kernel = "kernel",
        /// A ramdisk.
        Ramdisk = "ramdisk",
        /// An ISO image.
        BootIso = "boot_iso",
    }
}

/// An image the node loads, with where it comes from and the name it has beside the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image<'a> {
    /// Where it comes from.
    pub source: Source<'a>,
    /// Its file name in `<id>/` when placed, and the iPXE image name it is loaded under.
    pub name: ImageName,
    /// The field it was read from: the node's (`kernel`, `ramdisk`, `iso`) or, for a
    /// `deploy` node without its own, the site's (`deploy_kernel`, `deploy_ramdisk`).
    pub field: crate::Field,
}

/// An iSCSI qualified name (`iqn.2010-04.org.example:volume`, `eui.`, `naa.`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Iqn<'a>(pub(crate) &'a str);

impl<'a> Iqn<'a> {
    /// The name.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// A CHAP user name or secret: a safe iPXE literal once decoded (it may hold `"`, which the
/// document writes `\"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChapValue<'a>(pub(crate) JsonStr<'a>);

impl<'a> ChapValue<'a> {
    /// The value as the document writes it.
    pub fn text(&self) -> JsonStr<'a> {
        self.0
    }
}

/// CHAP credentials for one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chap<'a> {
    /// User name.
    pub username: ChapValue<'a>,
    /// Secret.
    pub password: ChapValue<'a>,
}

/// One iSCSI target (one `sanhook` drive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IscsiTarget<'a> {
    /// The target portal.
    pub server: Host<'a>,
    /// TCP port, if not 3260.
    pub port: Option<u16>,
    /// Logical unit number.
    pub lun: u32,
    /// Target name.
    pub iqn: Iqn<'a>,
    /// CHAP credentials, if the target wants them.
    pub chap: Option<Chap<'a>>,
}

/// The installer's source of packages (anaconda `inst.repo=`) or of its second stage only
/// (`inst.stage2=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallSource<'a> {
    /// `inst.repo=<url>`
    Repo(Url<'a>),
    /// `inst.stage2=<url>`
    Stage2(Url<'a>),
}

/// What a node boots, with everything that mode needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Boot<'a> {
    /// The deploy ramdisk (Ironic's agent): kernel and ramdisk over HTTP.
    Deploy {
        /// The deploy kernel (`deploy_kernel`).
        kernel: Image<'a>,
        /// The deploy ramdisk (`deploy_ramdisk`).
        ramdisk: Image<'a>,
    },
    /// Boot from the local disk (`sanboot --no-describe` on BIOS, `exit` to the firmware on UEFI).
    Local,
    /// A kernel and a RAM disk as root file system (`root=/dev/ram0`).
    Ramdisk {
        /// The kernel (`kernel`).
        kernel: Image<'a>,
        /// The RAM disk (`ramdisk`).
        ramdisk: Image<'a>,
    },
    /// An ISO image booted with `sanboot`.
    Iso {
        /// The ISO (`boot_iso`).
        iso: Image<'a>,
    },
    /// Boot from iSCSI volumes: `sanhook` each target on drives 0x80, 0x81, ..., `sanboot` 0x80.
    Iscsi {
        /// Targets, in drive order.
        targets: heapless::Vec<IscsiTarget<'a>, ISCSI_TARGETS_MAX>,
        /// The initiator name to present, if set.
        initiator_iqn: Option<Iqn<'a>>,
    },
    /// The anaconda installer with a kickstart file.
    Anaconda {
        /// The installer kernel (`kernel`).
        kernel: Image<'a>,
        /// The installer initrd (`ramdisk`).
        ramdisk: Image<'a>,
        /// `inst.ks=<url>`
        kickstart: Url<'a>,
        /// Package repository or second stage.
        source: InstallSource<'a>,
    },
    /// Chain another iPXE script or EFI/PXE binary.
    Chain {
        /// What to chain.
        url: Url<'a>,
    },
}

word_enum! {
    /// The boot modes, by the names the site document uses.
    pub enum Mode {
        /// Ironic's deploy ramdisk.
        Deploy = "deploy",
        /// The local disk.
        Local = "local",
        /// A kernel and a RAM disk as root.
        Ramdisk = "ramdisk",
        /// An ISO image.
        Iso = "iso",
        /// iSCSI volumes.
        Iscsi = "iscsi",
        /// The anaconda installer.
        Anaconda = "anaconda",
        /// Another iPXE script or boot program.
        Chain = "chain",
    }
}

impl Mode {
    /// This mode's bit in a [`Modes`](crate::schema::Modes) set.
    pub const fn bit(self) -> u8 {
        1 << self.ordinal()
    }
}

impl<'a> Boot<'a> {
    /// The mode of this boot.
    pub const fn mode(&self) -> Mode {
        match self {
            Boot::Deploy { .. } => Mode::Deploy,
            Boot::Local => Mode::Local,
            Boot::Ramdisk { .. } => Mode::Ramdisk,
            Boot::Iso { .. } => Mode::Iso,
            Boot::Iscsi { .. } => Mode::Iscsi,
            Boot::Anaconda { .. } => Mode::Anaconda,
            Boot::Chain { .. } => Mode::Chain,
        }
    }

    /// The images this boot loads, in load order (at most two).
    pub fn images(&self) -> [Option<&Image<'a>>; 2] {
        match self {
            Boot::Deploy { kernel, ramdisk }
            | Boot::Ramdisk { kernel, ramdisk }
            | Boot::Anaconda {
                kernel, ramdisk, ..
            } => [Some(kernel), Some(ramdisk)],
            Boot::Iso { iso } => [Some(iso), None],
            Boot::Local | Boot::Iscsi { .. } | Boot::Chain { .. } => [None, None],
        }
    }
}

/// A validated node: its values borrowed from the site document, validated when read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node<'a> {
    /// Its id (names its directory in the tree).
    pub id: NodeId<'a>,
    /// Host name for DHCP reservations (`hostname`), a DNS name.
    pub hostname: Option<&'a str>,
    /// Fixed IPv4 address for DHCP reservations (`ipv4`).
    pub ipv4: Option<core::net::Ipv4Addr>,
    /// Fixed IPv6 address for DHCPv6 reservations (`ipv6`).
    pub ipv6: Option<core::net::Ipv6Addr>,
    /// The machine's SMBIOS system UUID (`system_uuid`): DHCPv6 reservations are also keyed
    /// by the DUID iPXE builds from it (see [`SystemUuid`]).
    pub system_uuid: Option<SystemUuid>,
    /// Its NICs, at least one.
    pub nics: heapless::Vec<Nic, NICS_MAX>,
    /// Its firmware, where scripts differ.
    pub firmware: Firmware,
    /// What it boots.
    pub boot: Boot<'a>,
    /// Kernel arguments: the site's, then the node's own (none for modes without a kernel).
    pub kernel_args: NodeArgs<'a>,
    /// Download inactivity timeout in milliseconds (the site's unless the node sets one).
    pub timeout_ms: u32,
    /// Retries after the first attempt (the site's unless the node sets one).
    pub retries: u8,
    /// The template its config is written from (the node's own, else the site's), if any;
    /// else the built-in config: `ipxe_config_template`, or in the classic flow
    /// `pxe_config_template` (its PXELINUX config).
    pub config_template: Option<TemplateSlot<'a>>,
    /// In the classic flow, the template its GRUB config is written from
    /// (`grub_config_template`: the node's own, else the site's), if any.
    pub grub_config_template: Option<TemplateSlot<'a>>,
}

impl Node<'_> {
    /// The NICs that network boot.
    pub fn boot_nics(&self) -> impl Iterator<Item = &Nic> {
        self.nics.iter().filter(|n| n.pxe)
    }
}
