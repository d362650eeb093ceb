//! Stack high-water mark: paint the free stack with a pattern, run, then find the lowest word
//! that no longer holds the pattern.

use crate::platform;
use core::ptr::with_exposed_provenance_mut;

/// What free stack is painted with.
const PAINT: u32 = 0xAAAA_AAAA;
/// Bytes left unpainted just below the painter's own stack pointer.
const MARGIN: usize = 64;

/// Fills the free stack, from the lowest address of the stack region to a little below the
/// current stack pointer, with [`PAINT`].
#[inline(never)]
pub fn paint() {
    let (bottom, _) = platform::stack_region();
    let end = platform::stack_pointer().saturating_sub(MARGIN) & !3;
    let mut addr = bottom;
    while addr < end {
        // SAFETY: `[bottom, end)` lies below every live frame (no interrupts are enabled), so
        // no object lives there; the address is word-aligned RAM of the stack region.
        unsafe { with_exposed_provenance_mut::<u32>(addr).write_volatile(PAINT) };
        addr += 4;
    }
}

/// The lowest stack address written since [`paint`]. The lowest address of the stack region
/// means the stack reached (and probably overflowed) its end.
#[inline(never)]
pub fn high_water() -> usize {
    let (bottom, _) = platform::stack_region();
    let sp = platform::stack_pointer();
    let mut addr = bottom;
    // SAFETY: as in `paint`: word-aligned RAM below every live frame, only read.
    while addr < sp && unsafe { with_exposed_provenance_mut::<u32>(addr).read_volatile() } == PAINT
    {
        addr += 4;
    }
    addr
}
