//! `ipxegen init`: writes a starter site document to edit.

use crate::commands::write_stdout;
use crate::failure::{EX_IOERR, Failure};
use crate::site_file::EMBEDDED_EXAMPLE;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Cannot create the output file (sysexits EX_CANTCREAT): it exists.
pub const EX_CANTCREAT: u8 = 73;

/// Arguments of `ipxegen init`.
#[derive(clap::Args)]
pub struct InitArgs {
    /// Where to write the site; `-` prints it on standard output.
    #[arg(default_value = "site.json")]
    file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

/// What to do next, on standard error (JSON has no comments).
fn guidance(name: &str) -> String {
    format!(
        "ipxegen: wrote {name}: the example site, to edit (JSON has no comments; the fields are in README.md, \"The site document\"):
  http_server        the URL iPXE clients fetch from (http://host:port[/prefix])
  http_root          the directory that server serves; `ipxegen build` writes the tree there
  tftp_server/_root  where the DHCP server's first stage loads the iPXE loaders (remove both for HTTP-only UEFI)
  deploy_kernel/_ramdisk, kernel_args   defaults for nodes of mode \"deploy\"
  nodes              one per machine: id, nics (MACs; {{\"mac\": ..., \"pxe\": false}} for a NIC that must not boot), mode
                     (deploy, local, ramdisk, iso, iscsi, anaconda, chain) and its fields
Then: ipxegen check {name}; ipxegen build {name} --dry-run; ipxegen build {name}
"
    )
}

/// Writes the file: under a temporary name, then linked into place, so an existing file
/// is never replaced without --force and never left half-written.
fn write_new(path: &Path, force: bool) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.ipxegen-tmp-{}", std::process::id()));
    let result = File::create_new(&temp)
        .and_then(|mut f| f.write_all(EMBEDDED_EXAMPLE).and_then(|()| f.sync_all()))
        .and_then(|()| {
            if force {
                fs::rename(&temp, path)
            } else {
                fs::hard_link(&temp, path)
            }
        });
    let _ = fs::remove_file(&temp);
    result
}

/// Writes the starter site; see the command's help.
pub fn run(args: &InitArgs) -> Result<(), Failure> {
    if args.file == Path::new("-") {
        return write_stdout(EMBEDDED_EXAMPLE);
    }
    let name = args.file.display().to_string();
    match write_new(&args.file, args.force) {
        Ok(()) => {
            eprint!("{}", guidance(&name));
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(Failure::new(
            EX_CANTCREAT,
            format!("{name}: already exists; give --force to replace it"),
        )),
        Err(e) => Err(Failure::new(EX_IOERR, format!("{name}: cannot write: {e}"))),
    }
}
