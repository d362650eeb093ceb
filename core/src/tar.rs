//! A streaming ustar (POSIX.1-1988) writer over [`embedded_io::Write`], deterministic: every
//! entry has mtime 0, owner and group 0 (`root`), mode 0644 (files) / 0755 (directories) /
//! 0777 (links), so the same entries give the same bytes. Paths longer than the 100-byte
//! name field are split into the 155-byte prefix field at a `/`; a path that cannot be split
//! so is refused ([`ErrorKind::TooLong`]). Read by GNU tar and Python's `tarfile`.

use crate::error::{Error, ErrorKind, Field, Result};
use embedded_io::Write;

const BLOCK: usize = 512;
const NAME_LEN: usize = 100;
const PREFIX_LEN: usize = 155;

/// What a header describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TarKind<'a> {
    /// A regular file of this many bytes (its data follows).
    File(u64),
    /// A directory.
    Directory,
    /// A symbolic link to this target (at most 100 bytes).
    Symlink(&'a str),
}

/// Writes a tar archive entry by entry. For a file: [`TarWriter::begin`] with its size, then
/// exactly that many bytes through [`TarWriter::data`], then [`TarWriter::end_entry`]; finish
/// the archive with [`TarWriter::finish`].
pub struct TarWriter<'w, W: Write> {
    out: &'w mut W,
    /// Bytes of the current file still expected.
    remaining: u64,
    /// Bytes of the current file written, for the padding.
    written: u64,
}

fn octal(field: &mut [u8], value: u64) -> Result<()> {
    // Digits, then a NUL in the last byte.
    let digits = field.len().saturating_sub(1);
    let mut v = value;
    for slot in field.iter_mut().take(digits).rev() {
        *slot = b'0' + u8::try_from(v & 7).unwrap_or(0);
        v >>= 3;
    }
    if v != 0 {
        return Err(Error::at(ErrorKind::TooLong { max: 12 }, Field::Document));
    }
    if let Some(last) = field.last_mut() {
        *last = 0;
    }
    Ok(())
}

/// The sum of a header's bytes (its checksum), eight bytes at a time: each word's bytes are
/// added in 16-bit lanes, which a block's 64 words cannot overflow (64 * 2 * 255 < 2^16).
fn byte_sum(header: &[u8; BLOCK]) -> u32 {
    const LOW: u64 = 0x00ff_00ff_00ff_00ff;
    let lanes = header
        .chunks_exact(8)
        .filter_map(|w| <[u8; 8]>::try_from(w).ok())
        .map(u64::from_le_bytes)
        .fold(0u64, |acc, w| acc + (w & LOW) + ((w >> 8) & LOW));
    u32::try_from(
        (0..4)
            .map(|lane| (lanes >> (16 * lane)) & 0xffff)
            .sum::<u64>(),
    )
    .unwrap_or(0)
}

fn put(header: &mut [u8; BLOCK], at: usize, bytes: &[u8]) -> Result<()> {
    header
        .get_mut(at..at + bytes.len())
        .ok_or(Error::new(ErrorKind::Internal))?
        .copy_from_slice(bytes);
    Ok(())
}

fn too_long() -> Error {
    Error::at(ErrorKind::TooLong { max: 255 }, Field::Document)
}

/// Splits `path` into (prefix, name) for the ustar header.
fn split_path(path: &str) -> Result<(&str, &str)> {
    if path.len() <= NAME_LEN {
        return Ok(("", path));
    }
    let mut cut = None;
    for (i, b) in path.bytes().enumerate() {
        if b == b'/' && i <= PREFIX_LEN && path.len() - i - 1 <= NAME_LEN && i > 0 {
            cut = Some(i);
            break;
        }
    }
    let i = cut.ok_or_else(too_long)?;
    Ok((
        path.get(..i).ok_or_else(too_long)?,
        path.get(i + 1..).ok_or_else(too_long)?,
    ))
}

impl<'w, W: Write> TarWriter<'w, W> {
    /// A writer appending to `out`.
    pub fn new(out: &'w mut W) -> Self {
        TarWriter {
            out,
            remaining: 0,
            written: 0,
        }
    }

    /// Writes the header of an entry. Directories get a trailing `/`.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] for a path or link target that does not fit; a write error;
    /// [`ErrorKind::Internal`] if the previous file's data was incomplete.
    pub fn begin(&mut self, path: &str, kind: TarKind<'_>) -> Result<()> {
        if self.remaining != 0 {
            return Err(Error::new(ErrorKind::Internal));
        }
        let mut header = [0u8; BLOCK];
        let mut dir_path: heapless::String<{ NAME_LEN + PREFIX_LEN + 2 }> = heapless::String::new();
        let full = match kind {
            TarKind::Directory => {
                dir_path.push_str(path).map_err(|_| too_long())?;
                dir_path.push('/').map_err(|_| too_long())?;
                dir_path.as_str()
            }
            _ => path,
        };
        let (prefix, name) = split_path(full)?;
        put(&mut header, 0, name.as_bytes())?;
        let (mode, size, typeflag) = match kind {
            TarKind::File(size) => (0o644, size, b'0'),
            TarKind::Directory => (0o755, 0, b'5'),
            TarKind::Symlink(target) => {
                if target.len() > NAME_LEN {
                    return Err(too_long());
                }
                put(&mut header, 157, target.as_bytes())?;
                (0o777, 0, b'2')
            }
        };
        octal(
            header
                .get_mut(100..108)
                .ok_or(Error::new(ErrorKind::Internal))?,
            mode,
        )?;
        octal(
            header
                .get_mut(108..116)
                .ok_or(Error::new(ErrorKind::Internal))?,
            0,
        )?;
        octal(
            header
                .get_mut(116..124)
                .ok_or(Error::new(ErrorKind::Internal))?,
            0,
        )?;
        octal(
            header
                .get_mut(124..136)
                .ok_or(Error::new(ErrorKind::Internal))?,
            size,
        )?;
        octal(
            header
                .get_mut(136..148)
                .ok_or(Error::new(ErrorKind::Internal))?,
            0,
        )?;
        put(&mut header, 148, b"        ")?;
        put(&mut header, 156, &[typeflag])?;
        put(&mut header, 257, b"ustar\x0000")?;
        put(&mut header, 265, b"root")?;
        put(&mut header, 297, b"root")?;
        put(&mut header, 345, prefix.as_bytes())?;
        let sum = byte_sum(&header);
        // Checksum: six octal digits, NUL, space.
        let chk = header
            .get_mut(148..156)
            .ok_or(Error::new(ErrorKind::Internal))?;
        octal(
            chk.get_mut(..7).ok_or(Error::new(ErrorKind::Internal))?,
            u64::from(sum),
        )?;
        if let Some(last) = chk.last_mut() {
            *last = b' ';
        }
        crate::output::write_all(&mut *self.out, &header)?;
        self.remaining = size;
        self.written = 0;
        Ok(())
    }

    /// Writes data of the current file.
    ///
    /// # Errors
    /// [`ErrorKind::Internal`] for more bytes than the header announced; a write error.
    pub fn data(&mut self, bytes: &[u8]) -> Result<()> {
        let n = u64::try_from(bytes.len()).map_err(|_| Error::new(ErrorKind::Internal))?;
        if n > self.remaining {
            return Err(Error::new(ErrorKind::Internal));
        }
        crate::output::write_all(&mut *self.out, bytes)?;
        self.remaining -= n;
        self.written += n;
        Ok(())
    }

    /// Ends the current file: pads its data to a whole block.
    ///
    /// # Errors
    /// [`ErrorKind::Internal`] if fewer bytes than announced were written; a write error.
    pub fn end_entry(&mut self) -> Result<()> {
        if self.remaining != 0 {
            return Err(Error::new(ErrorKind::Internal));
        }
        let block = u64::try_from(BLOCK).unwrap_or(512);
        let pad = usize::try_from((block - self.written % block) % block).unwrap_or(0);
        crate::output::write_all(&mut *self.out, [0u8; BLOCK].get(..pad).unwrap_or_default())?;
        self.written = 0;
        Ok(())
    }

    /// Ends the archive (two zero blocks) and flushes.
    pub fn finish(self) -> Result<()> {
        if self.remaining != 0 {
            return Err(Error::new(ErrorKind::Internal));
        }
        crate::output::write_all(&mut *self.out, &[0u8; 2 * BLOCK])?;
        self.out.flush().map_err(Error::write)
    }
}

/// Lets a renderer write straight into the current tar file entry.
impl<W: Write> embedded_io::ErrorType for TarWriter<'_, W> {
    type Error = Error;
}

impl<W: Write> Write for TarWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Error> {
        self.data(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sum_adds_every_byte() {
        for fill in [0u8, 1, 0x7f, 0xff] {
            let mut header = [fill; BLOCK];
            header[3] = 9;
            header[511] = 200;
            let expected: u32 = header.iter().map(|&b| u32::from(b)).sum();
            assert_eq!(byte_sum(&header), expected);
        }
    }
    use crate::output::write_to_slice;

    #[test]
    fn file_entry_layout() {
        let mut buf = [0xa5u8; 4 * BLOCK];
        let n = write_to_slice(&mut buf, |out| {
            let mut tar = TarWriter::new(out);
            tar.begin("boot.ipxe", TarKind::File(3))?;
            tar.data(b"abc")?;
            tar.end_entry()?;
            tar.finish()
        })
        .unwrap();
        assert_eq!(n, 4 * BLOCK);
        assert_eq!(&buf[..9], b"boot.ipxe");
        assert_eq!(&buf[124..136], b"00000000003\0");
        assert_eq!(&buf[257..265], b"ustar\x0000");
        assert_eq!(&buf[512..515], b"abc");
        assert!(buf[515..].iter().all(|&b| b == 0));
        // The checksum is the sum of the header with the checksum field as spaces.
        let mut header = [0u8; BLOCK];
        header.copy_from_slice(&buf[..BLOCK]);
        header[148..156].copy_from_slice(b"        ");
        let sum = byte_sum(&header);
        let field = core::str::from_utf8(&buf[148..154]).unwrap();
        assert_eq!(u32::from_str_radix(field, 8).unwrap(), sum);
    }

    #[test]
    fn long_paths_use_the_prefix_or_fail() {
        let long: heapless::String<200> = core::iter::repeat_n('a', 90)
            .chain("/".chars())
            .chain(core::iter::repeat_n('b', 90))
            .collect();
        assert_eq!(split_path(&long).unwrap(), (&long[..90], &long[91..]));
        let unsplittable: heapless::String<200> = core::iter::repeat_n('a', 150).collect();
        assert!(split_path(&unsplittable).is_err());
    }

    #[test]
    fn wrong_data_lengths_are_refused() {
        let mut buf = [0u8; 4 * BLOCK];
        let mut out: &mut [u8] = &mut buf;
        let mut tar = TarWriter::new(&mut out);
        tar.begin("f", TarKind::File(2)).unwrap();
        assert!(tar.data(b"abc").is_err());
        assert!(tar.end_entry().is_err());
    }
}
