#!/usr/bin/env bash
# Builds the firmware images for the three targets (release; an image links only if it has no
# panic path: see src/panic_never.rs), prints their sizes (the golden-case image and the
# render-and-reply image), then runs the golden cases on each target under QEMU, and the
# render-and-reply image once. Exits non-zero if a build fails, or if a target fails, hangs
# (QEMU is killed after 120 s) or prints anything but "N passed, 0 failed" last.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 1
log=$(mktemp)
trap 'rm -f "$log" "$log.build"' EXIT

TARGETS=(thumbv6m-none-eabi thumbv7em-none-eabihf riscv32imac-unknown-none-elf)
BIN=ipxegen-firmware-tests
SMALL=render_and_reply

# Berkeley-style sizes from the section headers (readelf reads any ELF): text = allocated
# read-only sections (code, vectors, .rodata: flash), data = allocated writable sections with
# contents (flash and RAM), bss = allocated sections without contents (RAM). riscv-rt's
# .heap and .stack are reservations, not data, so they are left out (`size` counts them).
sizes() {
    readelf -SW "$1" | sed -E 's/^ *\[ *[0-9]+\] //' | awk -v target="$2" '
        function hex(s,    n, i) {
            n = 0
            for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return n
        }
        $2 != "NULL" && $7 ~ /A/ {
            size = hex($5)
            if ($2 == "NOBITS") { if ($1 != ".stack" && $1 != ".heap") bss += size }
            else if ($7 ~ /W/) data += size
            else text += size
        }
        END { printf "%8d %8d %8d %8d  %s\n", text, data, bss, text + data + bss, target }'
}

for target in "${TARGETS[@]}"; do
    if ! cargo build --release --target "$target" 2>"$log.build"; then
        cat "$log.build" >&2
        grep -q ipxegen_firmware_has_a_panic_path "$log.build" &&
            echo "firmware: the $target image still has a panic path (bash firmware-tests/panic-paths.sh $target lists it)" >&2
        exit 1
    fi
done
echo "panic-free link: every image of ${TARGETS[*]} links with a panic handler that calls an undefined symbol"

echo
echo "image sizes in bytes (flash = text + data, static RAM = data + bss, stack not included):"
printf "%8s %8s %8s %8s  %s\n" text data bss dec image
for target in "${TARGETS[@]}"; do
    sizes "target/$target/release/$BIN" "$target $BIN (golden cases and harness)"
    sizes "target/$target/release/$SMALL" "$target $SMALL (render + DHCP reply only)"
done

status=0
summary=()
for target in "${TARGETS[@]}"; do
    echo
    echo "== $target"
    # The runner in .cargo/config.toml is `timeout 120 qemu-system-...`.
    cargo run --quiet --release --target "$target" --bin "$BIN" | tee "$log"
    rc=${PIPESTATUS[0]}
    last=$(tail -n 1 "$log")
    verdict=ok
    if [ "$rc" -eq 124 ]; then
        verdict="FAILED: timed out after 120 s"
    elif [ "$rc" -ne 0 ]; then
        verdict="FAILED: exit status $rc"
    elif grep -q '^FAIL' "$log" || ! [[ "$last" =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]]; then
        verdict="FAILED: the report shows a failure"
    fi
    [ "$verdict" = ok ] || status=1
    summary+=("$(printf '%-30s %-24s %s' "$target" "${last:-no output}" "$verdict")")
    small=$(cargo run --quiet --release --target "$target" --bin "$SMALL" 2>&1 | tail -n 1)
    if [ "$small" != "rendered and answered" ]; then
        status=1
        summary+=("$(printf '%-30s %s' "$target" "$SMALL FAILED: ${small:-no output}")")
    fi
done

echo
printf '%s\n' "${summary[@]}"
exit "$status"
