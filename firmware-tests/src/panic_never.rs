//! The panic handler of every firmware image: it calls a function that is defined nowhere,
//! so an image links only if the optimiser removed every path to a panic (the idea of the
//! `panic-never` crate). A release build with LTO is needed for that; a build that still
//! can panic fails at the link with `undefined symbol: ipxegen_firmware_has_a_panic_path`.

//!
//! `panic-paths.sh` builds the images with `--cfg ipxegen_find_panics` instead, where the
//! handler only halts, and lists the functions that still call into a panic.

use core::panic::PanicInfo;

#[cfg(not(ipxegen_find_panics))]
unsafe extern "C" {
    /// Defined nowhere, on purpose (see the module docs).
    fn ipxegen_firmware_has_a_panic_path() -> !;
}

#[cfg(not(ipxegen_find_panics))]
#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    // SAFETY: never linked; an image that reaches here does not build.
    unsafe { ipxegen_firmware_has_a_panic_path() }
}

/// With `--cfg ipxegen_find_panics`: halts in a function that is never inlined, so the image
/// links and every call into a panic stays visible in its disassembly.
#[cfg(ipxegen_find_panics)]
#[panic_handler]
#[inline(never)]
fn panic(_: &PanicInfo) -> ! {
    ipxegen_firmware_panicked()
}

#[cfg(ipxegen_find_panics)]
#[inline(never)]
#[unsafe(no_mangle)]
fn ipxegen_firmware_panicked() -> ! {
    loop {
        // SAFETY: a read of a local, volatile so the loop is not removed.
        let spin = 0u8;
        let _ = unsafe { core::ptr::read_volatile(&raw const spin) };
    }
}
