//! Cortex-M4F (thumbv7em-none-eabihf) on QEMU's mps2-an386: entry, semihosting, faults.

/// Printed in the first line of the report.
pub const NAME: &str = "Cortex-M4F (thumbv7em-none-eabihf, QEMU mps2-an386)";

pub use cortex_m_rt::entry;
pub use cortex_m_semihosting::hprintln as println;
// Panics print their message and exit QEMU with failure.
use panic_semihosting as _;

use cortex_m_rt::{ExceptionFrame, exception};
use cortex_m_semihosting::debug;

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
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    println!("HardFault at pc {:#010x}", frame.pc());
    exit(false)
}

#[exception]
unsafe fn DefaultHandler(irqn: i16) {
    println!("unexpected exception or interrupt {}", irqn);
    exit(false)
}
