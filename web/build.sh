#!/usr/bin/env bash
# Builds the web app into web/dist: the wasm (profile web: release, opt-level z), its JS glue
# (wasm-bindgen) and the page's script (src/page.js), the wasm shrunk by wasm-opt -Oz and the
# scripts by terser (npm binaryen and terser, pinned in web/package.json), and index.html.
# Prints the gzipped sizes. Runs from any directory. Needs: the wasm32-unknown-unknown target,
# the wasm-bindgen CLI of the version in Cargo.lock, and `npm ci` in web/.
#
# With --check, it fails when the total is over the budget (CI builds the bundle so).
set -euo pipefail

check=false
case "${1-}" in
"") ;;
--check) check=true ;;
*)
    echo "usage: bash web/build.sh [--check]" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

fail() {
    echo "web/build.sh: $*" >&2
    exit 1
}

# The CLI must be exactly the wasm-bindgen version the crate was built against.
want="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)"
[ -n "$want" ] || fail "no wasm-bindgen in Cargo.lock (run: cargo generate-lockfile)"
command -v wasm-bindgen >/dev/null ||
    fail "wasm-bindgen CLI not found; install it with: cargo install wasm-bindgen-cli --version $want"
have="$(wasm-bindgen --version | awk '{ print $2 }')"
[ "$have" = "$want" ] ||
    fail "wasm-bindgen CLI is $have but Cargo.lock has $want; install the matching one with: cargo install wasm-bindgen-cli --version $want"

wasm_opt="web/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || fail "$wasm_opt not found; run: (cd web && npm ci)"
terser="web/node_modules/.bin/terser"
[ -x "$terser" ] || fail "$terser not found; run: (cd web && npm ci)"

# Profile `web` (root Cargo.toml): release with opt-level z, about 20% smaller than opt-level 3.
cargo build --profile web --target wasm32-unknown-unknown -p ipxegen-web

target_dir="${CARGO_TARGET_DIR:-target}"
# Staged in a fresh directory, then moved into place: a concurrent build or a server reading
# web/dist never sees a half-written bundle.
dist="web/dist"
out="$(mktemp -d web/.dist.XXXXXX)"
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$out" \
    "$target_dir/wasm32-unknown-unknown/web/ipxegen-web.wasm"
wasm="$out/ipxegen-web_bg.wasm"
# -Oz, with --low-memory-unused: a load or store at pointer + constant may then use the
# constant as its offset (no separate add), which differs only where the add would wrap past
# 4 GiB into the first 1 KiB, and no Rust pointer arithmetic does (the first 1 KiB is the far
# end of the 1 MiB stack, below the data). The producers and target-features sections are
# not read by a browser. (About 1 KB gzipped together.)
"$wasm_opt" -Oz --low-memory-unused \
    --strip-debug --strip-producers --strip-target-features "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
# Every script minified (terser, pinned in web/package.json): its comments and names are
# not read by a browser.
while IFS= read -r script; do
    "$terser" "$script" --module --compress --mangle -o "$script.min"
    mv "$script.min" "$script"
done < <(find "$out" -name '*.js')
cp web/index.html "$out/"
chmod 755 "$out"
rm -rf "$dist"
mv "$out" "$dist"
wasm="$dist/ipxegen-web_bg.wasm"

gzipped() {
    gzip -9 --stdout "$1" | wc -c
}
total=0
# The app's own script (src/page.js) is a wasm-bindgen snippet: dist/snippets/*/src/page.js.
mapfile -t snippets < <(find "$dist/snippets" -name '*.js' | sort)
[ "${#snippets[@]}" -gt 0 ] || fail "no snippet in $dist/snippets (src/page.js)"
for file in "$wasm" "$dist/ipxegen-web.js" "${snippets[@]}"; do
    size="$(gzipped "$file")"
    total=$((total + size))
    printf '%-28s %8d bytes, %8d gzipped (gzip -9)\n' "$(basename "$file")" \
        "$(wc -c <"$file")" "$size"
done
# The budget of web/README.md ("Budgets"): the wasm and every script, gzip -9, together.
budget=150000
printf '%-28s %8d gzipped, budget %d: %s\n' "wasm + js" "$total" "$budget" \
    "$([ "$total" -le "$budget" ] && echo "within it, $((budget - total)) bytes to spare" ||
        echo "OVER it by $((total - budget)) bytes")"
if "$check" && [ "$total" -gt "$budget" ]; then
    fail "the bundle is over its budget (--check)"
fi
