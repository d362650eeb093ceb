#!/usr/bin/env python3
"""Writes an Ironic-shaped site of N nodes to stdout, for bench/archive.sh: every node boots
the deploy ramdisk (the site's deploy_kernel and deploy_ramdisk, placed beside each node's
config as Ironic does), with UUID ids, one network-boot NIC and one that does not boot.

Usage: gen_ironic_site.py N
"""
import json
import sys
import uuid

n = int(sys.argv[1])
rng = uuid.UUID(int=0x1BE26C0B03F24D2EAE87C02D7F33C123)
nodes = []
for i in range(n):
    node_id = str(uuid.UUID(int=(rng.int + i * 0x9E3779B97F4A7C15) % (1 << 128), version=4))
    boot = "52:54:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
    other = "52:55:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255)
    nodes.append({"id": node_id, "nics": [boot, {"mac": other, "pxe": False}],
                  "mode": "deploy", "kernel_args": "ipa-debug=1"})
site = {"schema": 1, "http_server": "http://192.0.2.10:8080", "http_root": "/srv/ipxegen/http",
        "kernel_args": "console=ttyS0,115200n8",
        "deploy_kernel": "/srv/images/ironic-python-agent.kernel",
        "deploy_ramdisk": "/srv/images/ironic-python-agent.initramfs",
        "nodes": nodes}
json.dump(site, sys.stdout, indent=1)
