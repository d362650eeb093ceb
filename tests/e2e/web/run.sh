#!/usr/bin/env bash
# End-to-end test of the web UI: builds web/dist (web/build.sh) and the CLI, installs
# playwright-core (npm ci, pinned in package-lock.json) when missing, then runs
# `node --test tests/e2e/web/` against Debian's Chromium. Prints the test runner's summary
# and, last, `N passed, N failed` (the line scripts/test.sh counts). Exit 0 only when every
# test passed.
#
# Without Chromium the test is SKIPPED (exit 0), except under CI=true, where it fails.
# Environment: E2E_TIMEOUT (seconds for the node run, default 300), CHROMIUM, E2E_BUDGET_MS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
here=tests/e2e/web
chromium="${CHROMIUM:-/usr/bin/chromium}"

fail() {
    echo "tests/e2e/web/run.sh: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

if [ ! -x "$chromium" ]; then
    if [ "${CI:-}" = "true" ]; then
        fail "$chromium not found (CI=true): install Debian's chromium (.ci/run does)"
    fi
    echo "tests/e2e/web/run.sh: SKIPPED: $chromium not found"
    exit 0
fi
command -v node >/dev/null || fail "node not found (playwright-core needs Node.js 20 or later)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: playwright-core needs 20 or later"

bash web/build.sh || fail "bash web/build.sh failed"
cargo build -q --locked -p ipxegen-cli || fail "cargo build -p ipxegen-cli failed"
target_dir="${CARGO_TARGET_DIR:-target}"
export IPXEGEN="$root/$target_dir/debug/ipxegen"
case "$target_dir" in /*) IPXEGEN="$target_dir/debug/ipxegen" ;; esac

# npm ci when playwright-core is missing or not the version package.json pins.
want_pw=$(node -p 'require("./'"$here"'/package.json").devDependencies["playwright-core"]')
have_pw=$(node -p 'require("./'"$here"'/node_modules/playwright-core/package.json").version' 2>/dev/null || true)
if [ "$have_pw" != "$want_pw" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $here failed"
fi
mkdir -p tests/artifacts

# Plain text in logs: no ANSI colours in Playwright's call logs.
export FORCE_COLOR=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# TAP keeps the output plain in logs; its `# pass N` / `# fail N` lines are the summary.
timeout --kill-after=10 "${E2E_TIMEOUT:-300}" \
    node --test --test-reporter=tap "$here/" 2>&1 | tee "$log" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "tests/e2e/web/run.sh: timed out after ${E2E_TIMEOUT:-300} s" >&2
fi

passed=$(awk '/^# pass /{print $3}' "$log" | tail -1)
# Cancelled tests (a failed `before` hook cancels them all) count as failed.
failed=$(awk '/^# (fail|cancelled) /{s+=$3} END {print s+0}' "$log")
passed=${passed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
echo "web e2e: screenshot and downloads in tests/artifacts/ (web-e2e.png, web-e2e/, web-e2e-figures.json)"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
