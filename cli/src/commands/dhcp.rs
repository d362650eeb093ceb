//! `ipxegen dhcp`: DHCP server configs for a site, and the reply to a captured request.

use crate::failure::Failure;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Arguments of `ipxegen dhcp`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DhcpArgs {
    #[command(subcommand)]
    command: Option<DhcpCommand>,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Arguments of `ipxegen dhcp [SITE] --format FORMAT`.
#[derive(Args)]
pub struct ConfigArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    pub site: Option<PathBuf>,
    /// Which server's configuration to print.
    #[arg(long, short, value_enum, required = true)]
    pub format: Option<ConfigFormat>,
}

/// The DHCP server configurations ipxegen writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConfigFormat {
    /// dnsmasq (DHCPv4 and DHCPv6), for `conf-file=` or `-C`.
    Dnsmasq,
    /// ISC dhcpd, dhcpd.conf (DHCPv4).
    Isc,
    /// ISC dhcpd -6, dhcpd6.conf (DHCPv6).
    Isc6,
    /// Kea kea-dhcp4 (JSON).
    Kea4,
    /// Kea kea-dhcp6 (JSON).
    Kea6,
    /// OpenStack Neutron `extra_dhcp_opts` for each boot NIC's port (JSON).
    Neutron,
}

#[derive(Subcommand)]
enum DhcpCommand {
    /// Classify a captured DHCP request and print the reply a server should give it.
    Reply(super::dhcp_reply::ReplyArgs),
}

/// Runs `ipxegen dhcp`.
pub fn run(args: &DhcpArgs) -> Result<(), Failure> {
    match &args.command {
        Some(DhcpCommand::Reply(reply)) => super::dhcp_reply::run(reply),
        None => super::dhcp_config::run(&args.config),
    }
}
