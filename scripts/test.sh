#!/usr/bin/env bash
# Runs every test of ipxegen: formatting, lints, host tests (goldens, hostile values, CLI),
# the core built for every target, the firmware tests on emulated microcontrollers, the
# web UI's tests in headless Chromium, and the benchmarks on small sites; then fails if a
# process the tests started is still alive. Prints `summary: N passed, N failed, N skipped`
# last (N = tests; a test skipped for a missing tool prints `SKIPPED: <test>: <reason>`).
#
# A stage whose tool is missing fails when CI=true; elsewhere it is reported as SKIPPED.
set -uo pipefail
cd "$(dirname "$0")/.."
# Every process the tests start inherits this; the last stage finds the ones left by it.
export IPXEGEN_TEST_RUN="$$-$(date +%s%N)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed_stages=()
skipped_stages=()

stage() {
    local name=$1
    shift
    local started=$SECONDS
    echo "=== $name"
    if "$@" 2>&1 | tee -a "$log"; then
        echo "=== $name: ok ($((SECONDS - started)) s)"
    else
        echo "=== $name: FAILED ($((SECONDS - started)) s)"
        failed_stages+=("$name")
    fi
}

# Stages started with `in_background` run beside the ones that follow; `join_background`
# waits for them, then prints each one's output (kept in a file meanwhile, so it is not mixed
# into the others') and counts it like a stage of its own.
background_names=()
background_pids=()
background_outputs=()
in_background() {
    local name=$1 out
    shift
    out=$(mktemp)
    echo "=== $name: started in the background (its output follows when it ends)"
    (
        started=$SECONDS
        "$@" >"$out" 2>&1
        echo "$? $((SECONDS - started))" >"$out.status"
    ) &
    background_names+=("$name")
    background_pids+=($!)
    background_outputs+=("$out")
}
join_background() {
    local i name out status seconds
    for i in "${!background_pids[@]}"; do
        wait "${background_pids[$i]}"
        name=${background_names[$i]}
        out=${background_outputs[$i]}
        echo "=== $name"
        tee -a "$log" <"$out"
        read -r status seconds <"$out.status" || status=1
        if [ "$status" = 0 ]; then
            echo "=== $name: ok ($seconds s, in the background)"
        else
            echo "=== $name: FAILED ($seconds s, in the background)"
            failed_stages+=("$name")
        fi
        rm -f "$out" "$out.status"
    done
    background_pids=()
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
# `--test '*'` adds the test targets plain `cargo test` leaves out (test = false).
stage "cargo clippy" bash -c "cargo clippy --workspace --all-targets --locked -- -D warnings &&
    cargo clippy -p ipxegen-tests --test '*' --locked -- -D warnings"
# The object-storage suite (a real Swift, and QEMU) is the longest: it runs in the background,
# beside the stages up to the benchmarks (which start a Swift of their own). Its test target is
# left out of plain `cargo test` (tests/Cargo.toml), so the host tests do not run it twice.
stage "build the tests" bash -c 'cargo test --workspace --locked --no-run &&
    cargo test -p ipxegen-tests --locked --test publish_swift --no-run'
in_background "object storage tests (Swift)" cargo test -p ipxegen-tests --locked --test publish_swift
stage "host tests" cargo test --workspace --locked --no-fail-fast
for target in thumbv6m-none-eabi thumbv7em-none-eabihf riscv32imac-unknown-none-elf wasm32-unknown-unknown; do
    stage "core for $target" cargo build --locked -p ipxegen-core --target "$target"
done
stage "core docs" env RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps -q -p ipxegen-core
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
    stage "web bundle" bash web/build.sh --check
fi
if need "web end to end" chromium node wasm-bindgen; then
    stage "web end to end" bash tests/e2e/web/run.sh
fi

join_background

# The benchmarks on small sites: they still run, and the archive still holds the same tree as
# the Jinja2 reference (bench/archive.sh compares them entry by entry). No figure is checked.
if need "benchmarks run" python3 /usr/bin/time jq ip qemu-system-x86_64 socat cpio swift-proxy-server memcached; then
    stage "benchmarks run" bash -c 'RUNS=1 bash bench/archive.sh 300 && RUNS=1 bash bench/tree.sh 300 &&
        RUNS=1 bash bench/dhcp_servers.sh 10 &&
        python3 bench/http_vs_tftp.py --pad-mib 0 --latency-us 0 &&
        bash bench/publish_swift.sh 20'
fi

# The Debian package: built, installed with apt-get, checked, removed; and the operator guide
# run as written, from that package's install to a node booting in QEMU (needs root).
if need "debian package" cargo-deb apt-get man dpkg-deb; then
    if [ "$(id -u)" -eq 0 ]; then
        stage "debian package" bash packaging/install-test.sh
    elif [ "${CI:-}" = "true" ]; then
        echo "=== debian package: FAILED: installing the package needs root"
        failed_stages+=("debian package")
    else
        echo "=== debian package: SKIPPED: installing the package needs root"
        skipped_stages+=("debian package")
    fi
fi

# Processes this run started that are still alive (servers, QEMU, socat, browsers, ...): each
# carries IPXEGEN_TEST_RUN=<this run> in its environment, also once orphaned or in a group or
# session of its own, so nothing else on the machine matches. This script and what it runs
# now are left out. Prints them and kills them; fails when there were any.
leftover_processes() {
    local file pid p left=()
    for file in $(grep -lzx "IPXEGEN_TEST_RUN=$IPXEGEN_TEST_RUN" /proc/[0-9]*/environ 2>/dev/null); do
        pid=${file#/proc/}
        pid=${pid%/environ}
        p=$pid
        while [ -n "$p" ] && [ "$p" -gt 1 ] && [ "$p" != $$ ]; do
            p=$(ps -o ppid= -p "$p" | tr -d ' ')
        done
        # Gone meanwhile, or this script's own (the check itself).
        [ "$p" = $$ ] || ! [ -d "/proc/$pid" ] || left+=("$pid")
    done
    [ ${#left[@]} -eq 0 ] && return 0
    echo "still alive after the tests (killed now):"
    ps -o pid=,etime=,args= -p "$(IFS=,; echo "${left[*]}")"
    kill -s KILL "${left[@]}" 2>/dev/null
    return 1
}
stage "no test process left" leftover_processes

# Network namespaces the tests made (all named ipxg-...): each test deletes its own.
leftover_namespaces() {
    local left
    left=$(ip netns list 2>/dev/null | awk '$1 ~ /^ipxg-/ {print $1}')
    [ -z "$left" ] && return 0
    echo "network namespaces left after the tests (deleted now): $left"
    for ns in $left; do ip netns del "$ns"; done
    return 1
}
stage "no network namespace left" leftover_namespaces

passed=$(grep -aoE '^test result: (ok|FAILED)\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -aoE '^test result: (ok|FAILED)\. [0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$6} END {print s+0}')
fw_passed=$(grep -aoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$1} END {print s+0}')
fw_failed=$(grep -aoE '^[0-9]+ passed, [0-9]+ failed$' "$log" | awk '{s+=$3} END {print s+0}')
# A skipped test's line (at a line's start, or after libtest's `test NAME ... ` when tests run
# one at a time); libtest counts the test as passed, so it is taken out of the passed.
skipped=$(grep -aoE '(^|\.\.\. )SKIPPED: ' "$log" | wc -l)
echo
echo "stages failed: ${#failed_stages[@]} ${failed_stages[*]:-}"
echo "stages skipped: ${#skipped_stages[@]} ${skipped_stages[*]:-}"
echo "summary: $((passed + fw_passed - skipped)) passed, $((failed + fw_failed + ${#failed_stages[@]})) failed, $skipped skipped"
[ ${#failed_stages[@]} -eq 0 ]
