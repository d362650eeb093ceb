//! The smallest image a device needs: one site, rendered (main script and one node's config)
//! and one DHCP request answered, written to the console. Its size is what the core costs an
//! application that renders and answers DHCP (`run.sh` reports it beside the test image's).
#![no_std]
#![no_main]

#[path = "../panic_never.rs"]
mod panic_never;
#[cfg(target_arch = "arm")]
#[path = "../cortex_m.rs"]
#[allow(dead_code, reason = "this image needs only the console and exit")]
mod platform;
#[cfg(target_arch = "riscv32")]
#[path = "../riscv.rs"]
#[allow(dead_code, reason = "this image needs only the console and exit")]
mod platform;

use core::ptr::addr_of_mut;
use ipxegen_core::dhcp::{reply::build_reply, request::parse_request};
use ipxegen_core::site::FixedSeen;
use ipxegen_core::{Result, Site, ipxe};

const SITE: &[u8] = include_bytes!("../../../examples/site.json");
const REQUEST: &str = include_str!("../../../tests/vectors/dhcp/ovmf-pxe-uefi-x64-discover.hex");

/// Where the request is decoded.
static mut PACKET: [u8; 1024] = [0; 1024];

/// Writes into the console, as a UART would send.
struct ConsoleWriter(platform::Console);

impl embedded_io::ErrorType for ConsoleWriter {
    type Error = embedded_io::ErrorKind;
}

impl embedded_io::Write for ConsoleWriter {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        self.0
            .write_all(buf)
            .map(|()| buf.len())
            .map_err(|()| embedded_io::ErrorKind::Other)
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

fn run(out: &mut ConsoleWriter) -> Result<()> {
    let site = Site::parse(SITE)?;
    let site = site.checked(&mut FixedSeen::<16>::new())?;
    ipxe::write_main_script(site.config(), out)?;
    let node = site.node_by_id("rack1-node03")?;
    ipxe::write_node_config(site.config(), &node, out)?;
    // SAFETY: the only reference to `PACKET` ever made; `run` runs once.
    let packet: &mut [u8; 1024] = unsafe { &mut *addr_of_mut!(PACKET) };
    let len = ipxegen_core::hex::decode_into(
        REQUEST.as_bytes(),
        b"",
        packet,
        ipxegen_core::Field::Request,
    )?;
    let request = parse_request(packet.get(..len).unwrap_or_default())?;
    let reply = build_reply(site.config(), &request)?;
    let mut options = [0u8; 512];
    let n = ipxegen_core::output::write_to_slice(&mut options, |w| reply.emit_options(w))?;
    embedded_io::Write::write_all(out, options.get(..n).unwrap_or_default())
        .map_err(ipxegen_core::Error::write)
}

#[platform::entry]
fn main() -> ! {
    let Some(console) = platform::console() else {
        platform::exit(false)
    };
    let mut out = ConsoleWriter(console);
    let ok = run(&mut out).is_ok();
    let _ = out.0.write_all(if ok {
        b"\nrendered and answered\n"
    } else {
        b"\nfailed\n"
    });
    platform::exit(ok)
}
