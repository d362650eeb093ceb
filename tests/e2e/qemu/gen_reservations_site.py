#!/usr/bin/env python3
"""A site of N nodes that each have a DHCP reservation, for the boot-chain test of many
machines and the DHCP-server benchmark (bench/dhcp_servers.sh).

Usage: gen_reservations_site.py N HTTP_ROOT KERNEL_URL RAMDISK_URL > site.json

Node i (0 <= i < N, N <= 65536) is `node-iiii`: MAC 52:54:00:20:hh:ll (i as two bytes), host
name `node-iiii`, IPv6 address 2001:db8::1:<i in hex>, and for i < 200 also the IPv4 address
192.0.2.(10 + i); mode deploy with the site's kernel and ramdisk URLs and the kernel argument
`ipxegen.node=node-iiii`. The site is served from 192.0.2.1, with TFTP there too.
"""
import json
import sys


def main() -> int:
    n, http_root, kernel, ramdisk = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    if not 0 < n <= 65536:
        sys.exit("N must be from 1 to 65536")
    nodes = []
    for i in range(n):
        name = f"node-{i:04}"
        node = {
            "id": name,
            "nics": [f"52:54:00:20:{i >> 8:02x}:{i & 0xff:02x}"],
            "mode": "deploy",
            "hostname": name,
            "ipv6": f"2001:db8::1:{i:x}",
            "kernel_args": f"ipxegen.node={name}",
        }
        if i < 200:
            node["ipv4"] = f"192.0.2.{10 + i}"
        nodes.append(node)
    site = {
        "schema": 1,
        "http_server": "http://192.0.2.1",
        "http_root": f"{http_root}/http",
        "tftp_server": "192.0.2.1",
        "tftp_root": f"{http_root}/tftp",
        "kernel_args": "console=ttyS0 panic=-1",
        "deploy_kernel": kernel,
        "deploy_ramdisk": ramdisk,
        "nodes": nodes,
    }
    json.dump(site, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
