#!/usr/bin/env python3
"""Writes a site of N nodes (ipxegen's site document) to stdout, for bench/tree.sh and tests.

Usage: gen_site.py N HTTP_ROOT [KERNEL]  -- with KERNEL, nodes of mode "deploy" place that
local file (every fourth node); the others boot URLs or the local disk.
"""
import json
import sys

n = int(sys.argv[1])
root = sys.argv[2]
kernel = sys.argv[3] if len(sys.argv) > 3 else None
nodes = []
for i in range(n):
    mac = "52:54:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
    node = {"id": "node-%06d" % i, "nics": [mac]}
    if kernel and i % 4 == 0:
        node.update(mode="deploy", kernel=kernel, ramdisk=kernel)
    elif i % 2 == 0:
        node.update(mode="ramdisk", kernel="http://192.0.2.20/images/vmlinuz",
                    ramdisk="http://192.0.2.20/images/initrd.img", kernel_args="quiet n=%d" % i)
    else:
        node.update(mode="local")
    nodes.append(node)
site = {"schema": 1, "http_server": "http://192.0.2.10:8080", "http_root": root,
        "kernel_args": "console=ttyS0,115200n8", "nodes": nodes}
json.dump(site, sys.stdout, indent=1)
