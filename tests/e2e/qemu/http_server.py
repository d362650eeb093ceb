#!/usr/bin/env python3
"""Static HTTP server of the QEMU boot test.

Usage: http_server.py ROOT LOG [ADDRESS PORT]

Serves ROOT (symbolic links followed, as a web server serving an Ironic tree does) on
127.0.0.1 at a free port, or on ADDRESS and PORT when given (`::` for every IPv6 and IPv4
address), prints the port on standard output, and appends one line per response to LOG,
flushed at once, in the order responses start: `METHOD PATH STATUS`, followed by ` CLIENT`
(the client's address, IPv4 without the `::ffff:` prefix) when ADDRESS is given.
Exits when its standard input closes, so it cannot outlive the test that started it.
"""
import functools
import http.server
import os
import socket
import sys
import threading


def main() -> int:
    root, log_path = sys.argv[1], sys.argv[2]
    address, port = (sys.argv[3], int(sys.argv[4])) if len(sys.argv) > 4 else ("127.0.0.1", 0)
    with_client = len(sys.argv) > 4
    log = open(log_path, "a", buffering=1, encoding="utf-8")
    lock = threading.Lock()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            with lock:
                line = f"{self.command} {self.path} {getattr(code, 'value', code)}"
                if with_client:
                    line += " " + self.client_address[0].removeprefix("::ffff:")
                log.write(line + "\n")

        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    handler = functools.partial(Handler, directory=root)
    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in address else socket.AF_INET

    server = Server((address, port), handler)
    server.daemon_threads = True

    def exit_when_parent_goes():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
