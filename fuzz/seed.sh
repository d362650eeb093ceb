#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the project's own test inputs, into
# DIR/<target>/ (default fuzz/corpus-work, ignored by git):
#   site      the example sites, the golden sites and the check corpus
#   dhcp4/6   the real firmware DHCP messages of tests/vectors/dhcp (hex decoded to bytes)
#   lint      the lint corpus and the golden iPXE scripts
#   manifest  the golden manifest
#   template  the shipped templates and the CLI's template fixtures
# Usage: bash fuzz/seed.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-fuzz/corpus-work}
for t in site dhcp4 dhcp6 lint manifest template; do mkdir -p "$out/$t"; done

for f in examples/site.json tests/e2e/qemu/site.json tests/golden/sites/*.json tests/check-corpus/*.json; do
    cp "$f" "$out/site/$(echo "$f" | tr / _)"
done
for f in tests/vectors/dhcp/*.hex; do
    name=$(basename "$f" .hex)
    case "$name" in
        *dhcpv6*) t=dhcp6 ;;
        *) t=dhcp4 ;;
    esac
    perl -ne 'chomp; print pack("H*", $_)' "$f" > "$out/$t/$name"
done
for f in tests/lint/*.ipxe tests/golden/ipxe/*.ipxe; do
    cp "$f" "$out/lint/$(echo "$f" | tr / _)"
done
cp tests/golden/tree/*manifest*.json "$out/manifest/"
for f in examples/templates/* cli/tests/cmd/templates/*; do
    cp "$f" "$out/template/$(echo "$f" | tr / _)"
done
for t in site dhcp4 dhcp6 lint manifest template; do
    echo "$t: $(find "$out/$t" -type f | wc -l) seeds in $out/$t"
done
