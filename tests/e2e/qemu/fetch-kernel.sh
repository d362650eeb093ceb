#!/usr/bin/env bash
# Downloads (once) a Debian cloud kernel for the QEMU boot test and prints the path of its
# bzImage. Usage: fetch-kernel.sh CACHE_DIR
#
# The version is the one `linux-image-cloud-amd64` depends on in the current apt lists; the
# bzImage is cached as CACHE_DIR/<package>_<version>/vmlinuz, so later runs (and the test after
# `.ci/run` ran this script during setup) need no network. The .deb is unpacked, never
# installed. When apt cannot resolve the version (no lists, offline), the newest kernel already
# in the cache is used. Exit 1 with a message on stderr when there is none.
set -euo pipefail
cache=${1:?usage: fetch-kernel.sh CACHE_DIR}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

newest_cached() {
    { ls -1d "$cache"/linux-image-*/ 2>/dev/null || true; } | sort -V | tail -n 1 | sed 's|/$||'
}

pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}' || true)
ver=""
if [ -n "$pkg" ]; then
    ver=$(apt-cache policy "$pkg" 2>/dev/null | awk '$1 == "Candidate:" {print $2; exit}' || true)
fi
if [ -z "$pkg" ] || [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
    dir=$(newest_cached)
    if [ -n "$dir" ] && [ -s "$dir/vmlinuz" ]; then
        echo "fetch-kernel: apt cannot resolve linux-image-cloud-amd64; using cached $dir" >&2
        echo "$dir/vmlinuz"
        exit 0
    fi
    echo "fetch-kernel: apt cannot resolve linux-image-cloud-amd64 (run apt-get update)" >&2
    exit 1
fi

dir="$cache/${pkg}_${ver}"
if [ -s "$dir/vmlinuz" ]; then
    echo "$dir/vmlinuz"
    exit 0
fi

work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
# As root, apt would warn that its sandbox user cannot write here: download as the caller.
(cd "$work" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$pkg=$ver" >&2)
deb=$(ls "$work"/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
mkdir -p "$work/out"
mv "$work"/boot/vmlinuz-* "$work/out/vmlinuz"
# Publish atomically: a concurrent or interrupted run never leaves a partial kernel.
if ! mv -T "$work/out" "$dir" 2>/dev/null && [ ! -s "$dir/vmlinuz" ]; then
    echo "fetch-kernel: cannot create $dir" >&2
    exit 1
fi
echo "$dir/vmlinuz"
