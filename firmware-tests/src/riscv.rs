//! RV32IMAC (riscv32imac-unknown-none-elf) on QEMU's virt machine in M-mode: entry,
//! semihosting, traps, panics.

use core::panic::PanicInfo;

/// Printed in the first line of the report.
pub const NAME: &str = "RV32IMAC (riscv32imac-unknown-none-elf, QEMU virt)";

pub use riscv_rt::entry;
pub use riscv_semihosting::hprintln as println;

use riscv::register::{mcause, mepc, mtval};
use riscv_semihosting::debug;

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
    println!(
        "exception: mcause {:#x} at mepc {:#010x} (mtval {:#x})",
        mcause::read().bits(),
        mepc::read(),
        mtval::read()
    );
    exit(false)
}

#[unsafe(export_name = "DefaultHandler")]
fn default_handler() -> ! {
    println!("unexpected interrupt: mcause {:#x}", mcause::read().bits());
    exit(false)
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    println!("{}", info);
    exit(false)
}
