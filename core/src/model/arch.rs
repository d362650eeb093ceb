//! Client system architectures (DHCPv4 option 93, DHCPv6 option 61; RFC 4578 and the IANA
//! "Processor Architecture Types" registry) and the loader each one gets.
//!
//! Which loader each architecture gets is decided once, by the stage-1 rows of
//! [`crate::dhcp::table`].
//!
//! RFC 4578 first listed 7 as EFI BC and 9 as x64; the registry corrected it (7 = x64 UEFI,
//! 9 = EBC). Firmware in the field sends 7 for x64, and some sends 9, so both are taken as x64.

use crate::model::{Name, SiteConfig};

/// A client architecture code, as sent in option 93 (v4) or 61 (v6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientArch(pub u16);

/// The machine family a loader is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoaderKind {
    /// x86 legacy BIOS: `pxe_bootfile_name` (`undionly.kpxe`).
    Bios,
    /// x86-64 UEFI: `uefi_x64_bootfile_name` (`snponly.efi`).
    UefiX64,
    /// 64-bit ARM UEFI: `uefi_arm64_bootfile_name`.
    UefiArm64,
}

impl ClientArch {
    /// x86 BIOS.
    pub const BIOS: ClientArch = ClientArch(0);
    /// x86 UEFI (32-bit).
    pub const UEFI_IA32: ClientArch = ClientArch(6);
    /// x64 UEFI.
    pub const UEFI_X64: ClientArch = ClientArch(7);
    /// EBC; in the field, x64 UEFI (see the module docs).
    pub const UEFI_X64_ALT: ClientArch = ClientArch(9);
    /// ARM32 UEFI.
    pub const UEFI_ARM32: ClientArch = ClientArch(10);
    /// ARM64 UEFI.
    pub const UEFI_ARM64: ClientArch = ClientArch(11);
    /// x86 UEFI HTTP boot.
    pub const HTTP_IA32: ClientArch = ClientArch(15);
    /// x64 UEFI HTTP boot.
    pub const HTTP_X64: ClientArch = ClientArch(16);
    /// ARM32 UEFI HTTP boot.
    pub const HTTP_ARM32: ClientArch = ClientArch(18);
    /// ARM64 UEFI HTTP boot.
    pub const HTTP_ARM64: ClientArch = ClientArch(19);

    /// `true` for the UEFI HTTP-boot codes (15, 16, 18, 19, 26, 28, 40 and the rest of the
    /// registry's HTTP entries), which want an `http://` URL and vendor class `HTTPClient`.
    pub const fn is_http_boot(self) -> bool {
        matches!(self.0, 15 | 16 | 17 | 18 | 19 | 20 | 24 | 26 | 28 | 40)
    }

    /// A short name for messages (`x86 BIOS`, `x64 UEFI HTTP`, ...).
    pub const fn describe(self) -> &'static str {
        match self.0 {
            0 => "x86 BIOS",
            6 => "x86 UEFI",
            7 | 9 => "x64 UEFI",
            10 => "ARM32 UEFI",
            11 => "ARM64 UEFI",
            15 => "x86 UEFI HTTP",
            16 => "x64 UEFI HTTP",
            18 => "ARM32 UEFI HTTP",
            19 => "ARM64 UEFI HTTP",
            25 => "RISC-V 32 UEFI",
            26 => "RISC-V 32 UEFI HTTP",
            27 => "RISC-V 64 UEFI",
            28 => "RISC-V 64 UEFI HTTP",
            39 => "LoongArch64 UEFI",
            40 => "LoongArch64 UEFI HTTP",
            _ => "unknown architecture",
        }
    }
}

impl<'a> SiteConfig<'a> {
    /// The loader file name for a machine family.
    pub fn loader(&self, kind: LoaderKind) -> Name<'a> {
        match kind {
            LoaderKind::Bios => self.pxe_bootfile,
            LoaderKind::UefiX64 => self.uefi_x64_bootfile,
            LoaderKind::UefiArm64 => self.uefi_arm64_bootfile,
        }
    }
}
