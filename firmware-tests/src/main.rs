//! ipxegen-core's golden cases on a bare-metal microcontroller under QEMU.
//!
//! Renders every case of `tests/golden/cases.rs` into a fixed buffer, compares it byte for byte
//! with its golden file and reports over semihosting: one `ok NAME` or `FAIL NAME ...` line per
//! case, the peak stack, then `N passed, N failed` as the last line. QEMU exits with success
//! only if every case passed.
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
    "build with --target thumbv7em-none-eabihf or --target riscv32imac-unknown-none-elf"
);

mod stack;

use core::ptr::addr_of_mut;
use ipxegen_core::dhcp::{reply::build_reply, report::write_reply_report, request::parse_request};
use ipxegen_core::{Result, Site, ipxe, model::Node, output::write_to_slice};
use platform::println;

include!("../../tests/golden/cases.rs");
include!("../../tests/golden/dhcp_cases.rs");

/// Room for one captured DHCP request (the largest vector is 825 bytes).
const REQUEST_MAX: usize = 1536;

/// Where each DHCP request is decoded.
static mut REQUEST: [u8; REQUEST_MAX] = [0; REQUEST_MAX];

/// A `core::fmt::Write` into a fixed buffer; fails when full.
struct FmtBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl core::fmt::Write for FmtBuf<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Classifies the request of `case`, builds the reply from its site and writes the report
/// into `buf`, as appliance firmware answering DHCP would; returns the report's length.
#[inline(never)]
fn answer(case: &DhcpCase, request_buf: &mut [u8], buf: &mut [u8]) -> Result<usize> {
    let invalid = ipxegen_core::Error::new(ipxegen_core::ErrorKind::Malformed);
    let len = decode_hex(case.request_hex, request_buf).ok_or(invalid)?;
    let request = parse_request(request_buf.get(..len).unwrap_or_default())?;
    let site = Site::parse(case.site)?;
    let reply = build_reply(site.config(), &request)?;
    let mut out = FmtBuf { buf, len: 0 };
    write_reply_report(&request, &reply, &mut out)?;
    Ok(out.len)
}

/// Room for one rendered script (the largest golden file is about 1 KB).
const OUT_MAX: usize = 4096;

/// Where each case is rendered: a static, so the stack figures are the core's alone.
static mut OUT: [u8; OUT_MAX] = [0; OUT_MAX];

/// Renders what `case` asks for into `buf`, as an application would; returns its length.
#[inline(never)]
fn render(case: &GoldenCase, buf: &mut [u8]) -> Result<usize> {
    let site = Site::parse(case.site)?;
    match case.render {
        Render::Main => write_to_slice(buf, |out| ipxe::write_main_script(site.config(), out)),
        Render::Node(id) => {
            let node = site.node_by_id(id)?;
            write_to_slice(buf, |out| {
                ipxe::write_node_config(site.config(), &node, out)
            })
        }
    }
}

/// What the report needs of a case of either kind.
struct CaseRef {
    name: &'static str,
    expected: &'static [u8],
    path: &'static str,
}

/// The offset of the first byte where `got` and `expected` differ, `None` if they are equal.
fn first_difference(got: &[u8], expected: &[u8]) -> Option<usize> {
    got.iter()
        .zip(expected)
        .position(|(g, e)| g != e)
        .or_else(|| (got.len() != expected.len()).then(|| got.len().min(expected.len())))
}

#[platform::entry]
fn main() -> ! {
    // SAFETY: the only reference to `OUT` ever made; `main` runs once.
    let out: &mut [u8; OUT_MAX] = unsafe { &mut *addr_of_mut!(OUT) };
    let (stack_bottom, stack_top) = platform::stack_region();
    println!(
        "{} golden scripts and {} DHCP replies on {}; stack region {} bytes",
        GOLDEN_CASES.len(),
        DHCP_CASES.len(),
        platform::NAME,
        stack_top - stack_bottom
    );
    println!(
        "size_of: Site {} bytes, Node {} bytes",
        size_of::<Site<'_>>(),
        size_of::<Node<'_>>()
    );

    // SAFETY: the only reference to `REQUEST` ever made; `main` runs once.
    let request_buf: &mut [u8; REQUEST_MAX] = unsafe { &mut *addr_of_mut!(REQUEST) };
    let (mut passed, mut failed) = (0usize, 0usize);
    // Deepest render: bytes from the top of the stack, bytes below `main`'s frame, case.
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
        let case = CaseRef {
            name,
            expected,
            path,
        };
        stack::paint();
        let base = platform::stack_pointer();
        let result = match (script, reply) {
            (Some(script), _) => render(script, out),
            (None, Some(reply)) => answer(reply, request_buf, out),
            (None, None) => continue,
        };
        let low = stack::high_water();
        let (total, depth) = (stack_top - low, base - low);
        if total > peak.0 {
            peak = (total, depth, case.name);
        }

        if low <= stack_bottom {
            println!("FAIL {}: the stack overflowed", case.name);
            failed += 1;
            continue;
        }
        match result {
            Ok(len) => {
                let got = out.get(..len).unwrap_or_default();
                match first_difference(got, case.expected) {
                    None => {
                        println!("ok {} ({} bytes, stack {} bytes)", case.name, len, depth);
                        passed += 1;
                    }
                    Some(offset) => {
                        println!(
                            "FAIL {}: first difference at byte {} (got {} bytes, expected {}: tests/golden/{})",
                            case.name,
                            offset,
                            len,
                            case.expected.len(),
                            case.path
                        );
                        failed += 1;
                    }
                }
            }
            Err(e) => {
                println!("FAIL {}: {}", case.name, e);
                failed += 1;
            }
        }
    }

    println!(
        "peak stack: {} bytes (deepest case {}: {} bytes below main)",
        peak.0, peak.2, peak.1
    );
    println!("{} passed, {} failed", passed, failed);
    platform::exit(failed == 0 && passed == GOLDEN_CASES.len() + DHCP_CASES.len())
}
