//! A readable account of a classified request and the reply built for it: what the CLI prints
//! for `ipxegen dhcp reply`, and the golden text the host and firmware tests compare.

use crate::dhcp::reply::Reply;
use crate::dhcp::request::{ClientRequest, Family};
use crate::error::{Error, ErrorKind, Result};
use core::fmt::Write;

/// Adapts a `core::fmt::Write` to `embedded_io::Write` for option bytes written as hex.
struct HexOut<'a, W: Write>(&'a mut W);

impl<W: Write> embedded_io::ErrorType for HexOut<'_, W> {
    type Error = Error;
}

impl<W: Write> embedded_io::Write for HexOut<'_, W> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Error> {
        write!(self.0, "{}", crate::hex::Hex(buf))
            .map_err(|_| Error::new(ErrorKind::Write(embedded_io::ErrorKind::Other)))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Error> {
        Ok(())
    }
}

fn fmt_error(_: core::fmt::Error) -> Error {
    Error::new(ErrorKind::Write(embedded_io::ErrorKind::Other))
}

/// Writes one line describing `request`: family, message type, client kind, architecture,
/// MAC, vendor class and the iPXE features it announced.
pub fn write_request_summary<W: Write>(request: &ClientRequest, out: &mut W) -> core::fmt::Result {
    out.write_str(match request.family {
        Family::V4 => "request: DHCPv4",
        Family::V6 => "request: DHCPv6",
    })?;
    if let Some(t) = request.message_type {
        write!(out, ", message type {t}")?;
    }
    write!(out, ", client {:?}", request.kind)?;
    if let Some(arch) = request.arch {
        write!(out, ", arch {} ({})", arch.0, arch.describe())?;
    }
    match request.mac {
        Some(mac) => write!(out, ", MAC {mac}")?,
        None => out.write_str(", MAC unknown")?,
    }
    if !request.vendor_class.is_empty() {
        out.write_str(", vendor class ")?;
        for &b in &request.vendor_class {
            let c = if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            };
            out.write_char(c)?;
        }
    }
    let mut features = request.features.iter().peekable();
    if features.peek().is_some() {
        out.write_str(", iPXE features")?;
        for f in features {
            write!(out, " {f}")?;
        }
    }
    out.write_char('\n')
}

/// Writes the request summary, the reply as text, and the reply's option bytes in hex.
///
/// # Errors
/// Whatever emitting the options returns, or a formatting error.
pub fn write_reply_report<W: Write>(
    request: &ClientRequest,
    reply: &Reply,
    out: &mut W,
) -> Result<()> {
    write_request_summary(request, out).map_err(fmt_error)?;
    reply.write_text(out).map_err(fmt_error)?;
    out.write_str("options (hex): ").map_err(fmt_error)?;
    reply.emit_options(&mut HexOut(out))?;
    out.write_char('\n').map_err(fmt_error)
}
