//! ipxegen-core's golden cases on a bare-metal microcontroller under QEMU.
//!
//! For each case of `tests/golden/cases.rs` the program reads the site, checks it whole
//! (`Site::checked`, with a fixed-capacity set of seen values) and streams the main script or
//! the node's config into a writer that compares it with the golden file byte by byte as it
//! arrives (no output buffer); for each DHCP case it classifies the captured request and
//! streams the reply report the same way. It reports over semihosting: one `ok NAME` or
//! `FAIL NAME ...` line per case with the stack it used, the peak stack, then `N passed, N
//! failed` as the last line; QEMU exits with success only if every case passed.
#![no_std]
#![no_main]

#[cfg(target_arch = "arm")]
#[path = "cortex_m.rs"]
mod platform;
#[cfg(target_arch = "riscv32")]
#[path = "riscv.rs"]
mod platform;
#[cfg(not(any(target_arch = "arm", target_arch = "riscv32")))]
compile_error!(
    "build with --target thumbv6m-none-eabi, thumbv7em-none-eabihf or riscv32imac-unknown-none-elf"
);

mod golden;
mod panic_never;
mod stack;

use core::fmt::Write as _;
use core::ptr::addr_of_mut;
use golden::GoldenStream;
use ipxegen_core::dhcp::reply::{build_proxy_reply, build_reply};
use ipxegen_core::dhcp::{report::write_reply_report, request::parse_request};
use ipxegen_core::site::FixedSeen;
use ipxegen_core::{CheckedSite, Result, Site, model::Node};

include!("../../tests/golden/cases.rs");
include!("../../tests/golden/dhcp_cases.rs");

/// Room for one captured DHCP request (the largest vector is 825 bytes).
const REQUEST_MAX: usize = 1024;

/// Where each DHCP request is decoded: the packet a device would have received.
static mut REQUEST: [u8; REQUEST_MAX] = [0; REQUEST_MAX];

/// Ids, MACs and addresses the whole-site check can hold (the golden sites have a few each).
const SEEN_MAX: usize = 24;

/// Classifies the request of `case`, builds the reply from its site (as the DHCP server, or as
/// a ProxyDHCP server) and streams the report into `out`, as appliance firmware answering
/// DHCP would.
#[inline(never)]
fn answer(case: &DhcpCase, request_buf: &mut [u8], out: &mut GoldenStream) -> Result<()> {
    let invalid = ipxegen_core::Error::new(ipxegen_core::ErrorKind::Malformed);
    let len = decode_hex(case.request_hex, request_buf).ok_or(invalid)?;
    let request = parse_request(request_buf.get(..len).unwrap_or_default())?;
    let site = Site::parse(case.site)?;
    let reply = match case.proxy {
        None => build_reply(site.config(), &request)?,
        Some(proxy) => build_proxy_reply(site.config(), &request, proxy.server_id)?,
    };
    write_reply_report(&request, &reply, out)
}

/// Reads and checks the site of `case`, then streams what it asks for into `out`, as an
/// application would.
#[inline(never)]
fn render(case: &GoldenCase, out: &mut GoldenStream) -> Result<()> {
    let site = Site::parse(case.site)?;
    let site: CheckedSite<'_> = site.checked(&mut FixedSeen::<SEEN_MAX>::new())?;
    render_golden(site.config(), |id| site.node_by_id(id), &case.render, out)
}

#[platform::entry]
fn main() -> ! {
    let Some(mut console) = platform::console() else {
        platform::exit(false)
    };
    let (stack_bottom, stack_top) = platform::stack_region();
    let _ = writeln!(
        console,
        "{} golden scripts and {} DHCP replies on {}; stack region {} bytes",
        GOLDEN_CASES.len(),
        DHCP_CASES.len(),
        platform::NAME,
        stack_top - stack_bottom
    );
    let _ = writeln!(
        console,
        "size_of: Site {} bytes, CheckedSite {} bytes, Node {} bytes",
        size_of::<Site<'_>>(),
        size_of::<CheckedSite<'_>>(),
        size_of::<Node<'_>>()
    );

    // SAFETY: the only reference to `REQUEST` ever made; `main` runs once.
    let request_buf: &mut [u8; REQUEST_MAX] = unsafe { &mut *addr_of_mut!(REQUEST) };
    let (mut passed, mut failed) = (0usize, 0usize);
    // Deepest case: bytes from the top of the stack, bytes below `main`'s frame, case.
    let mut peak = (0usize, 0usize, "");
    let scripts = GOLDEN_CASES
        .iter()
        .map(|c| (c.name, c.expected, c.path, Some(c), None));
    let dhcp = DHCP_CASES.iter().map(|c| {
        (
            c.name,
            c.expected.as_bytes(),
            "dhcp-replies/",
            None,
            Some(c),
        )
    });
    for (name, expected, path, script, reply) in scripts.chain(dhcp) {
        let mut out = GoldenStream::new(expected);
        stack::paint();
        let base = platform::stack_pointer();
        let result = match (script, reply) {
            (Some(script), _) => render(script, &mut out),
            (None, Some(reply)) => answer(reply, request_buf, &mut out),
            (None, None) => continue,
        };
        let low = stack::high_water();
        let (total, depth) = (stack_top - low, base - low);
        if total > peak.0 {
            peak = (total, depth, name);
        }

        let _ = if low <= stack_bottom {
            failed += 1;
            writeln!(console, "FAIL {name}: the stack overflowed")
        } else {
            match (result, out.verdict()) {
                (Ok(()), None) => {
                    passed += 1;
                    writeln!(
                        console,
                        "ok {name} ({} bytes, stack {depth} bytes, {total} from the top)",
                        out.len
                    )
                }
                (Ok(()), Some(offset)) => {
                    failed += 1;
                    writeln!(
                        console,
                        "FAIL {name}: first difference at byte {offset} (got {} bytes, expected {}: tests/golden/{path})",
                        out.len,
                        expected.len()
                    )
                }
                (Err(e), _) => {
                    failed += 1;
                    writeln!(console, "FAIL {name}: {e}")
                }
            }
        };
    }

    let _ = writeln!(
        console,
        "peak stack: {} bytes (deepest case {}: {} bytes below main)",
        peak.0, peak.2, peak.1
    );
    let _ = writeln!(console, "{passed} passed, {failed} failed");
    platform::exit(failed == 0 && passed == GOLDEN_CASES.len() + DHCP_CASES.len())
}
