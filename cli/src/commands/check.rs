//! `ipxegen check`: validates a whole site and reports every problem, one line each.

use crate::commands::build::site_base;
use crate::commands::write_stdout;
use crate::failure::Failure;
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use crate::sources::Sources;
use crate::templates::Templates;
use ipxegen_core::Site;
use std::path::PathBuf;

/// Arguments of `ipxegen check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// List kernels, ramdisks and ISOs that cannot be read as files to place by hand
    /// instead of as errors (always so for the built-in example).
    #[arg(long)]
    allow_missing: bool,
}

/// Checks the site: every node, duplicate ids and MACs, names that collide, and the local
/// files the nodes name. Problems go to standard error, one line each, and exit 65; a
/// good site prints one line on standard output.
pub fn run(args: &CheckArgs) -> Result<(), Failure> {
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let mut sources = Sources::new(site_base(args.site.as_deref()));
    let missing = MissingFiles::for_site(args.site.as_deref(), args.allow_missing);
    let templates = Templates::read(&site, &site_base(args.site.as_deref()));
    let files = templates.files();
    let site = site.with_templates(&files);
    let checked = check_site(&file, &site, Some(&mut sources), missing);
    let (nodes, by_hand) = (checked.nodes, checked.by_hand.clone());
    checked.refuse_if_problems(&file, "")?;
    let mut text = format!(
        "{}: ok ({} node{})\n",
        file.name,
        nodes,
        if nodes == 1 { "" } else { "s" }
    );
    for (field, source, why) in &by_hand {
        text.push_str(&format!("to place by hand: {field}: {source} ({why})\n"));
    }
    write_stdout(text.as_bytes())
}
