#!/usr/bin/env bash
# Benchmark (not a test: it only prints figures): how long dnsmasq, ISC dhcpd and Kea take to
# start and load ipxegen's DHCPv4 config of a site with N host reservations, from the start
# of the process to its DHCP socket listening (UDP port 67), in a network namespace of its
# own (a bridge with 192.0.2.1/24, as in the boot-chain tests; nothing leaves it).
#
# The site is tests/e2e/qemu/gen_reservations_site.py's: N nodes, each with a MAC, a host
# name and an IPv6 address, the first 200 also an IPv4 address. Each server runs its config
# as README's "Including a generated config" blocks show it (interface, subnet, range around
# ipxegen's file). Each figure is the median of RUNS starts (default 5); a site of one node
# is measured beside it, so the reservations' own cost is the difference.
#
# Usage: sudo bash bench/dhcp_servers.sh [N...]      (default 1000; needs root, iproute2,
#        dnsmasq-base, isc-dhcp-server, kea-dhcp4-server, jq, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000)
for tool in ip ss dnsmasq dhcpd kea-dhcp4 jq python3; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

cargo build -q --release -p ipxegen-cli
bin=$PWD/target/release/ipxegen
work=$(mktemp -d)
ns=ipxg-bench-$$
cleanup() {
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add br0 type bridge
ip -n "$ns" addr add 192.0.2.1/24 dev br0
# A bridge without ports has no carrier; Kea would not listen on it. A veth port gives it one.
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 master br0
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up
ip -n "$ns" link set br0 up
# The bridge's carrier follows its port's a moment later (the kernel's link watch), and Kea
# does not listen on an interface that is not yet running: wait for it, at most 5 s.
for i in $(seq 1 500); do
    ip -n "$ns" -o link show br0 | grep -q 'state UP' && break
    sleep 0.01
done
ip -n "$ns" -o link show br0 | grep -q 'state UP' || {
    echo "bench: br0 has no carrier 5 s after it was set up" >&2
    exit 1
}

# Milliseconds from starting "$@" (in the namespace, in a session of its own) to UDP port 67
# listening; then kills its whole process group and waits until the port is free again.
listening() { ip netns exec "$ns" ss -Hlun 'sport = :67' | grep -q .; }
start_ms() {
    local t0 pid i
    t0=$(date +%s%N)
    setsid timeout -s KILL 120 ip netns exec "$ns" "$@" >"$work/server.log" 2>&1 &
    pid=$!
    for i in $(seq 1 12000); do
        if listening; then
            echo $(( ($(date +%s%N) - t0) / 1000000 ))
            kill -KILL -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
            for i in $(seq 1 1000); do listening || return 0; sleep 0.01; done
            echo "bench: port 67 still bound after $1 was killed" >&2
            exit 1
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    echo "bench: $1 did not listen; its log:" >&2
    cat "$work/server.log" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    exit 1
}

median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Writes the configs of a site of $1 nodes into $work/$1/.
configs() {
    local n=$1 d=$work/$1
    mkdir -p "$d"
    python3 tests/e2e/qemu/gen_reservations_site.py "$n" "$d/out" \
        http://192.0.2.1/images/vmlinuz http://192.0.2.1/images/initrd > "$d/site.json"
    "$bin" dhcp "$d/site.json" --format dnsmasq > "$d/ipxegen-dnsmasq.conf"
    "$bin" dhcp "$d/site.json" --format isc > "$d/ipxegen-dhcpd.conf"
    "$bin" dhcp "$d/site.json" --format kea4 > "$d/ipxegen-kea4.json"
    cat > "$d/dnsmasq.conf" <<EOF
interface=br0
bind-interfaces
dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0,1h
port=0
pid-file=
dhcp-leasefile=$d/dnsmasq.leases
conf-file=$d/ipxegen-dnsmasq.conf
EOF
    cat > "$d/dhcpd.conf" <<EOF
authoritative;
subnet 192.0.2.0 netmask 255.255.255.0 {
  range 192.0.2.100 192.0.2.199;
}
include "$d/ipxegen-dhcpd.conf";
EOF
    : > "$d/dhcpd.leases"
    cat > "$d/kea-site.json" <<EOF
{"Dhcp4": {"interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "memfile", "persist": false},
  "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.199"}]}]}}
EOF
    jq -s '.[0] * .[1]' "$d/ipxegen-kea4.json" "$d/kea-site.json" > "$d/kea-dhcp4.conf"
}

measure() {
    local n=$1 d=$work/$1 server runs r
    for server in dnsmasq dhcpd kea; do
        runs=()
        for r in $(seq 1 "$RUNS"); do
            # A killed server's pid file names a pid that may still exist (as a zombie).
            rm -f "$d"/*.pid
            case $server in
                dnsmasq) runs+=("$(start_ms dnsmasq -k -C "$d/dnsmasq.conf")") ;;
                dhcpd) runs+=("$(start_ms dhcpd -4 -f -cf "$d/dhcpd.conf" -lf "$d/dhcpd.leases" \
                    -pf "$d/dhcpd.pid" br0)") ;;
                kea) runs+=("$(start_ms env KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" \
                    kea-dhcp4 -c "$d/kea-dhcp4.conf")") ;;
            esac
        done
        printf '  %-8s %6s ms   (runs: %s)\n' "$server" "$(echo "${runs[*]}" | median)" "${runs[*]}"
    done
}

echo "start to listening, median of $RUNS ($(dnsmasq --version | head -1 | awk '{print $1, $3}'), \
$(dhcpd --version 2>&1 | awk '{print $NF}' | head -1 | sed 's/^/ISC dhcpd /'), Kea $(kea-dhcp4 -v))"
for n in 1 "${sizes[@]}"; do
    configs "$n"
    echo "site of $n node(s), $(grep -c '^dhcp-host=' "$work/$n/ipxegen-dnsmasq.conf") reservations:"
    measure "$n"
done
