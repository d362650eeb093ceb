//! `ipxegen render`: the main script, or one node's config, on standard output; for a site
//! with `ipxe_enabled` false, the PXELINUX (or, with `--grub`, GRUB) config instead.

use crate::commands::build::site_base;
use crate::commands::write_stdout;
use crate::failure::{EX_DATAERR, EX_USAGE, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use crate::templates::Templates;
use embedded_io_adapters::std::FromStd;
use ipxegen_core::model::{MacAddr, Quoted};
use ipxegen_core::tree::{Script, write_script};
use ipxegen_core::{Error, ErrorKind, Site};
use std::path::PathBuf;

/// Arguments of `ipxegen render`.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// Print the config of the node with this id instead of the main script.
    #[arg(long, value_name = "ID", conflicts_with = "mac")]
    node: Option<String>,
    /// Print the config of the node that has this MAC address (aa:bb:cc:dd:ee:ff or
    /// aa-bb-cc-dd-ee-ff).
    #[arg(long, value_name = "MAC")]
    mac: Option<String>,
    /// For a site with `ipxe_enabled` false (PXELINUX and GRUB instead of iPXE): print the
    /// GRUB config (grub/grub.cfg, or the node's grub.cfg) instead of the PXELINUX one
    /// (pxelinux.cfg/default, or the node's config).
    #[arg(long)]
    grub: bool,
}

/// Checks the whole site as `check` does (the same problems, one line each; no node is
/// rendered from a site `check` refuses), then renders into memory, so a failure prints
/// nothing on standard output.
pub fn run(args: &RenderArgs) -> Result<(), Failure> {
    let file = read_site(args.site.as_deref())?;
    let fail = |e: Error| match (e.kind, &args.node, &args.mac) {
        (ErrorKind::NodeNotFound, Some(id), _) => Failure::new(
            EX_DATAERR,
            format!("{}: no node has id {}", file.name, Quoted(id)),
        ),
        (ErrorKind::NodeNotFound, None, Some(mac)) => Failure::new(
            EX_DATAERR,
            format!("{}: no node has a NIC with MAC {}", file.name, Quoted(mac)),
        ),
        _ => Failure::in_site(&file.name, &file.bytes, e),
    };
    let site = Site::parse(&file.bytes).map_err(fail)?;
    let templates = Templates::read(&site, &site_base(args.site.as_deref()));
    let files = templates.files();
    let site = site.with_templates(&files);
    let checked = check_site(&file, &site, None, MissingFiles::Ignore);
    if checked.errors > 0 {
        // Each problem is on standard error already, as `check` prints it.
        return Err(Failure::silent(EX_DATAERR));
    }
    let site = checked.refuse_if_problems(&file, "")?;
    let config = site.config();
    if args.grub && config.ipxe_enabled {
        return Err(Failure::new(
            EX_USAGE,
            format!(
                "--grub: {} boots through iPXE (ipxe_enabled is true): it has no GRUB configs",
                file.name
            ),
        ));
    }
    let node = match (&args.node, &args.mac) {
        (Some(id), _) => Some(site.node_by_id(id).map_err(fail)?),
        (None, Some(mac)) => {
            let mac = MacAddr::parse(mac)
                .map_err(|kind| Failure::new(EX_USAGE, format!("--mac {}: {kind}", Quoted(mac))))?;
            Some(site.node_by_mac(mac).map_err(fail)?)
        }
        (None, None) => None,
    };
    let script = match (&node, config.ipxe_enabled, args.grub) {
        (Some(node), true, _) => Script::Node(node),
        (None, true, _) => Script::Main,
        (Some(node), false, false) => Script::PxelinuxNode(node),
        (None, false, false) => Script::PxelinuxDefault,
        (Some(node), false, true) => Script::GrubNode(node),
        (None, false, true) => Script::GrubMain,
    };
    let mut out = FromStd::new(Vec::new());
    write_script(config, script, &mut out).map_err(fail)?;
    write_stdout(&out.into_inner())
}
