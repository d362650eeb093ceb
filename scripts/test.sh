#!/usr/bin/env bash
# Runs every test of ipxegen: formatting, lints, host tests (goldens, hostile values, CLI),
# the core built for every target, the firmware tests on emulated microcontrollers, the
# web UI's tests in headless Chromium, and the benchmarks on small sites. Prints `summary: N passed, N failed` last (N = tests).
#
# A stage whose tool is missing fails when CI=true; elsewhere it is reported as SKIPPED.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed_stages=()
skipped_stages=()

stage() {
    local name=$1
    shift
    echo "=== $name"
    if "$@" 2>&1 | tee -a "$log"; then
        echo "=== $name: ok"
    else
        echo "=== $name: FAILED"
        failed_stages+=("$name")
    fi
}

need() {
    local name=$1
    shift
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            if [ "${CI:-}" = "true" ]; then
                echo "=== $name: FAILED: $tool is not installed (run .ci/run to install it)"
                failed_stages+=("$name")
            else
                echo "=== $name: SKIPPED: $tool is not installed"
                skipped_stages+=("$name")
            fi
            return 1
        fi
    done
}

stage "cargo fmt" cargo fmt --all -- --check
stage "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
stage "host tests" cargo test --workspace --locked --no-fail-fast
for target in thumbv6m-none-eabi thumbv7em-none-eabihf riscv32imac-unknown-none-elf wasm32-unknown-unknown; do
    stage "core for $target" cargo build --locked -p ipxegen-core --target "$target"
done
stage "core has no alloc" bash -c '! grep -rnE "extern crate (alloc|std)|alloc::" core/src'

if need "firmware tests" qemu-system-arm qemu-system-riscv32; then
    stage "firmware tests" bash firmware-tests/run.sh
fi
# A short run of each fuzz target from its committed corpus (fuzz/smoke.sh), so the harness
# keeps building; only that build gets RUSTC_BOOTSTRAP=1 (cargo fuzz needs nightly-only flags).
if need "fuzz smoke" cargo-fuzz; then
    stage "fuzz smoke" bash fuzz/smoke.sh
fi
if need "web tests in Chromium" chromium chromedriver wasm-bindgen-test-runner; then
    stage "web tests in Chromium" env CHROMEDRIVER=/usr/bin/chromedriver \
        cargo test --locked -p ipxegen-web --target wasm32-unknown-unknown
fi
if need "web bundle" wasm-bindgen; then
    stage "web bundle" bash web/build.sh
fi
if need "web end to end" chromium node wasm-bindgen; then
    stage "web end to end" bash tests/e2e/web/run.sh
fi

# The benchmarks on small sites: they still run, and the archive still holds the same tree as
# the Jinja2 reference (bench/archive.sh compares them entry by entry). No figure is checked.
if need "benchmarks run" python3 /usr/bin/time; then
    stage "benchmarks run" bash -c 'RUNS=1 bash bench/archive.sh 300 && RUNS=1 bash bench/tree.sh 300'
fi

passed=$(grep -aoE '^test result: (ok|FAILED)\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -aoE '^test result: (ok|FAILED)\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$6} END {print s+0}')
fw_passed=$(grep -aoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$1} END {print s+0}')
fw_failed=$(grep -aoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$3} END {print s+0}')
echo
echo "stages failed: ${#failed_stages[@]} ${failed_stages[*]:-}"
echo "stages skipped: ${#skipped_stages[@]} ${skipped_stages[*]:-}"
echo "summary: $((passed + fw_passed)) passed, $((failed + fw_failed + ${#failed_stages[@]})) failed"
[ ${#failed_stages[@]} -eq 0 ]
