//! Puts the target's `memory.x` where the linker scripts of cortex-m-rt and riscv-rt look.

use std::{env, fs, path::PathBuf};

fn main() {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let abi = env::var("CARGO_CFG_TARGET_ABI").unwrap_or_default();
    let source = match (arch.as_str(), abi.as_str()) {
        ("arm", "eabihf") => "memory/cortex-m.x",
        ("arm", _) => "memory/microbit.x",
        ("riscv32", _) => "memory/riscv.x",
        // Any other target fails in src/main.rs with a clear message.
        _ => return,
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(source, out.join("memory.x")).expect("copy memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory/cortex-m.x");
    println!("cargo:rerun-if-changed=memory/microbit.x");
    println!("cargo:rerun-if-changed=memory/riscv.x");
    println!("cargo:rerun-if-changed=build.rs");
}
