//! The local files a site names (kernels, ramdisks, ISOs) and the loaders of a loader
//! directory: where they are, whether they can be read, and their size and SHA-256, each
//! looked up once per build however many nodes share it.

use embedded_io::Write as _;
use ipxegen_core::manifest::{Digested, HashingWriter};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A readable regular file.
#[derive(Clone, Debug)]
pub struct Readable {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time (copies get the same one, so an unchanged source is not copied
    /// again).
    pub modified: Option<SystemTime>,
    /// Device and inode (a hard link to it has the same).
    pub dev_ino: (u64, u64),
    digest: Option<Digested>,
}

/// What a source path turned out to be.
#[derive(Clone, Debug)]
pub enum SourceState {
    /// A regular file that can be opened for reading.
    Ready(Readable),
    /// Anything else, with the reason (`No such file or directory`, `not a regular file`).
    Unreadable(String),
}

/// Source files met so far, by the path the site gives.
pub struct Sources {
    base: PathBuf,
    known: HashMap<PathBuf, SourceState>,
}

impl Sources {
    /// Relative source paths are resolved against `base` (the site file's directory).
    pub fn new(base: PathBuf) -> Self {
        Sources {
            base,
            known: HashMap::new(),
        }
    }

    /// Where `path` (as the site or a loader directory gives it) is on this machine.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.base.join(path)
    }

    /// Opens `path` once to see whether it is a readable regular file.
    pub fn state(&mut self, path: &Path) -> &SourceState {
        let resolved = self.resolve(path);
        self.known
            .entry(resolved)
            .or_insert_with_key(|resolved| probe(resolved))
    }

    /// Size and SHA-256 of a readable source (hashed once).
    ///
    /// # Errors
    /// The source cannot be read (it changed since it was probed).
    pub fn digest(&mut self, path: &Path) -> io::Result<Digested> {
        let resolved = self.resolve(path);
        let state = self
            .known
            .entry(resolved)
            .or_insert_with_key(|resolved| probe(resolved));
        match state {
            SourceState::Ready(file) => {
                if let Some(d) = file.digest {
                    return Ok(d);
                }
                let d = hash_file(&file.path)?;
                if d.size != file.len {
                    return Err(io::Error::other(format!(
                        "{}: changed while ipxegen was reading it",
                        file.path.display()
                    )));
                }
                file.digest = Some(d);
                Ok(d)
            }
            SourceState::Unreadable(why) => Err(io::Error::other(why.clone())),
        }
    }
}

impl Sources {
    /// Where the loader `name` comes from: the first of `DIR/NAME` and `DIR/NAME.signed`
    /// (Debian's name for its signed EFI binaries) that is a readable file, for each of
    /// `dirs` in order; else the first directory's `DIR/NAME`, which a warning names.
    pub fn find_loader(&mut self, dirs: &[PathBuf], name: &str) -> PathBuf {
        let signed = format!("{name}.signed");
        let mut first = None;
        for dir in dirs {
            for candidate in [dir.join(name), dir.join(&signed)] {
                if matches!(self.state(&candidate), SourceState::Ready(_)) {
                    return candidate;
                }
                first.get_or_insert(candidate);
            }
        }
        first.unwrap_or_else(|| PathBuf::from(name))
    }
}

/// Opens `path` for reading without blocking, and only if it is a regular file.
///
/// The open is non-blocking, so a FIFO with no writer (or a device that waits) is refused at
/// once instead of hanging the command; the type is checked on the opened file (`fstat`), so
/// it cannot be swapped between the check and the read. A regular file reads the same with
/// or without `O_NONBLOCK`.
///
/// # Errors
/// The open fails, or the file is not a regular file (the error says what it is).
pub fn open_regular(path: &Path) -> io::Result<(File, std::fs::Metadata)> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY,
        Mode::empty(),
    )?;
    let file = File::from(fd);
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(not_regular(&meta)));
    }
    Ok((file, meta))
}

/// Why a file that is not a regular file cannot be a source: what it is instead.
fn not_regular(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    let what = if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else {
        "not a file"
    };
    format!("not a regular file ({what})")
}

fn probe(path: &Path) -> SourceState {
    match open_regular(path) {
        Ok((_, meta)) => SourceState::Ready(Readable {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
            dev_ino: (meta.dev(), meta.ino()),
            digest: None,
        }),
        Err(e) => SourceState::Unreadable(reason(&e)),
    }
}

/// An I/O error as a short reason: `No such file or directory`, without `(os error 2)`.
pub fn reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text.get(..at).unwrap_or(&text).to_owned(),
        _ => text,
    }
}

/// Size and SHA-256 of a file's content, read in 64 KiB blocks.
///
/// # Errors
/// The file cannot be read.
pub fn hash_file(path: &Path) -> io::Result<Digested> {
    let (mut file, _) = open_regular(path)?;
    let mut hasher = HashingWriter::new();
    let mut block = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut block)?;
        let Some(read) = block.get(..n).filter(|r| !r.is_empty()) else {
            break;
        };
        // HashingWriter cannot fail.
        let _ = hasher.write_all(read);
    }
    Ok(hasher.finish())
}
