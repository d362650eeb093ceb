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

/// Any [`Write`], behind a `&mut dyn`: the one writer type the generators' bodies are compiled
/// for. Each public generator (`write_main_script`, `write_node_config`, ...) is generic over
/// its writer only in a thin wrapper that puts the writer in a `DynWriter` and calls the body,
/// so a program that writes to several writer types (a buffer, a counter, a hasher, a tar
/// stream) holds one copy of each body instead of one per writer type.
///
/// Its error is the inner writer's [`embedded_io::ErrorKind`]: all that a core [`Error`]
/// keeps of a write error ([`Error::write`]), so nothing is lost.
pub struct DynWriter<'w> {
    inner: &'w mut dyn KindWrite,
}

impl<'w> DynWriter<'w> {
    /// Wraps `inner`.
    pub fn new<W: Write>(inner: &'w mut W) -> Self {
        DynWriter { inner }
    }
}

impl ErrorType for DynWriter<'_> {
    type Error = embedded_io::ErrorKind;
}

impl Write for DynWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        self.inner.write_kind(buf)
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        self.inner.flush_kind()
    }
}

/// [`Write`] with the error reduced to its kind: object safe, unlike [`Write`], whose error
/// is an associated type.
trait KindWrite {
    fn write_kind(&mut self, buf: &[u8]) -> core::result::Result<usize, embedded_io::ErrorKind>;
    fn flush_kind(&mut self) -> core::result::Result<(), embedded_io::ErrorKind>;
}

impl<W: Write> KindWrite for W {
    fn write_kind(&mut self, buf: &[u8]) -> core::result::Result<usize, embedded_io::ErrorKind> {
        self.write(buf).map_err(|e| embedded_io::Error::kind(&e))
    }

    fn flush_kind(&mut self) -> core::result::Result<(), embedded_io::ErrorKind> {
        self.flush().map_err(|e| embedded_io::Error::kind(&e))
    }
}

/// A count as people read it, its thousands separated by commas: `2,000`, `1,234,567`, `999`.
/// The one way the front ends write a count in a message or a status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grouped(pub usize);

impl core::fmt::Display for Grouped {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (high, low) = (self.0 / 1000, self.0 % 1000);
        if high == 0 {
            write!(f, "{low}")
        } else {
            write!(f, "{},{low:03}", Grouped(high))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Grouped;
    use core::fmt::Write as _;

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1951, "1,951"),
            (1_002_003, "1,002,003"),
            (1_234_567, "1,234,567"),
        ] {
            let mut out = heapless::String::<32>::new();
            write!(out, "{}", Grouped(n)).unwrap();
            assert_eq!(out, text);
        }
    }
}
