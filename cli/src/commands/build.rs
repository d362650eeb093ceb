//! `ipxegen build`: the boot tree of a site, written into its HTTP root (and TFTP root),
//! atomically and idempotently (see `tree_writer` for how).

use crate::commands::json_string;
use crate::failure::{EX_DATAERR, EX_IOERR, EX_USAGE, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::{SiteFile, read_site};
use crate::sources::Sources;
use crate::templates::Templates;
use crate::tree_writer::{Action, Links, Options, Summary, build_tree};
use indicatif::{ProgressBar, ProgressStyle};
use ipxegen_core::model::{Quoted, SiteConfig};
use ipxegen_core::tree::Root;
use ipxegen_core::{Site, raw_node_id};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Nodes from which a terminal shows a progress bar.
const PROGRESS_FROM_NODES: usize = 2000;

/// Arguments of `ipxegen build`.
#[derive(clap::Args)]
pub struct BuildArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example
    /// (its missing kernels are listed as files to place by hand).
    site: Option<PathBuf>,
    /// Write the HTTP root to DIR/http and the TFTP root to DIR/tftp instead of the site's
    /// `http_root` and `tftp_root`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How per-MAC entries and placed files are made.
    #[arg(long, value_enum, default_value_t = Links::Symlink)]
    links: Links,
    /// Directory the loaders are copied from; give it more than once to search several, in
    /// order: a loader NAME is the first DIR/NAME, or DIR/NAME.signed (Debian's name for its
    /// signed EFI binaries), that exists. Default: /usr/lib/ipxe (Debian's `ipxe`); for a
    /// site with `ipxe_enabled` false, /usr/lib/PXELINUX, /usr/lib/syslinux/modules/bios and
    /// /usr/lib/grub/x86_64-efi-signed (Debian's `pxelinux`, `syslinux-common` and
    /// `grub-efi-amd64-signed`). A loader missing there is a warning, not an error.
    #[arg(long, value_name = "DIR")]
    loaders: Vec<PathBuf>,
    /// Print what would be created, updated and removed, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print a JSON summary on standard output instead of text.
    #[arg(long)]
    json: bool,
    /// List kernels, ramdisks and ISOs that cannot be read as files to place by hand,
    /// instead of refusing the build.
    #[arg(long)]
    allow_missing: bool,
    /// Do not flush the staged files to disk before swapping them in (faster; a power cut
    /// during the build may then leave empty files).
    #[arg(long)]
    no_sync: bool,
}

/// The directory relative paths of a site are relative to: the site file's own.
pub fn site_base(site: Option<&Path>) -> PathBuf {
    let dir = match site {
        Some(p) if p != Path::new("-") => p.parent().unwrap_or(Path::new("")),
        _ => Path::new(""),
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// The roots to write: the site's, or `--out`'s `http` and `tftp`.
fn roots(
    args: &BuildArgs,
    config: &SiteConfig<'_>,
    base: &Path,
    site_name: &str,
) -> Result<(PathBuf, Option<PathBuf>), Failure> {
    // Roots the site names are its fault (65); `--out`'s are the command line's (64).
    let (code, prefix) = match &args.out {
        Some(_) => (EX_USAGE, String::new()),
        None => (EX_DATAERR, format!("{site_name}: ")),
    };
    let (http, tftp) = match &args.out {
        Some(out) => {
            let out = std::path::absolute(out).unwrap_or_else(|_| out.clone());
            (
                out.join("http"),
                config.tftp_root.as_ref().map(|_| out.join("tftp")),
            )
        }
        None => (
            base.join(config.http_root.to_string()),
            config.tftp_root.as_ref().map(|t| base.join(t.to_string())),
        ),
    };
    let normal = |p: &Path| -> PathBuf { p.components().collect() };
    let (http_n, tftp_n) = (normal(&http), tftp.as_deref().map(normal));
    if http_n.parent().is_none() || tftp_n.as_ref().is_some_and(|t| t.parent().is_none()) {
        return Err(Failure::new(
            code,
            format!("{prefix}refusing to build into / (set http_root, tftp_root or --out)"),
        ));
    }
    if let Some(t) = &tftp_n
        && (t.starts_with(&http_n) || http_n.starts_with(t))
    {
        return Err(Failure::new(
            code,
            format!(
                "{prefix}tftp_root {} and http_root {} must be separate directories, neither inside the other",
                Quoted(&t.to_string_lossy()),
                Quoted(&http_n.to_string_lossy())
            ),
        ));
    }
    Ok((http_n, tftp_n))
}

/// Where Debian's `ipxe` package puts the iPXE loaders.
pub const IPXE_LOADERS: &str = "/usr/lib/ipxe";

/// Where Debian puts the classic flow's loaders: `pxelinux.0` (`pxelinux`), `ldlinux.c32`
/// (`syslinux-common`), `grubnetx64.efi.signed` (`grub-efi-amd64-signed`).
pub const CLASSIC_LOADERS: [&str; 3] = [
    "/usr/lib/PXELINUX",
    "/usr/lib/syslinux/modules/bios",
    "/usr/lib/grub/x86_64-efi-signed",
];

/// The loader directories to search: `--loaders` (made absolute), else Debian's for the
/// site's flow.
pub fn loader_dirs(given: &[PathBuf], ipxe_enabled: bool) -> Vec<PathBuf> {
    if !given.is_empty() {
        return given
            .iter()
            .map(|dir| std::path::absolute(dir).unwrap_or_else(|_| dir.clone()))
            .collect();
    }
    if ipxe_enabled {
        vec![PathBuf::from(IPXE_LOADERS)]
    } else {
        CLASSIC_LOADERS.iter().map(PathBuf::from).collect()
    }
}

pub fn progress_bar(nodes: usize, json: bool) -> ProgressBar {
    if json || nodes < PROGRESS_FROM_NODES || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(nodes).unwrap_or(u64::MAX));
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} nodes {eta}") {
        bar.set_style(style);
    }
    bar
}

/// Builds the tree; see the command's help.
pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let base = site_base(args.site.as_deref());
    let mut sources = Sources::new(base.clone());
    let missing = MissingFiles::for_site(args.site.as_deref(), args.allow_missing);
    let templates = Templates::read(&site, &base);
    let files = templates.files();
    let site = site.with_templates(&files);
    let site = check_site(&file, &site, Some(&mut sources), missing)
        .refuse_if_problems(&file, "; nothing was written")?;
    let (http_root, tftp_root) = roots(args, site.config(), &base, &file.name)?;
    let loaders = loader_dirs(&args.loaders, site.config().ipxe_enabled);
    let opts = Options {
        http_root,
        tftp_root,
        links: args.links,
        loaders,
        dry_run: args.dry_run,
        sync: !args.no_sync,
        progress: progress_bar(site.node_count(), args.json),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut first_change = true;
    if args.json && args.dry_run {
        let _ = write!(out, "{{\"dry_run\": true, \"changes\": [");
    }
    let (json, dry) = (args.json, args.dry_run);
    let mut on_change = |action: Action, root: Root, path: &str| {
        if !dry {
            return;
        }
        let _ = if json {
            let sep = if first_change { "\n  " } else { ",\n  " };
            write!(
                out,
                "{sep}{{\"action\": \"{}\", \"root\": \"{}\", \"path\": {}}}",
                action.as_str(),
                root.as_str(),
                json_string(path)
            )
        } else {
            writeln!(out, "{} {} {path}", action.as_str(), root.as_str())
        };
        first_change = false;
    };
    let summary = build_tree(&site, &mut sources, &opts, &mut on_change).map_err(|e| {
        let node = e
            .node
            .and_then(|i| raw_node_id(&file.bytes, i))
            .map(|id| format!("node {}: ", Quoted(id)))
            .unwrap_or_default();
        Failure::new(e.code, format!("{}: {node}{}", file.name, e.message))
    })?;
    let printed = if args.json {
        if args.dry_run {
            let _ = write!(out, "\n], ");
        } else {
            let _ = write!(out, "{{\"dry_run\": false, ");
        }
        write_json_summary(&mut out, &file, &opts, &summary)
    } else {
        write_text_summary(&mut out, &file, &opts, &summary, site.config().ipxe_enabled)
    };
    printed
        .and_then(|()| out.flush())
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Ok(()),
            _ => Err(Failure::new(
                EX_IOERR,
                format!("(stdout): cannot write: {e}"),
            )),
        })
}

fn write_text_summary(
    out: &mut impl Write,
    file: &SiteFile,
    opts: &Options,
    s: &Summary,
    ipxe_enabled: bool,
) -> std::io::Result<()> {
    let into = match &opts.tftp_root {
        Some(t) => format!("{} and {}", opts.http_root.display(), t.display()),
        None => opts.http_root.display().to_string(),
    };
    let verb = if opts.dry_run { "would build" } else { "built" };
    writeln!(
        out,
        "{verb} {} into {into}: {} created, {} updated, {} removed, {} unchanged",
        file.name, s.created, s.updated, s.removed, s.unchanged
    )?;
    for item in &s.by_hand {
        let more = match item.count {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let (root, path) = (item.first.0.as_str(), &item.first.1);
        if item.loader {
            let packages = if ipxe_enabled {
                "Debian's ipxe package installs the loaders"
            } else {
                "Debian's pxelinux, syslinux-common and grub-efi-amd64-signed packages install them"
            };
            writeln!(
                out,
                "warning: loader {} not found ({}): place it by hand as {root} {path}{more} ({packages}; or give --loaders DIR)",
                item.source.display(),
                item.reason
            )?;
        } else {
            writeln!(
                out,
                "to place by hand: {} ({}) as {root} {path}{more}",
                item.source.display(),
                item.reason
            )?;
        }
    }
    Ok(())
}

fn write_json_summary(
    out: &mut impl Write,
    file: &SiteFile,
    opts: &Options,
    s: &Summary,
) -> std::io::Result<()> {
    let path = |p: &Path| json_string(&p.display().to_string());
    write!(
        out,
        "\"site\": {}, \"http_root\": {}, \"tftp_root\": {}, \"links\": \"{}\", \"created\": {}, \"updated\": {}, \"removed\": {}, \"unchanged\": {}, \"by_hand\": [",
        json_string(&file.name),
        path(&opts.http_root),
        opts.tftp_root
            .as_deref()
            .map_or_else(|| "null".into(), path),
        opts.links.as_str(),
        s.created,
        s.updated,
        s.removed,
        s.unchanged
    )?;
    for (i, item) in s.by_hand.iter().enumerate() {
        write!(
            out,
            "{}{{\"kind\": \"{}\", \"source\": {}, \"reason\": {}, \"root\": \"{}\", \"path\": {}, \"count\": {}}}",
            if i == 0 { "\n  " } else { ",\n  " },
            if item.loader { "loader" } else { "file" },
            path(&item.source),
            json_string(&item.reason),
            item.first.0.as_str(),
            json_string(&item.first.1),
            item.count
        )?;
    }
    writeln!(out, "{}]}}", if s.by_hand.is_empty() { "" } else { "\n" })
}
