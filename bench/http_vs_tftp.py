#!/usr/bin/env python3
"""Benchmark (not a test: it only prints figures): the iPXE boot design's headline claim,
HTTP against TFTP, on one node of one site built both ways.

Usage: python3 bench/http_vs_tftp.py [--pad-mib N] [--latency-us US ...] [--runs R]

The site (one deploy node, MAC 52:54:00:12:34:56) is built twice with `ipxegen build`:
`ipxe_enabled` true (the iPXE flow: the main script, the node's config, the kernel and the
initrd over HTTP) and false (the classic flow: PXELINUX, its config, the kernel and the
initrd over TFTP). Both boot in QEMU on legacy BIOS with the NIC's iPXE ROM and QEMU's user
network (`restrict=on`): the iPXE flow is given the main script's URL by QEMU's DHCP and
reaches tests/e2e/qemu/http_server.py through `guestfwd`; the classic flow is given
`pxelinux.0` and fetches everything from QEMU's own TFTP server (`tftp=`), which is how a
TFTP server in the next rack answers: one block per round trip.

Payload: the Debian kernel the QEMU tests boot (tests/e2e/qemu/fetch-kernel.sh) and their
initrd, padded with N MiB of random data (default 64; an uncompressed cpio member appended,
which the kernel unpacks). Latency: QEMU's `filter-buffer` on the guest's netdev holds every
packet and releases them every US microseconds (0 = no filter; default 0, 1000 and 5000).
Each figure is the wall time from QEMU's start to the initrd's first line, median of R runs
(default 1). Every QEMU, socat and HTTP server is killed with its process group.
"""
import argparse
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
E2E = ROOT / "tests" / "e2e" / "qemu"
MAC = "52:54:00:12:34:56"
MARKER = b"IPXEGEN-INITRD: init started"
BOOT_LIMIT_S = 900


def run(argv, **kw):
    done = subprocess.run(argv, capture_output=True, **kw)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def site(flow, out, kernel, initrd):
    """The site document of `flow` ("ipxe" or "tftp")."""
    node = {"id": "bench-node", "nics": [MAC], "mode": "deploy",
            "kernel_args": "ipxegen.node=bench-node"}
    doc = {
        "schema": 1,
        "http_server": "http://10.0.2.100",
        "http_root": str(out / "http"),
        "tftp_server": "10.0.2.2",
        "tftp_root": str(out / "tftp"),
        "kernel_args": "console=ttyS0 panic=-1",
        "deploy_kernel": str(kernel),
        "deploy_ramdisk": str(initrd),
        "nodes": [node],
    }
    if flow == "tftp":
        doc["ipxe_enabled"] = False
    import json
    return json.dumps(doc, indent=1)


def kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def boot_once(flow, out, latency_us, work):
    """Seconds from QEMU's start to the initrd's marker."""
    http = None
    if flow == "ipxe":
        http = subprocess.Popen(
            ["python3", str(E2E / "http_server.py"), str(out / "http"), str(work / "http.log")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        port = int(http.stdout.readline())
        net = (f"user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:socat - TCP:127.0.0.1:{port},"
               f"bootfile=http://10.0.2.100/boot.ipxe")
    else:
        net = f"user,id=n0,restrict=on,tftp={out / 'tftp'},bootfile=pxelinux.0"
    argv = ["timeout", "-s", "KILL", str(BOOT_LIMIT_S), "qemu-system-x86_64", "-m", "1024",
            "-nographic", "-no-reboot", "-boot", "n", "-netdev", net,
            "-device", f"virtio-net-pci,netdev=n0,mac={MAC}"]
    if latency_us:
        argv += ["-object", f"filter-buffer,id=f0,netdev=n0,queue=all,interval={latency_us}"]
    started = time.monotonic()
    qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    seen = b""
    try:
        while True:
            chunk = qemu.stdout.read1(4096)
            if not chunk:
                sys.exit(f"bench: {flow} at {latency_us} us ended without the initrd's marker:\n"
                         + seen[-3000:].decode(errors="replace"))
            seen += chunk
            if MARKER in seen:
                return time.monotonic() - started
    finally:
        kill_group(qemu)
        if http is not None:
            kill_group(http)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pad-mib", type=int, default=64)
    parser.add_argument("--latency-us", type=int, nargs="+", default=[0, 1000, 5000])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for tool in ["qemu-system-x86_64", "socat", "cpio", "timeout"]:
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} is not installed")

    run(["cargo", "build", "-q", "--release", "-p", "ipxegen-cli"], cwd=ROOT)
    ipxegen = ROOT / "target" / "release" / "ipxegen"
    kernel = pathlib.Path(run(["bash", str(E2E / "fetch-kernel.sh"),
                               str(ROOT / "target" / "ipxegen-test-assets")]).decode().strip())
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        initrd = work / "initrd"
        run(["bash", str(E2E / "make-initrd.sh"), str(initrd)])
        if args.pad_mib:
            pad = work / "pad"
            (pad).mkdir()
            with open(pad / "padding", "wb") as f:
                f.write(os.urandom(args.pad_mib << 20))
            member = run(["cpio", "--create", "--format=newc", "--quiet"], cwd=pad,
                         input=b"padding\n")
            with open(initrd, "ab") as f:
                f.write(member)
        payload = kernel.stat().st_size + initrd.stat().st_size
        trees = {}
        for flow in ["ipxe", "tftp"]:
            out = work / flow
            site_file = work / f"{flow}.json"
            site_file.write_text(site(flow, out, kernel, initrd))
            run([str(ipxegen), "build", str(site_file), "--out", str(out)])
            trees[flow] = out
        print(f"boot to the initrd, kernel + initrd = {payload / 2**20:.1f} MiB, "
              f"median of {args.runs} run(s), seconds:")
        print(f"| latency (filter-buffer interval) | iPXE, HTTP | classic, TFTP | TFTP / HTTP |")
        print(f"| ---: | ---: | ---: | ---: |")
        for latency in args.latency_us:
            figures = {}
            for flow in ["ipxe", "tftp"]:
                times = sorted(boot_once(flow, trees[flow], latency, work)
                               for _ in range(args.runs))
                figures[flow] = times[len(times) // 2]
            print(f"| {latency:,} us | {figures['ipxe']:.1f} | {figures['tftp']:.1f} | "
                  f"{figures['tftp'] / figures['ipxe']:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
