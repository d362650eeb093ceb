//! A node: its NICs, its boot mode and the files it boots.

use crate::limits::{CHAP_MAX, IQN_MAX, ISCSI_TARGETS_MAX, NICS_MAX};
use crate::model::{Host, KernelArgs, LocalPath, MacAddr, NodeId, Url};

/// A network interface of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A local file, placed in the tree beside the node's config and fetched from there.
    File(LocalPath),
    /// An absolute URL, fetched as it is.
    Url(Url),
}

/// An image the node loads, with where it comes from and the name it has beside the config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// Where it comes from.
    pub source: Source,
    /// Its file name in `<id>/` when placed (`deploy_kernel`, `ramdisk`, `boot_iso`, ...), and
    /// the iPXE image name it is loaded under.
    pub name: &'static str,
}

/// An iSCSI qualified name (`iqn.2010-04.org.example:volume`, `eui.`, `naa.`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Iqn(pub(crate) heapless::String<IQN_MAX>);

impl Iqn {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A CHAP user name or secret: a safe iPXE literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChapValue(pub(crate) heapless::String<CHAP_MAX>);

impl ChapValue {
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// CHAP credentials for one target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chap {
    /// User name.
    pub username: ChapValue,
    /// Secret.
    pub password: ChapValue,
}

/// One iSCSI target (one `sanhook` drive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IscsiTarget {
    /// The target portal.
    pub server: Host,
    /// TCP port, if not 3260.
    pub port: Option<u16>,
    /// Logical unit number.
    pub lun: u32,
    /// Target name.
    pub iqn: Iqn,
    /// CHAP credentials, if the target wants them.
    pub chap: Option<Chap>,
}

/// The installer's source of packages (anaconda `inst.repo=`) or of its second stage only
/// (`inst.stage2=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallSource {
    /// `inst.repo=<url>`
    Repo(Url),
    /// `inst.stage2=<url>`
    Stage2(Url),
}

/// What a node boots, with everything that mode needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Boot {
    /// The deploy ramdisk (Ironic's agent): kernel and ramdisk over HTTP.
    Deploy {
        /// The deploy kernel (`deploy_kernel`).
        kernel: Image,
        /// The deploy ramdisk (`deploy_ramdisk`).
        ramdisk: Image,
    },
    /// Boot from the local disk (`sanboot --no-describe` on BIOS, `exit` to the firmware on UEFI).
    Local,
    /// A kernel and a RAM disk as root file system (`root=/dev/ram0`).
    Ramdisk {
        /// The kernel (`kernel`).
        kernel: Image,
        /// The RAM disk (`ramdisk`).
        ramdisk: Image,
    },
    /// An ISO image booted with `sanboot`.
    Iso {
        /// The ISO (`boot_iso`).
        iso: Image,
    },
    /// Boot from iSCSI volumes: `sanhook` each target on drives 0x80, 0x81, ..., `sanboot` 0x80.
    Iscsi {
        /// Targets, in drive order.
        targets: heapless::Vec<IscsiTarget, ISCSI_TARGETS_MAX>,
        /// The initiator name to present, if set.
        initiator_iqn: Option<Iqn>,
    },
    /// The anaconda installer with a kickstart file.
    Anaconda {
        /// The installer kernel (`kernel`).
        kernel: Image,
        /// The installer initrd (`ramdisk`).
        ramdisk: Image,
        /// `inst.ks=<url>`
        kickstart: Url,
        /// Package repository or second stage.
        source: InstallSource,
    },
    /// Chain another iPXE script or EFI/PXE binary.
    Chain {
        /// What to chain.
        url: Url,
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

impl Boot {
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
    pub fn images(&self) -> [Option<&Image>; 2] {
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

/// A validated node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its id (names its directory in the tree).
    pub id: NodeId,
    /// Host name for DHCP reservations (`hostname`), a DNS name.
    pub hostname: Option<heapless::String<{ crate::limits::HOST_MAX }>>,
    /// Fixed IPv4 address for DHCP reservations (`ipv4`).
    pub ipv4: Option<core::net::Ipv4Addr>,
    /// Fixed IPv6 address for DHCPv6 reservations (`ipv6`).
    pub ipv6: Option<core::net::Ipv6Addr>,
    /// Its NICs, at least one.
    pub nics: heapless::Vec<Nic, NICS_MAX>,
    /// Its firmware, where scripts differ.
    pub firmware: Firmware,
    /// What it boots.
    pub boot: Boot,
    /// Kernel arguments: the site's, then the node's own.
    pub kernel_args: KernelArgs,
    /// Download inactivity timeout in milliseconds (the site's unless the node sets one).
    pub timeout_ms: u32,
    /// Retries after the first attempt (the site's unless the node sets one).
    pub retries: u8,
}

impl Node {
    /// The NICs that network boot.
    pub fn boot_nics(&self) -> impl Iterator<Item = &Nic> {
        self.nics.iter().filter(|n| n.pxe)
    }

    /// The MAC the kernel is told it booted from (`BOOTIF=`): the first network-boot NIC.
    pub fn boot_mac(&self) -> Option<MacAddr> {
        self.boot_nics().next().map(|n| n.mac)
    }
}
