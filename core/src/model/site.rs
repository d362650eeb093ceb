//! The site-wide settings (everything in the site document except `nodes`).

use crate::classic::template::Classic;
use crate::error::{Error, ErrorKind, Result};
use crate::ipxe::template::Ipxe;
use crate::model::{
    AnyTemplate, Host, HttpBase, KernelArgs, Loaded, LocalPath, Name, Source, TemplateFile,
    TemplateSlot, Url,
};
use crate::template::Template;

word_enum! {
    /// What a node config does when its downloads still fail after every retry.
    #[derive(Default)]
    pub enum OnRetriesExhausted {
        /// Power the node off (halts if this iPXE build has no `poweroff`), so a broken node
        /// stops asking the server.
        #[default]
        PowerOff = "poweroff",
        /// Reboot the node and start over.
        Reboot = "reboot",
    }
}

/// A fallback script: a URL, or a file name relative to the main script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptRef<'a> {
    /// An absolute URL.
    Url(Url<'a>),
    /// A name in the HTTP root, chained relative to the main script.
    Relative(Name<'a>),
}

/// The validated site settings, borrowed from the site document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig<'a> {
    /// `true` (the default) when nodes boot through iPXE (`ipxe_enabled`); `false` for the
    /// classic TFTP flow: PXELINUX for BIOS, GRUB for UEFI, no iPXE stage (see
    /// [`crate::classic`]).
    pub ipxe_enabled: bool,
    /// Base URL of the HTTP root (`http_server`).
    pub http_base: HttpBase<'a>,
    /// The directory the HTTP server serves (`http_root`).
    pub http_root: LocalPath<'a>,
    /// The main script's file name (`ipxe_boot_script`, default `boot.ipxe`).
    pub boot_script: Name<'a>,
    /// The TFTP server address (`tftp_server`), for DHCP.
    pub tftp_server: Option<Host<'a>>,
    /// The directory the TFTP server serves (`tftp_root`).
    pub tftp_root: Option<LocalPath<'a>>,
    /// BIOS loader (`pxe_bootfile_name`, default `undionly.kpxe`; `pxelinux.0` when
    /// `ipxe_enabled` is false).
    pub pxe_bootfile: Name<'a>,
    /// UEFI x64 loader (`uefi_x64_bootfile_name`, default `snponly.efi`; `grubnetx64.efi`
    /// when `ipxe_enabled` is false).
    pub uefi_x64_bootfile: Name<'a>,
    /// UEFI ARM64 loader (`uefi_arm64_bootfile_name`, default `snponly-arm64.efi`).
    pub uefi_arm64_bootfile: Name<'a>,
    /// Per-MAC config directory (`per_mac_dir`, default `pxelinux.cfg`).
    pub per_mac_dir: Name<'a>,
    /// Download inactivity timeout in ms (`timeout_ms`, default 60000).
    pub timeout_ms: u32,
    /// Retries after the first attempt (`retries`, default 3).
    pub retries: u8,
    /// What to do after the last retry (`on_retries_exhausted`).
    pub on_retries_exhausted: OnRetriesExhausted,
    /// Chained when no NIC has a config (`ipxe_fallback_script`).
    pub fallback: Option<ScriptRef<'a>>,
    /// Kernel arguments for every node (`kernel_args`).
    pub kernel_args: KernelArgs<'a>,
    /// Default deploy kernel for `deploy` nodes (`deploy_kernel`).
    pub deploy_kernel: Option<Source<'a>>,
    /// Default deploy ramdisk for `deploy` nodes (`deploy_ramdisk`).
    pub deploy_ramdisk: Option<Source<'a>>,
    /// The template of the main script (`ipxe_boot_script_template`), if any.
    pub boot_script_template: Option<TemplateSlot<'a>>,
    /// The template of every node's config, unless a node names its own: its iPXE config
    /// (`ipxe_config_template`), or in the classic flow its PXELINUX config
    /// (`pxe_config_template`).
    pub config_template: Option<TemplateSlot<'a>>,
    /// In the classic flow, the template of every node's GRUB config
    /// (`grub_config_template`), unless a node names its own.
    pub grub_config_template: Option<TemplateSlot<'a>>,
    /// The template files a front end loaded for the site ([`crate::Site::with_templates`]);
    /// none until then.
    pub templates: &'a [TemplateFile<'a>],
}

impl<'a> SiteConfig<'a> {
    /// The template `slot` names, from the files the front end loaded.
    ///
    /// # Errors
    /// At `slot`'s field: [`ErrorKind::TemplateNotLoaded`] when no file was loaded for it,
    /// [`ErrorKind::Template`] or [`ErrorKind::TemplateUnreadable`] when the file is not a
    /// valid template (the whole-site check reports these; a checked site has none).
    pub fn template(&self, slot: &TemplateSlot<'_>) -> Result<&AnyTemplate<'a>> {
        let fail = |kind| Error::at(kind, slot.field);
        let file = self
            .templates
            .iter()
            .find(|file| file.is_for(slot))
            .ok_or_else(|| fail(ErrorKind::TemplateNotLoaded))?;
        match file.loaded() {
            Loaded::Template(template) => Ok(template),
            Loaded::Invalid(e) => Err(fail(ErrorKind::Template(*e))),
            Loaded::Unreadable(_) => Err(fail(ErrorKind::TemplateUnreadable)),
        }
    }

    /// The iPXE template `slot` names (see [`SiteConfig::template`]).
    ///
    /// # Errors
    /// As [`SiteConfig::template`]; [`ErrorKind::Internal`] for a classic template.
    pub fn ipxe_template(&self, slot: &TemplateSlot<'_>) -> Result<&Template<'a, Ipxe>> {
        match self.template(slot)? {
            AnyTemplate::Ipxe(template) => Ok(template),
            AnyTemplate::Classic(_) => Err(Error::at(ErrorKind::Internal, slot.field)),
        }
    }

    /// The PXELINUX or GRUB template `slot` names (see [`SiteConfig::template`]).
    ///
    /// # Errors
    /// As [`SiteConfig::template`]; [`ErrorKind::Internal`] for an iPXE template.
    pub fn classic_template(&self, slot: &TemplateSlot<'_>) -> Result<&Template<'a, Classic>> {
        match self.template(slot)? {
            AnyTemplate::Classic(template) => Ok(template),
            AnyTemplate::Ipxe(_) => Err(Error::at(ErrorKind::Internal, slot.field)),
        }
    }
}
