#!/usr/bin/env python3
"""Send one captured DHCPv4 client message and print the server's reply as hex.

Usage: dhcp_client.py IFACE HEXFILE TIMEOUT_S [ADDRESS:PORT]

Runs inside a network namespace the test created. The captured message is sent from port 68
to ADDRESS:PORT (default 255.255.255.255:67) on IFACE with the BROADCAST flag set (so a
server answering a broadcast broadcasts its reply and no address is needed on IFACE; a
unicast destination, such as a ProxyDHCP server's port 4011, needs one). The first reply
with the same transaction id is printed as one line of hex; exit 1 if none arrives within
TIMEOUT_S.
"""
import socket
import sys
import time


def main() -> int:
    iface, hex_file, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    address, port = (sys.argv[4] if len(sys.argv) > 4 else "255.255.255.255:67").rsplit(":", 1)
    with open(hex_file) as f:
        message = bytearray(bytes.fromhex(f.read().strip()))
    message[10] |= 0x80  # flags: BROADCAST
    xid = bytes(message[4:8])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", 68))
    deadline = time.monotonic() + timeout
    next_send = 0.0
    while True:
        now = time.monotonic()
        if now >= deadline:
            print("no reply", file=sys.stderr)
            return 1
        if now >= next_send:
            sock.sendto(message, (address, int(port)))
            next_send = now + 1.0
        sock.settimeout(max(0.05, min(next_send, deadline) - now))
        try:
            reply, _ = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if len(reply) >= 240 and reply[0] == 2 and reply[4:8] == xid:
            print(reply.hex())
            return 0


if __name__ == "__main__":
    sys.exit(main())
