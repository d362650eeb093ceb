//! One module per subcommand.

pub mod archive;
pub mod build;
pub mod check;
pub mod completions;
pub mod dhcp;
pub mod dhcp_config;
pub mod dhcp_reply;
pub mod init;
pub mod lint;
pub mod render;

use crate::failure::{EX_IOERR, Failure};
use std::io::Write;

/// `s` as a JSON string literal, quotes included, by the core's one JSON string encoder.
pub fn json_string(s: &str) -> String {
    let mut out = embedded_io_adapters::std::FromStd::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = ipxegen_core::json::string::write_json_string(&mut out, s);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// Writes `bytes` to standard output; a closed pipe (`ipxegen ... | head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(
            EX_IOERR,
            format!("(stdout): cannot write: {e}"),
        )),
    }
}
