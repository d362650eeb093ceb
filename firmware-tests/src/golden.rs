//! A writer that compares what it is given with a golden file as the bytes arrive: the
//! render streams into it as it would into a UART, with no output buffer.

use core::convert::Infallible;

/// Compares a stream of bytes with `expected`.
pub struct GoldenStream {
    expected: &'static [u8],
    /// Bytes received so far.
    pub len: usize,
    /// Offset of the first byte that differs (or where the output ran past the golden).
    pub first_difference: Option<usize>,
}

impl GoldenStream {
    /// A stream to compare with `expected`.
    pub fn new(expected: &'static [u8]) -> Self {
        GoldenStream {
            expected,
            len: 0,
            first_difference: None,
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.first_difference.is_none() {
            let want = self.expected.get(self.len..).unwrap_or_default();
            let same = want.iter().zip(bytes).take_while(|(a, b)| a == b).count();
            if same < bytes.len() {
                self.first_difference = Some(self.len + same);
            }
        }
        self.len = self.len.saturating_add(bytes.len());
    }

    /// `None` when the stream was exactly the golden file, else the first differing offset.
    pub fn verdict(&self) -> Option<usize> {
        self.first_difference.or_else(|| {
            (self.len != self.expected.len()).then_some(self.len.min(self.expected.len()))
        })
    }
}

impl embedded_io::ErrorType for GoldenStream {
    type Error = Infallible;
}

impl embedded_io::Write for GoldenStream {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        self.take(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

impl core::fmt::Write for GoldenStream {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.take(s.as_bytes());
        Ok(())
    }
}
