#!/usr/bin/env bash
# Builds the QEMU boot test's initrd: a gzip-compressed cpio (newc) holding a static busybox
# and ./init (beside this script). Usage: make-initrd.sh OUT [BUSYBOX]
# BUSYBOX defaults to /bin/busybox from Debian's busybox-static; a dynamic one cannot run in
# an initrd without its libraries, so it is refused.
set -euo pipefail
out=${1:?usage: make-initrd.sh OUT [BUSYBOX]}
busybox=${2:-/bin/busybox}
here=$(cd "$(dirname "$0")" && pwd)

[ -x "$busybox" ] || { echo "make-initrd: $busybox missing (install busybox-static)" >&2; exit 1; }
if ldd "$busybox" >/dev/null 2>&1; then
    echo "make-initrd: $busybox is dynamically linked (install busybox-static)" >&2
    exit 1
fi
command -v cpio >/dev/null || { echo "make-initrd: cpio is not installed" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
    cpio --null --create --format=newc --owner=0:0 --reproducible --quiet) |
    gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
