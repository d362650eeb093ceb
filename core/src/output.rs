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

/// The number of bytes `render` writes.
///
/// # Errors
/// Whatever `render` returns.
pub fn output_len(render: impl FnOnce(&mut CountingWriter) -> Result<()>) -> Result<usize, Error> {
    let mut counter = CountingWriter::default();
    render(&mut counter)?;
    Ok(counter.count)
}
