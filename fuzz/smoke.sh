#!/usr/bin/env bash
# A short run of every fuzz target (SECONDS_EACH, default 20 s) from its committed corpus,
# so the harness keeps building and its properties keep holding; what a run finds goes to a
# temporary corpus, never into fuzz/corpus/. Exits non-zero on the first crash, printing it.
# scripts/test.sh runs it as the "fuzz smoke" stage. Needs cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_EACH:-20}
# cargo fuzz passes nightly-only flags (-Zsanitizer=address) to rustc: RUSTC_BOOTSTRAP=1
# lets this machine's stable rustc take them, for this build only.
export RUSTC_BOOTSTRAP=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
cargo fuzz build
echo "fuzz build took $(($(date +%s) - started)) s"
for t in site dhcp4 dhcp6 lint manifest template; do
    mkdir -p "$work/$t"
    if ! cargo fuzz run "$t" "$work/$t" "corpus/$t" -- -max_total_time="$seconds" >"$work/$t.log" 2>&1; then
        tail -n 60 "$work/$t.log"
        echo "fuzz target $t FAILED (its input is in fuzz/artifacts/$t/)"
        exit 1
    fi
    echo "$t: $(grep -aE '^#[0-9]+.*DONE' "$work/$t.log" | tail -1)"
done
