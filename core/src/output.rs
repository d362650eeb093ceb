//! Output helpers: every generator writes to an [`embedded_io::Write`]; these adapt it.

use crate::error::{Error, ErrorKind, Result};
use embedded_io::{ErrorType, Write};

/// Writes all of `bytes` to `out`: the one place the core writes, instead of
/// [`embedded_io::Write::write_all`], whose default body slices the buffer by what `write`
/// returns and so keeps a panic path (firmware must link none).
///
/// # Errors
/// The writer's error; [`embedded_io::ErrorKind::WriteZero`] when it takes nothing.
pub fn write_all<W: Write>(out: &mut W, bytes: &[u8]) -> Result<()> {
    let mut rest = bytes;
    while !rest.is_empty() {
        match out.write(rest) {
            Ok(0) => {
                return Err(Error::new(ErrorKind::Write(
                    embedded_io::ErrorKind::WriteZero,
                )));
            }
            Ok(n) => rest = rest.get(n..).unwrap_or_default(),
            Err(e) => return Err(Error::write(e)),
        }
    }
    Ok(())
}

/// Runs `render` on `buf` and returns how many bytes it wrote.
///
/// # Errors
/// Whatever `render` returns; a buffer too small gives
/// `ErrorKind::Write(embedded_io::ErrorKind::WriteZero)`. On error the buffer's content is
/// unspecified and must not be used.
pub fn write_to_slice(
    buf: &mut [u8],
    render: impl FnOnce(&mut &mut [u8]) -> Result<()>,
) -> Result<usize> {
    let total = buf.len();
    let mut rest: &mut [u8] = buf;
    render(&mut rest)?;
    Ok(total - rest.len())
}

/// A writer that only counts bytes: the length of any output, without a buffer.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingWriter {
    /// Bytes written so far.
    pub count: usize,
}

impl ErrorType for CountingWriter {
    type Error = core::convert::Infallible;
}

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        self.count = self.count.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

/// A writer that counts the bytes it passes on to another.
#[derive(Debug)]
pub struct Tally<W> {
    inner: W,
    /// Bytes written so far.
    pub count: usize,
}

impl<W> Tally<W> {
    /// Counts what goes to `inner`, from zero.
    pub fn new(inner: W) -> Self {
        Tally { inner, count: 0 }
    }

    /// The writer it passes bytes on to.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> ErrorType for Tally<W> {
    type Error = W::Error;
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        let n = self.inner.write(buf)?;
        self.count = self.count.saturating_add(n);
        Ok(n)
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// The number of bytes `render` writes.
///
/// # Errors
/// Whatever `render` returns.
pub fn output_len(render: impl FnOnce(&mut CountingWriter) -> Result<()>) -> Result<usize, Error> {
    let mut counter = CountingWriter::default();
    render(&mut counter)?;
    Ok(counter.count)
}
