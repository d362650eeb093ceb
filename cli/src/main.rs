//! `ipxegen`: generate iPXE boot scripts and configs from a site description.
//!
//! The binary is glue: it parses arguments, reads files, calls `ipxegen-core` and writes the
//! result. Exit codes follow sysexits: 0 ok, 64 usage, 65 bad site data, 66 input missing or
//! unreadable, 74 output error.

mod commands;
mod failure;
mod site_file;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Generate iPXE boot scripts, per-MAC configs and boot trees for network-booting machines
/// over HTTP, from one site description (JSON).
///
/// With no SITE, commands use the example site built into this binary (the same file as
/// examples/site.json in the source tree).
#[derive(Parser)]
#[command(name = "ipxegen", version, propagate_version = true, after_help = EXIT_CODES)]
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
