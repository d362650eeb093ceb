#!/usr/bin/env bash
# Builds the Debian package (packaging/deb.sh), installs it with apt-get on this machine (as
# root), checks what it installed, and removes it again, also when a check fails:
# `ipxegen --version`, `ipxegen build --out DIR` of the built-in example, the man page of
# `build` (`man -w`), and that the bash completion completes subcommands and options
# (bash runs the installed completion function as bash-completion would).
#
# First the operator guide runs as written (tests/tests/operator_guide.rs): its install step
# installs this package with apt-get, in a temporary root of its own, and it ends booting a
# node in QEMU against the servers it set up.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(bash packaging/deb.sh)
echo "package: $deb ($(stat -c %s "$deb") bytes)"
guide=ok
IPXEGEN_GUIDE_DEB="$PWD/$deb" cargo test -q --locked -p ipxegen-tests --test operator_guide -- --ignored ||
    guide=failed
work=$(mktemp -d)
cleanup() {
    apt-get remove -y -qq ipxegen >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
fail() { echo "install test: $*" >&2; exit 1; }
[ "$(command -v ipxegen)" = /usr/bin/ipxegen ] || fail "ipxegen is not /usr/bin/ipxegen"
version=$(ipxegen --version)
echo "$version"
[[ $version == "ipxegen $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)"* ]] || fail "--version: $version"
(cd "$work" && ipxegen build --out tree >/dev/null) || fail "ipxegen build --out failed"
[ -s "$work/tree/http/boot.ipxe" ] || fail "build wrote no boot.ipxe"
page=$(man -w ipxegen-build) || fail "man -w ipxegen-build found nothing"
echo "man page: $page"
complete() { # WORDS... -> the candidates for the last word
    bash -c 'source /usr/share/bash-completion/completions/ipxegen
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _ipxegen ipxegen "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
[ "$(complete ipxegen bu)" = build ] || fail "completing 'ipxegen bu': $(complete ipxegen bu)"
complete ipxegen p | grep -qx publish || fail "completing 'ipxegen p' has no publish"
complete ipxegen build --dry | grep -qx -- --dry-run || fail "completing 'ipxegen build --dry'"
for f in /usr/share/zsh/vendor-completions/_ipxegen /usr/share/fish/vendor_completions.d/ipxegen.fish \
    /usr/share/doc/ipxegen/examples/site.json /usr/share/doc/ipxegen/examples/templates/config.ipxe; do
    [ -s "$f" ] || fail "$f is not installed"
done
[ "$guide" = ok ] || fail "the operator guide (docs/operator-guide.md) did not run as written"
echo "install test: ok"
