//! RV32IMAC (riscv32imac-unknown-none-elf) on QEMU's virt machine in M-mode: entry,
//! semihosting, traps.

/// Printed in the first line of the report.
pub const NAME: &str = "RV32IMAC (riscv32imac-unknown-none-elf, QEMU virt, 320 KiB RAM)";

pub use riscv_rt::entry;
use riscv_semihosting::{debug, hio};

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
        riscv::asm::wfi();
    }
}

/// The current stack pointer.
#[inline(always)]
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register, touches no memory.
    unsafe { core::arch::asm!("mv {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    sp
}

unsafe extern "C" {
    /// Initial stack pointer of hart 0 (riscv-rt's link.x).
    static _stack_start: u32;
    /// Lowest address of the stack region, right after the (empty) heap (riscv-rt's link.x).
    static __estack: u32;
}

/// The stack region: `(lowest address, initial stack pointer)`.
pub fn stack_region() -> (usize, usize) {
    (
        (&raw const __estack).addr(),
        (&raw const _stack_start).addr(),
    )
}

#[unsafe(export_name = "ExceptionHandler")]
fn exception_handler(_frame: &riscv_rt::TrapFrame) -> ! {
    if let Some(mut out) = console() {
        let _ = out.write_all(b"exception\n");
    }
    exit(false)
}

#[unsafe(export_name = "DefaultHandler")]
fn default_handler() -> ! {
    if let Some(mut out) = console() {
        let _ = out.write_all(b"unexpected interrupt\n");
    }
    exit(false)
}
