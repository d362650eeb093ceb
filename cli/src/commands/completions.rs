//! `ipxegen completions SHELL` (a completion script from the command's own clap definitions)
//! and the hidden `ipxegen manpages --out DIR` (a man page per subcommand, the same way), which
//! the Debian package is built with (`packaging/deb.sh`).

use crate::commands::write_stdout;
use crate::failure::{EX_IOERR, Failure};
use clap::CommandFactory;
use std::path::PathBuf;

/// Arguments of `ipxegen completions`.
#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Arguments of `ipxegen manpages`.
#[derive(clap::Args)]
pub struct ManpagesArgs {
    /// The directory to write `ipxegen.1` and `ipxegen-<subcommand>.1` into (created).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Prints the completion script of `args.shell`.
pub fn completions<C: CommandFactory>(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut command = C::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "ipxegen", &mut out);
    write_stdout(&out)
}

/// Writes the man pages.
pub fn manpages<C: CommandFactory>(args: &ManpagesArgs) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::new(
            EX_IOERR,
            format!("{}: cannot write: {e}", args.out.display()),
        )
    };
    std::fs::create_dir_all(&args.out).map_err(fail)?;
    let command = C::command();
    let write = |name: &str, page: clap::Command| -> Result<(), Failure> {
        let mut text = Vec::new();
        // NAME reads `ipxegen-build`, the page's own name; SYNOPSIS `ipxegen build`.
        let page = page.name(name.to_owned()).bin_name(name.replace('-', " "));
        clap_mangen::Man::new(page)
            .render(&mut text)
            .map_err(fail)?;
        std::fs::write(args.out.join(format!("{name}.1")), text).map_err(fail)
    };
    write("ipxegen", command.clone())?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write(&format!("ipxegen-{}", sub.get_name()), sub.clone())?;
    }
    Ok(())
}
