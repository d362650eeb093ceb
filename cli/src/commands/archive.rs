//! `ipxegen archive`: the HTTP root of a site's tree as one tar archive, the same bytes on
//! every run (see `ipxegen_core::archive`).

use crate::failure::{EX_IOERR, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use ipxegen_core::archive::{
    KeptDigests, LinkMode, NO_DIGEST, digest_room, write_tree_archive_keeping,
};
use ipxegen_core::{CheckedSite, Site};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// How per-MAC entries are stored in the archive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ArchiveLinks {
    /// Symbolic links to `../<id>/config` (Ironic's layout).
    #[default]
    Symlink,
    /// Copies of the config.
    Copy,
}

/// Arguments of `ipxegen archive`.
#[derive(clap::Args)]
pub struct ArchiveArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// Where to write the archive; `-` is standard output. A file is written under a
    /// temporary name beside it and renamed when complete.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// How per-MAC entries are stored.
    #[arg(long, value_enum, default_value_t = ArchiveLinks::Symlink)]
    links: ArchiveLinks,
}

/// An `embedded_io::Write` over a `std::io::Write` that keeps the I/O error for the message.
struct Sink<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> embedded_io::ErrorType for Sink<W> {
    type Error = embedded_io::ErrorKind;
}

impl<W: Write> embedded_io::Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        match self.inner.write_all(buf) {
            Ok(()) => Ok(buf.len()),
            Err(e) => {
                self.error = Some(e);
                Err(embedded_io::ErrorKind::Other)
            }
        }
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

fn write_archive<W: Write>(site: &CheckedSite<'_>, links: LinkMode, inner: W) -> io::Result<W> {
    let mut sink = Sink { inner, error: None };
    // Room for every script's digest (40 bytes a node), so no script is rendered twice.
    let mut digests = vec![NO_DIGEST; digest_room(site)];
    let kept = &mut KeptDigests::new(&mut digests);
    if let Err(e) = write_tree_archive_keeping(site, links, kept, &mut sink) {
        return Err(sink
            .error
            .take()
            .unwrap_or_else(|| io::Error::other(e.to_string())));
    }
    sink.inner.flush()?;
    Ok(sink.inner)
}

/// The temporary file `path` is written as: a hidden name beside it.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.ipxegen-tmp-{}", std::process::id()))
}

/// Writes the archive; see the command's help.
pub fn run(args: &ArchiveArgs) -> Result<(), Failure> {
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let site = check_site(&file, &site, None, MissingFiles::Ignore)
        .refuse_if_problems(&file, "; no archive written")?;
    let links = match args.links {
        ArchiveLinks::Symlink => LinkMode::Symlink,
        ArchiveLinks::Copy => LinkMode::Copy,
    };
    if args.output == Path::new("-") {
        let stdout = io::stdout();
        return match write_archive(
            &site,
            links,
            BufWriter::with_capacity(256 * 1024, stdout.lock()),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Failure::new(
                EX_IOERR,
                format!("(stdout): cannot write: {e}"),
            )),
        };
    }
    let out = &args.output;
    // Character devices (/dev/null) and pipes are written directly; a rename cannot replace them.
    let special = fs::metadata(out).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let fail =
        |e: io::Error| Failure::new(EX_IOERR, format!("{}: cannot write: {e}", out.display()));
    if special {
        let f = File::options().write(true).open(out).map_err(fail)?;
        return write_archive(&site, links, BufWriter::with_capacity(256 * 1024, f))
            .map(|_| ())
            .map_err(fail);
    }
    let temp = temp_path(out);
    let written = File::create_new(&temp)
        .and_then(|f| write_archive(&site, links, BufWriter::with_capacity(256 * 1024, f)))
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .and_then(|f| f.sync_all())
        .and_then(|()| fs::rename(&temp, out));
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        fail(e)
    })
}
