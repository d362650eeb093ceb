#!/usr/bin/env bash
# Lists what can still panic in a firmware image: builds it with `--cfg ipxegen_find_panics`
# (the panic handler halts instead of naming an undefined symbol, so the image links), then
# prints each function of the disassembly that calls into a panic, with what it calls.
# Usage: bash firmware-tests/panic-paths.sh [TARGET] [BIN]   (default: the Cortex-M4F test image)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
target=${1:-thumbv7em-none-eabihf}
bin=${2:-ipxegen-firmware-tests}
export CARGO_TARGET_DIR=target/find-panics
# RUSTFLAGS replaces .cargo/config.toml's rustflags: give the link scripts again.
case "$target" in
    riscv*) link="-C link-arg=-Tmemory.x -C link-arg=-Tlink.x" ;;
    *) link="-C link-arg=-Tlink.x" ;;
esac
RUSTFLAGS="$link --cfg ipxegen_find_panics" cargo build -q --release --target "$target" --bin "$bin"
elf="$CARGO_TARGET_DIR/$target/release/$bin"
case "$target" in
    thumb*) objdump=arm-none-eabi-objdump ;;
    *) objdump=objdump ;;
esac
command -v "$objdump" >/dev/null || objdump=objdump
"$objdump" -d -C "$elf" | python3 -c '
import re, sys, collections
panic = re.compile(r"ipxegen_firmware_panicked|rust_begin_unwind|panic|unwrap_failed|expect_failed|_fail\b|_fail_rt|slice_error_fail|len_mismatch_fail|index_fail|panic_already|assert_failed|slice_(start|end)_index|slice_index_order")
calls, current = collections.defaultdict(set), None
for line in sys.stdin:
    m = re.match(r"^[0-9a-f]+ <(.*)>:$", line.rstrip())
    if m:
        current = m.group(1)
        continue
    m = re.search(r"\s(b\S*|jal|j|call|tail)\s+(\S+, )?[0-9a-f]+ <([^>+]*)(\+0x[0-9a-f]+)?>", line)
    if m and current and panic.search(m.group(3)) and not panic.search(current):
        calls[current].add(m.group(3))
for caller in sorted(calls):
    print(caller, "->", ", ".join(sorted(calls[caller])))
print(f"{len(calls)} function(s) call into a panic")
'
