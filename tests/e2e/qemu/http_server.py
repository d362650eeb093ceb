#!/usr/bin/env python3
"""Static HTTP server of the QEMU boot test.

Usage: http_server.py ROOT LOG

Serves ROOT (symbolic links followed, as a web server serving an Ironic tree does) on
127.0.0.1 at a free port, prints that port on standard output, and appends one line per
response to LOG, flushed at once, in the order responses start: `METHOD PATH STATUS`.
Exits when its standard input closes, so it cannot outlive the test that started it.
"""
import functools
import http.server
import os
import sys
import threading


def main() -> int:
    root, log_path = sys.argv[1], sys.argv[2]
    log = open(log_path, "a", buffering=1, encoding="utf-8")
    lock = threading.Lock()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            with lock:
                log.write(f"{self.command} {self.path} {getattr(code, 'value', code)}\n")

        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
