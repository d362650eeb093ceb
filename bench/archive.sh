#!/usr/bin/env bash
# Benchmark of `ipxegen archive` against a reference renderer (not a test: it prints figures).
#
# For Ironic-shaped sites (bench/gen_ironic_site.py: every node boots the deploy ramdisk,
# UUID ids, two NICs of which one network boots) of 10,000 and 100,000 nodes, in one run:
#   ipxegen     `ipxegen archive SITE -o OUT.tar` (reads, checks and archives the site)
#   reference   bench/jinja_reference.py: Jinja2 templates, hashlib and tarfile, the way a
#               Python tool (Ironic's own iPXE configs are Jinja2) writes the same tree
# Both trees are compared entry by entry (names, types, modes, link targets, bytes) before
# any figure is printed. Each figure is the median wall time of RUNS runs (default 5) and
# the largest peak RSS (/usr/bin/time, Debian package `time`); then the compute floor of the archive (cli/benches/archive_floor.rs)
# at 10,000 nodes. Jinja2 is installed from PyPI into a virtualenv (target/bench-venv; needs
# Debian's python3-venv). The archives go in BENCH_DIR (default /dev/shm, a tmpfs, so the
# disk's noise does not drown the programs' own cost).
#
# Usage: bash bench/archive.sh [NODES...]     e.g. bash bench/archive.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
export RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
JINJA2_VERSION=3.1.6
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

venv=$PWD/target/bench-venv
if ! "$venv/bin/python" -c "import jinja2; assert jinja2.__version__ == '$JINJA2_VERSION'" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "jinja2==$JINJA2_VERSION"
fi
cargo build -q --release -p ipxegen-cli
work=$(mktemp -d "$BENCH_DIR/ipxegen-archive-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | sed 's/^ *//'), archives in $BENCH_DIR ($(findmnt -no FSTYPE -T "$BENCH_DIR" | head -1)); Jinja2 $JINJA2_VERSION, $("$venv/bin/python" --version)"
for nodes in "${sizes[@]}"; do
    python3 bench/gen_ironic_site.py "$nodes" > "$work/site-$nodes.json"
done
"$venv/bin/python" bench/archive_compare.py "$PWD/target/release/ipxegen" "$work" "${sizes[@]}"

floor_site=$work/site-10000.json
[ -e "$floor_site" ] || floor_site=$work/site-${sizes[0]}.json
echo
echo "compute floor ($(basename "$floor_site" .json)):"
cargo bench -q -p ipxegen-cli --bench archive_floor -- "$floor_site"
