//! ipxegen-core's golden cases on a bare-metal microcontroller under QEMU.
//!
//! For each case of `tests/golden/cases.rs` the program reads the site, checks it whole
//! (`Site::checked`, with a fixed-capacity set of seen values) and streams the main script or
//! the node's config into a writer that compares it with the golden file byte by byte as it
//! arrives (no output buffer); for each template case it also loads the site's templates
//! (bytes built into the image), checks the site with them (which renders and lints each
//! script they write, in a static buffer) and streams the script the same way; for each DHCP
//! case it classifies the captured request and streams the reply report the same way. It reports over semihosting: one `ok NAME` or
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
use ipxegen_core::model::{Node, TemplateFile};
use ipxegen_core::site::FixedSeen;
use ipxegen_core::{CheckedSite, Error, ErrorKind, Result, Site};

include!("../../tests/golden/cases.rs");
include!("../../tests/golden/dhcp_cases.rs");

/// Room for one captured DHCP request (the largest vector is 825 bytes).
const REQUEST_MAX: usize = 1024;

/// Where each DHCP request is decoded: the packet a device would have received.
static mut REQUEST: [u8; REQUEST_MAX] = [0; REQUEST_MAX];

/// Ids, MACs and addresses the whole-site check can hold (the golden sites have a few each).
const SEEN_MAX: usize = 24;

/// Template files a template case may name.
const TEMPLATE_FILES: usize = 4;

/// The buffer the whole-site check renders each templated script into to lint it: a device
/// chooses it (a longer script is refused); the template case's scripts are at most 1,241 bytes.
const TEMPLATE_SCRATCH: usize = 1536;

/// That buffer.
static mut SCRATCH: [u8; TEMPLATE_SCRATCH] = [0; TEMPLATE_SCRATCH];

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

/// Reads the site of `case`, loads the templates it names (from the bytes built into the
/// image), checks the site with them and streams what the case asks for into `out`, as an
/// application whose operator gave templates would.
#[inline(never)]
fn render_templated(case: &TemplateCase, scratch: &mut [u8], out: &mut GoldenStream) -> Result<()> {
    let site = Site::parse(case.site)?;
    let mut slots = [None; TEMPLATE_FILES];
    let mut count = 0;
    for r in site.template_refs() {
        let path = r.slot.path.text().plain().unwrap_or_default();
        let bytes = case
            .templates
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, b)| *b);
        let file = match bytes {
            Some(bytes) => TemplateFile::load(r, bytes),
            None => TemplateFile::unreadable(r, "not built into this image"),
        };
        let slot = slots
            .get_mut(count)
            .ok_or(Error::new(ErrorKind::Internal))?;
        *slot = Some(file);
        count += 1;
    }
    let first = slots
        .first()
        .copied()
        .flatten()
        .ok_or(Error::new(ErrorKind::Internal))?;
    let files = slots.map(|slot| slot.unwrap_or(first));
    let site = site.with_templates(files.get(..count).unwrap_or_default());
    let site = site.checked_with(&mut FixedSeen::<SEEN_MAX>::new(), scratch)?;
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
        "{} golden scripts, {} from templates and {} DHCP replies on {}; stack region {} bytes",
        GOLDEN_CASES.len(),
        TEMPLATE_CASES.len(),
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
    // SAFETY: the only reference to `SCRATCH` ever made; `main` runs once.
    let scratch: &mut [u8; TEMPLATE_SCRATCH] = unsafe { &mut *addr_of_mut!(SCRATCH) };
    let (mut passed, mut failed) = (0usize, 0usize);
    // Deepest case: bytes from the top of the stack, bytes below `main`'s frame, case.
    let mut peak = (0usize, 0usize, "");
    let scripts = GOLDEN_CASES
        .iter()
        .map(|c| (c.name, c.expected, c.path, Case::Script(c)));
    let templated = TEMPLATE_CASES
        .iter()
        .map(|c| (c.name, c.expected, c.path, Case::Templated(c)));
    let dhcp = DHCP_CASES.iter().map(|c| {
        (
            c.name,
            c.expected.as_bytes(),
            "dhcp-replies/",
            Case::Reply(c),
        )
    });
    for (name, expected, path, case) in scripts.chain(templated).chain(dhcp) {
        let mut out = GoldenStream::new(expected);
        stack::paint();
        let base = platform::stack_pointer();
        let result = match case {
            Case::Script(script) => render(script, &mut out),
            Case::Templated(templated) => render_templated(templated, scratch, &mut out),
            Case::Reply(reply) => answer(reply, request_buf, &mut out),
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
    let cases = GOLDEN_CASES.len() + TEMPLATE_CASES.len() + DHCP_CASES.len();
    platform::exit(failed == 0 && passed == cases)
}

/// One case of the run.
enum Case {
    Script(&'static GoldenCase),
    Templated(&'static TemplateCase),
    Reply(&'static DhcpCase),
}
