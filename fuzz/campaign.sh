#!/usr/bin/env bash
# A fuzzing campaign: runs every fuzz target (or those named) to RUNS executions each
# (default 10,000,000), JOBS targets at a time (default: the number of cores), then prints per
# target its executions, coverage (libFuzzer's `cov:` edges and `ft:` features of the final
# stats line), time and crashes. Each target starts from its committed corpus
# (fuzz/corpus/<target>, read only) and writes what it finds to fuzz/corpus-work/<target>;
# crashes go to fuzz/artifacts/<target>/. Logs: fuzz/corpus-work/<target>.log.
#
# Usage: [SANITIZER=address] [JOBS=N] bash fuzz/campaign.sh [RUNS] [TARGET...]
# Needs cargo-fuzz; the fuzz build alone runs with RUSTC_BOOTSTRAP=1 (see README, Fuzzing).
set -uo pipefail
cd "$(dirname "$0")"
runs=${1:-10000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(site dhcp4 dhcp6 lint manifest template)
jobs=${JOBS:-$(nproc)}
# No AddressSanitizer by default: the core forbids unsafe code, and without ASan a target runs
# two to three times as many inputs per second (the CI smoke runs with it).
sanitizer=${SANITIZER:-none}
export RUSTC_BOOTSTRAP=1 sanitizer

# Build options per target. The linter compares every byte with byte classes; traced
# comparisons (libFuzzer's -trace-compares) slow it fivefold, so it is built without them,
# in a target dir of its own (the other targets keep them: they find DHCP magic values and
# JSON keys). Its seeds hold the words comparisons would find.
target_options() {
    case $1 in
    lint) echo "--no-trace-compares --target-dir target/no-trace-compares" ;;
    esac
}
export -f target_options

for t in "${targets[@]}"; do
    # shellcheck disable=SC2046
    cargo fuzz build -s "$sanitizer" $(target_options "$t") "$t" || exit 1
done

run_one() {
    local t=$1 runs=$2 started rc
    mkdir -p "corpus-work/$t"
    started=$(date +%s)
    # shellcheck disable=SC2046
    cargo fuzz run -s "$sanitizer" $(target_options "$t") "$t" "corpus-work/$t" "corpus/$t" -- \
        -runs="$runs" -print_final_stats=1 >"corpus-work/$t.log" 2>&1
    rc=$?
    echo "$rc $(($(date +%s) - started))" >"corpus-work/$t.result"
}
export -f run_one
mkdir -p corpus-work
touch corpus-work/.started

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1" "$2"' _ {} "$runs"

failed=0
printf '%-9s %12s %7s %8s %9s %7s\n' target executions cov ft time_s crashes
for t in "${targets[@]}"; do
    log="corpus-work/$t.log"
    read -r rc secs <"corpus-work/$t.result"
    execs=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    stats=$(grep -aE '^#[0-9]+' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$stats" | awk '{print $2}')
    ft=$(grep -oE 'ft: [0-9]+' <<<"$stats" | awk '{print $2}')
    crashes=$(find "artifacts/$t" -type f -newer corpus-work/.started 2>/dev/null | wc -l)
    printf '%-9s %12s %7s %8s %9s %7s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$secs" "$crashes"
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then failed=1; fi
done
exit "$failed"
