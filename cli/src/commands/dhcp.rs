//! `ipxegen dhcp`: DHCP server configs for a site, and the reply to a captured request.

use crate::commands::dhcp_config::ConfigArgs;
use crate::commands::dhcp_reply::ReplyArgs;
use crate::failure::Failure;
use clap::{Args, Subcommand};

/// Arguments of `ipxegen dhcp`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DhcpArgs {
    #[command(subcommand)]
    command: Option<DhcpCommand>,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Subcommand)]
enum DhcpCommand {
    /// Classify a captured DHCP request and print the reply a server should give it.
    Reply(ReplyArgs),
}

/// Runs `ipxegen dhcp`.
pub fn run(args: &DhcpArgs) -> Result<(), Failure> {
    match &args.command {
        Some(DhcpCommand::Reply(reply)) => super::dhcp_reply::run(reply),
        None => super::dhcp_config::run(&args.config),
    }
}
