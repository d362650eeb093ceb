//! Cortex-M on QEMU: the M4F (thumbv7em-none-eabihf, `mps2-an386`) and the M0 of the BBC
//! micro:bit (thumbv6m-none-eabi, `microbit`, 16 KiB of RAM): entry, semihosting, faults.

/// Printed in the first line of the report.
#[cfg(target_abi = "eabihf")]
pub const NAME: &str = "Cortex-M4F (thumbv7em-none-eabihf, QEMU mps2-an386, 64 KiB RAM)";
/// Printed in the first line of the report.
#[cfg(not(target_abi = "eabihf"))]
pub const NAME: &str = "Cortex-M0 (thumbv6m-none-eabi, QEMU microbit, 16 KiB RAM)";

pub use cortex_m_rt::entry;
use cortex_m_rt::{ExceptionFrame, exception};
use cortex_m_semihosting::{debug, hio};

/// The host's standard output, over semihosting (no buffer, no lock).
pub type Console = hio::HostStream;

/// Opens the console; `None` if the host has none.
pub fn console() -> Option<Console> {
    hio::hstdout().ok()
}

/// Ends the QEMU run with this outcome.
pub fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::wfi();
    }
}

/// The current stack pointer.
#[inline(always)]
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register, touches no memory.
    unsafe {
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}

unsafe extern "C" {
    /// Initial stack pointer: the top of RAM (cortex-m-rt's link.x).
    static _stack_start: u32;
    /// Lowest address the stack may grow to: the end of .bss/.uninit (cortex-m-rt's link.x).
    static _stack_end: u32;
}

/// The stack region: `(lowest address, initial stack pointer)`.
pub fn stack_region() -> (usize, usize) {
    (
        (&raw const _stack_end).addr(),
        (&raw const _stack_start).addr(),
    )
}

#[exception]
unsafe fn HardFault(_frame: &ExceptionFrame) -> ! {
    if let Some(mut out) = console() {
        let _ = out.write_all(b"HardFault\n");
    }
    exit(false)
}

#[exception]
unsafe fn DefaultHandler(_irqn: i16) {
    if let Some(mut out) = console() {
        let _ = out.write_all(b"unexpected exception or interrupt\n");
    }
    exit(false)
}
