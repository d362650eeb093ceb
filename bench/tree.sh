#!/usr/bin/env bash
# Benchmark of `ipxegen build` and `ipxegen archive` (not a test: it only prints figures).
#
# For sites of 10,000 and 100,000 nodes (bench/gen_site.py: a quarter place a local 4 KiB
# kernel and ramdisk, the rest boot URLs or the local disk), measures wall time and peak RSS
# (/usr/bin/time, Debian package `time`) of:
#   build        a fresh build into an empty directory (default: with syncfs before the swap)
#   build-nosync the same with --no-sync
#   rebuild      a second build of the same site (nothing changes, nothing is written)
#   cp -a        copying the finished tree (the filesystem's own cost of such a tree)
#   archive      `ipxegen archive -o /dev/null`
#   check        `ipxegen check` (reading and validating the site)
# Each figure is the median of RUNS runs (default 3). The tree goes in BENCH_DIR (default
# /dev/shm, a tmpfs, so the disk's noise does not drown the program's own cost; give a
# directory on disk to include it).
#
# Usage: bash bench/tree.sh [NODES...]     e.g. bash bench/tree.sh 10000
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

cargo build -q --release -p ipxegen-cli
bin=$PWD/target/release/ipxegen
work=$(mktemp -d "$BENCH_DIR/ipxegen-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
head -c 4096 /dev/urandom > "$work/kernel"

# measure NAME PREP -- COMMAND...: runs PREP (a shell snippet) then COMMAND, RUNS times;
# prints the median wall time (ms) and the largest peak RSS (KiB).
measure() {
    local name=$1 prep=$2
    shift 3
    local times=() rss=0
    for _ in $(seq "$RUNS"); do
        eval "$prep"
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" \
            || { cat "$work/err" >&2; exit 1; }
        read -r t m < "$work/time"
        times+=("$(awk -v t="$t" 'BEGIN {printf "%d", t * 1000}')")
        [ "$m" -gt "$rss" ] && rss=$m
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-8s %-13s %8s ms %8s KiB\n' "$nodes" "$name" "$median" "$rss"
}

echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo | sed 's/^ *//'), tree in $BENCH_DIR ($(findmnt -no FSTYPE -T "$BENCH_DIR" | head -1))"
printf '%-8s %-13s %11s %12s\n' nodes command "wall (median)" "peak RSS"
for nodes in "${sizes[@]}"; do
    site=$work/site-$nodes.json
    python3 bench/gen_site.py "$nodes" "$work/http" "$work/kernel" > "$site"
    measure check ":" -- "$bin" check "$site"
    measure archive ":" -- "$bin" archive "$site" -o /dev/null
    measure build 'rm -rf "$work/http"; sync' -- "$bin" build "$site" --loaders "$work/none"
    measure build-nosync 'rm -rf "$work/http"; sync' -- "$bin" build "$site" --loaders "$work/none" --no-sync
    measure rebuild ":" -- "$bin" build "$site" --loaders "$work/none"
    measure "cp -a" 'rm -rf "$work/copy"; sync' -- cp -a "$work/http" "$work/copy"
    rm -rf "$work/http" "$work/copy" "$site"
done
