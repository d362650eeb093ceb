//! `ipxegen archive`: the HTTP root of a site's tree as one tar archive, the same bytes on
//! every run (see `ipxegen_core::archive`).

use crate::commands::build::site_base;
use crate::failure::{EX_IOERR, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use crate::templates::Templates;
use crate::write_behind::WriteBehind;
use ipxegen_core::ErrorKind;
use ipxegen_core::archive::{LinkMode, ManifestSpool, write_tree_archive_spooled};
use ipxegen_core::{CheckedSite, Site};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
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

/// The manifest, spooled in an unnamed temporary file while the other entries are written.
type FileSpool = Sink<BufWriter<File>>;

impl ManifestSpool for FileSpool {
    fn replay(
        &mut self,
        chunk: &mut dyn FnMut(&[u8]) -> ipxegen_core::Result<()>,
    ) -> ipxegen_core::Result<()> {
        let failed = |spool: &mut FileSpool, e: io::Error| {
            spool.error = Some(e);
            ipxegen_core::Error::new(ErrorKind::Write(embedded_io::ErrorKind::Other))
        };
        if let Err(e) = self.inner.flush() {
            return Err(failed(self, e));
        }
        let file = self.inner.get_mut();
        if let Err(e) = file.seek(SeekFrom::Start(0)) {
            return Err(failed(self, e));
        }
        let mut buf = vec![0u8; SPOOL_CHUNK];
        loop {
            match self.inner.get_mut().read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => chunk(buf.get(..n).unwrap_or_default())?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(failed(self, e)),
            }
        }
    }
}

/// Bytes the spool is read back by.
const SPOOL_CHUNK: usize = 256 * 1024;

/// Writes the archive into `inner`, spooling the manifest in a temporary file in `spool_dir`.
fn write_archive<W: Write>(
    site: &CheckedSite<'_>,
    links: LinkMode,
    spool_dir: &Path,
    inner: W,
) -> io::Result<W> {
    let spool = tempfile::tempfile_in(spool_dir).map_err(|e| {
        let dir = spool_dir.display();
        io::Error::new(
            e.kind(),
            format!("cannot create a temporary file in {dir}: {e}"),
        )
    })?;
    let mut spool = Sink {
        inner: BufWriter::with_capacity(SPOOL_CHUNK, spool),
        error: None,
    };
    let mut sink = Sink { inner, error: None };
    if let Err(e) = write_tree_archive_spooled(site, links, &mut spool, &mut sink) {
        return Err(sink
            .error
            .take()
            .or_else(|| {
                spool
                    .error
                    .take()
                    .map(|e| io::Error::other(format!("(temporary file of the manifest): {e}")))
            })
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
    let templates = Templates::read(&site, &site_base(args.site.as_deref()));
    let files = templates.files();
    let site = site.with_templates(&files);
    let site = check_site(&file, &site, None, MissingFiles::Ignore)
        .refuse_if_problems(&file, "; no archive written")?;
    let links = match args.links {
        ArchiveLinks::Symlink => LinkMode::Symlink,
        ArchiveLinks::Copy => LinkMode::Copy,
    };
    if args.output == Path::new("-") {
        let written = WriteBehind::new(io::stdout())
            .and_then(|out| write_archive(&site, links, &std::env::temp_dir(), out))
            .and_then(WriteBehind::finish);
        return match written {
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
        let spool_dir = std::env::temp_dir();
        return File::options()
            .write(true)
            .open(out)
            .and_then(WriteBehind::new)
            .and_then(|f| write_archive(&site, links, &spool_dir, f))
            .and_then(WriteBehind::finish)
            .map(|_| ())
            .map_err(fail);
    }
    let temp = temp_path(out);
    // The manifest is spooled beside the archive, on the file system the operator chose.
    let dir = match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let written = File::create_new(&temp)
        .and_then(WriteBehind::new)
        .and_then(|f| write_archive(&site, links, dir, f))
        .and_then(WriteBehind::finish)
        .and_then(|f| f.sync_all())
        .and_then(|()| fs::rename(&temp, out));
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        fail(e)
    })
}
