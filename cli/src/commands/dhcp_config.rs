//! `ipxegen dhcp [SITE] --format FORMAT`: one DHCP server's configuration on standard output.

use super::dhcp::{ConfigArgs, ConfigFormat};
use crate::commands::write_stdout;
use crate::failure::{EX_USAGE, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use embedded_io_adapters::std::FromStd;
use ipxegen_core::{Error, Site, servers};

/// Validates the whole site, then renders into memory, so a failure prints nothing on
/// standard output.
pub fn run(args: &ConfigArgs) -> Result<(), Failure> {
    let format = args
        .format
        .ok_or_else(|| Failure::new(EX_USAGE, "--format is required"))?;
    let file = read_site(args.site.as_deref())?;
    let fail = |e: Error| Failure::in_site(&file.name, &file.bytes, e);
    let site = Site::parse(&file.bytes).map_err(fail)?;
    // Every node valid, no id or MAC twice (servers refuse duplicate reservations).
    check_site(&file, &site, None, MissingFiles::Ignore)
        .refuse_if_problems(&file, "; no configuration written")?;
    let mut out = FromStd::new(Vec::new());
    match format {
        ConfigFormat::Dnsmasq => servers::write_dnsmasq_config(&site, &mut out),
        ConfigFormat::Isc => servers::write_isc_dhcpd_config(&site, &mut out),
        ConfigFormat::Isc6 => servers::write_isc_dhcpd6_config(&site, &mut out),
        ConfigFormat::Kea4 => servers::write_kea_dhcp4_config(&site, &mut out),
        ConfigFormat::Kea6 => servers::write_kea_dhcp6_config(&site, &mut out),
        ConfigFormat::Neutron => servers::write_neutron_extra_dhcp_opts(&site, &mut out),
    }
    .map_err(fail)?;
    write_stdout(&out.into_inner())
}
