//! `ipxegen`: generate iPXE boot scripts and configs from a site description.
//!
//! The binary is glue: it parses arguments, reads files, calls `ipxegen-core` and writes the
//! result. Exit codes follow sysexits: 0 ok, 64 usage, 65 bad site data, 66 input missing or
//! unreadable, 74 output error.

mod commands;
mod failure;
mod input;
mod publish;
mod seen;
mod site_check;
mod site_file;
mod sources;
mod templates;
mod tree_writer;
mod write_behind;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Generate iPXE boot scripts, per-MAC configs and boot trees for network-booting machines
/// over HTTP, from one site description (JSON).
///
/// With no SITE, commands use the example site built into this binary (the same file as
/// examples/site.json in the source tree).
#[derive(Parser)]
#[command(name = "ipxegen", version = env!("IPXEGEN_VERSION"), propagate_version = true, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "\
Exit codes:
  0   success
  64  usage error (bad arguments)
  65  the site document is invalid, or names no such node
  66  the site file is missing or unreadable
  73  the output file exists (init without --force)
  74  writing the output failed";

#[derive(Subcommand)]
enum Command {
    /// Print the main iPXE script, or the config of one node.
    ///
    /// The main script (boot.ipxe) is what every iPXE client fetches first; it chains the
    /// per-MAC config of the first NIC that has one. A node's config loads its kernel and
    /// ramdisk (or boots its disk, ISO, iSCSI volume...) with timeouts and counted retries.
    #[command(
        after_help = "Examples:\n  ipxegen render\n  ipxegen render examples/site.json --mac 52:54:00:12:34:56\n  ipxegen render site.json --node rack1-node02 > config"
    )]
    Render(commands::render::RenderArgs),
    /// Check iPXE scripts with iPXE's own parsing rules.
    ///
    /// Reports `file:line:col: severity[rule]: message`: missing or malformed `#!ipxe`
    /// headers, gotos without labels, unknown commands and options, a single `|` meant as
    /// `||`, timeouts written in seconds, unhandled failures, ambiguous `${mac}`, `initrd=`
    /// missing for UEFI, and more.
    Lint(commands::lint::LintArgs),
    /// Print a DHCP server's configuration for network boot.
    ///
    /// iPXE gets the main script's URL; firmware that is not iPXE gets an iPXE loader by
    /// client architecture (TFTP for PXE, HTTP for UEFI HTTP boot); nodes that give ipv4,
    /// ipv6 or hostname get host reservations for their network-boot MACs. The ProxyDHCP
    /// format (dnsmasq-proxy) hands out no addresses: it answers PXE clients beside a DHCP
    /// server you do not control.
    #[command(
        after_help = "Examples:\n  ipxegen dhcp --format dnsmasq\n  ipxegen dhcp site.json --format kea4 > kea-dhcp4-boot.json\n  ipxegen dhcp site.json --format neutron\n  ipxegen dhcp site.json --format dnsmasq-proxy > ipxegen-proxy.conf"
    )]
    Dhcp(commands::dhcp::DhcpArgs),
    /// Write the boot tree into the site's HTTP root (and TFTP root), atomically.
    ///
    /// Writes the main script, each node's config, the per-MAC entries, the kernels,
    /// ramdisks and ISOs to place, the iPXE loaders, and a manifest with the size and
    /// SHA-256 of each file. Files are staged beside the tree and renamed into place, so a
    /// failed or killed build never leaves a half-written file; unchanged files are not
    /// rewritten; only files an earlier build made are ever removed.
    #[command(
        after_help = "Examples:\n  ipxegen build --out /tmp/example-tree\n  ipxegen build site.json --dry-run\n  ipxegen build site.json --links copy --json"
    )]
    Build(commands::build::BuildArgs),
    /// Publish the boot tree's HTTP root to OpenStack Swift or an S3 object store.
    ///
    /// Uploads the same files `build` writes to the HTTP root (per-MAC entries as copies of
    /// their node's config), only those not already right (by size and MD5, or the SHA-256
    /// each upload stores as metadata), in order: node configs and files, then per-MAC
    /// entries, then the main script; then deletes what the previous publish made and this
    /// one does not, and writes the manifest last. A rerun after a failure or a kill
    /// finishes the job. `http_server` must be the container's public URL (or a CDN's in
    /// front of it); the container must be readable by iPXE (Swift: X-Container-Read
    /// .r:*).
    #[command(after_help = "Examples:
  ipxegen publish site.json --to swift://boot
  ipxegen publish site.json --to s3://boot/site-a --endpoint http://192.0.2.10:8080 --dry-run
  ipxegen publish site.json --to swift://boot --json

Exit codes also: 69 the store is unreachable, keeps failing, or has no such container; 77 the credentials are refused.")]
    Publish(publish::PublishArgs),
    /// Write the boot tree's HTTP root as a tar archive (the same bytes on every run).
    #[command(
        after_help = "Examples:\n  ipxegen archive -o tree.tar\n  ipxegen archive site.json -o - | tar -t"
    )]
    Archive(commands::archive::ArchiveArgs),
    /// Check a site and report every problem, one line each.
    Check(commands::check::CheckArgs),
    /// Write a starter site document to edit.
    Init(commands::init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  ipxegen completions bash > ~/.local/share/bash-completion/completions/ipxegen\n  ipxegen completions zsh > ~/.zfunc/_ipxegen"
    )]
    Completions(commands::completions::CompletionsArgs),
    /// Write the man pages (ipxegen.1, ipxegen-SUBCOMMAND.1) into a directory.
    #[command(hide = true)]
    Manpages(commands::completions::ManpagesArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { failure::EX_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Render(args) => commands::render::run(&args),
        Command::Lint(args) => commands::lint::run(&args),
        Command::Dhcp(args) => commands::dhcp::run(&args),
        Command::Build(args) => commands::build::run(&args),
        Command::Archive(args) => commands::archive::run(&args),
        Command::Publish(args) => publish::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::Completions(args) => commands::completions::completions::<Cli>(&args),
        Command::Manpages(args) => commands::completions::manpages::<Cli>(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
