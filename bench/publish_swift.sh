#!/usr/bin/env bash
# Benchmark (not a test: it only prints figures): `ipxegen publish` of a site of N nodes to a
# one-node OpenStack Swift on 127.0.0.1 (Debian's packages, tests/swift/setup.sh, each server
# with 2 workers), against python-swiftclient's own parallel uploader (`swift upload`, 10
# object threads) of the same tree as `ipxegen build --links copy` writes it, in the same run.
#
# Each node boots a kernel and a ramdisk of its own directory (4 KiB and 16 KiB: the figure
# is objects per second, not bandwidth), one NIC (two for every tenth node). Printed: objects,
# seconds and objects per second of a first `ipxegen publish` (--jobs 8, and --jobs 16), of a
# second one of the unchanged site (which uploads nothing), and of `swift upload`.
#
# Usage: bash bench/publish_swift.sh [N]      (default 10000; needs swift, swift-proxy,
#        swift-account, swift-container, swift-object, python3-swiftclient, memcached)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-10000}
for tool in swift-proxy-server swift-ring-builder swift memcached python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done
cargo build -q --release -p ipxegen-cli
bin=$PWD/target/release/ipxegen
work=$(mktemp -d)
base=$((20000 + $$ % 30000))
marker="IPXEGEN_BENCH_SWIFT=$work"
cleanup() {
    # The servers leave their process group (Swift calls setsid): find them by their
    # environment.
    for f in $(grep -lzx "$marker" /proc/[0-9]*/environ 2>/dev/null); do
        pid=${f#/proc/}; kill -KILL "${pid%/environ}" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
bash tests/swift/setup.sh "$work/swift" "$base" 2 >/dev/null
export IPXEGEN_BENCH_SWIFT=$work
timeout -s KILL 3600 memcached -l 127.0.0.1 -p $((base + 4)) -U 0 -u root >/dev/null 2>&1 &
disown
for server in account container object proxy; do
    timeout -s KILL 3600 "swift-$server-server" "$work/swift/$server-server.conf" >/dev/null 2>&1 &
    disown
    sleep 0.5
done
unset IPXEGEN_BENCH_SWIFT
export ST_AUTH=http://127.0.0.1:$base/auth/v1.0 ST_USER=test:tester ST_KEY=testing
for _ in $(seq 100); do swift stat >/dev/null 2>&1 && break; sleep 0.2; done
for c in ipxegen ipxegen16 swiftclient; do swift post -r '.r:*' "$c"; done

mkdir -p "$work/site" "$work/loaders"
head -c 4096 /dev/urandom > "$work/site/vmlinuz"
head -c 16384 /dev/urandom > "$work/site/initrd"
python3 - "$nodes" "$work/site" <<'PY'
import json, sys
n, dir = int(sys.argv[1]), sys.argv[2]
def mac(i): return "52:54:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
nodes = [{"id": "node-%05d" % i, "nics": [mac(2 * i)] + ([mac(2 * i + 1)] if i % 10 == 0 else []),
          "mode": "ramdisk", "kernel": "vmlinuz", "ramdisk": "initrd"} for i in range(n)]
site = {"schema": 1, "http_server": "http://192.0.2.10/v1/AUTH_test/ipxegen",
        "http_root": dir + "/http", "kernel_args": "console=ttyS0", "nodes": nodes}
json.dump(site, open(dir + "/site.json", "w"))
PY
now() { date +%s.%N; }
publish() { # CONTAINER JOBS -> "objects uploaded seconds"
    "$bin" publish "$work/site/site.json" --to "swift://$1" --jobs "$2" --json \
        --loaders "$work/loaders" 2>/dev/null |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["objects"], d["uploaded"], d["seconds"])'
}
row() { # LABEL OBJECTS UPLOADED SECONDS
    python3 -c 'import sys; l,o,u,s=sys.argv[1:]; o,u,s=int(o),int(u),float(s); print("| %-46s | %7d | %8d | %8.1f | %9.0f |" % (l, o, u, s, o / s))' "$@"
}
printf '| %-46s | objects | uploaded |  seconds | objects/s |\n' "run ($nodes nodes)"
echo "|------------------------------------------------|--------:|---------:|---------:|----------:|"
read -r objects uploaded seconds < <(publish ipxegen 8)
row "ipxegen publish --jobs 8" "$objects" "$uploaded" "$seconds"
read -r objects uploaded seconds < <(publish ipxegen 8)
row "ipxegen publish again (unchanged)" "$objects" "$uploaded" "$seconds"
read -r objects uploaded seconds < <(publish ipxegen16 16)
row "ipxegen publish --jobs 16" "$objects" "$uploaded" "$seconds"
"$bin" build "$work/site/site.json" --links copy --out "$work/tree" --loaders "$work/loaders" >/dev/null 2>&1
files=$(find "$work/tree/http" -type f | wc -l)
start=$(now)
(cd "$work/tree/http" && swift upload swiftclient . --object-threads 10 >/dev/null)
end=$(now)
row "swift upload --object-threads 10 (built tree)" "$files" "$files" "$(python3 -c "print($end - $start)")"
