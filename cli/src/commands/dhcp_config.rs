//! `ipxegen dhcp [SITE] --format FORMAT`: one DHCP server's configuration on standard output.

use crate::commands::build::site_base;
use crate::commands::write_stdout;
use crate::failure::{EX_USAGE, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use crate::templates::Templates;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use embedded_io_adapters::std::FromStd;
use ipxegen_core::servers::Format;
use ipxegen_core::{Error, Site};
use std::path::PathBuf;

/// Arguments of `ipxegen dhcp [SITE] --format FORMAT`.
#[derive(clap::Args)]
pub struct ConfigArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    pub site: Option<PathBuf>,
    /// Which server's configuration to print.
    #[arg(long, short, required = true, value_parser = format_parser())]
    pub format: Option<Format>,
}

/// `--format` takes the ids of the core's [`Format`] list.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.id()).help(f.description())))
        .try_map(|id| Format::from_id(&id).ok_or("not a format ipxegen writes"))
}

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
    let templates = Templates::read(&site, &site_base(args.site.as_deref()));
    let files = templates.files();
    let site = site.with_templates(&files);
    let site = check_site(&file, &site, None, MissingFiles::Ignore)
        .refuse_if_problems(&file, "; no configuration written")?;
    let mut out = FromStd::new(Vec::new());
    format.write(&site, &mut out).map_err(fail)?;
    write_stdout(&out.into_inner())
}
