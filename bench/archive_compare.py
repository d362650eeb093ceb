#!/usr/bin/env python3
"""Runs `ipxegen archive` and bench/jinja_reference.py on the same sites, checks that both
archives hold the same tree, and prints median wall time, peak RSS and the ratio (see
bench/archive.sh, which prepares the sites and the virtualenv).

Usage: archive_compare.py IPXEGEN WORK_DIR NODES...   (WORK_DIR holds site-NODES.json)
"""
import os
import statistics
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("RUNS", "5"))


def run(argv, work):
    """Runs argv under GNU time (a small parent, so the peak RSS is argv's own); gives its
    wall time (s) and peak RSS (KiB)."""
    figures = os.path.join(work, "time")
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", figures] + argv,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed:\n{done.stderr.decode(errors='replace')}")
    with open(figures) as f:
        return wall, int(f.read().split()[-1])


def tree(path):
    """The entries of a tar archive: name -> (type, mode, link target, bytes)."""
    entries = {}
    with tarfile.open(path) as tar:
        for info in tar:
            data = tar.extractfile(info).read() if info.isfile() else b""
            entries[info.name.rstrip("/")] = (info.type, info.mode, info.linkname, data)
    return entries


def same_tree(ours, reference):
    a, b = tree(ours), tree(reference)
    if a.keys() != b.keys():
        only = sorted(a.keys() ^ b.keys())[:5]
        sys.exit(f"bench: the archives hold different entries, e.g. {only}")
    for name in a:
        if a[name] != b[name]:
            sys.exit(f"bench: {name} differs between the archives")
    return len(a)


def main():
    ipxegen, work, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
    reference = [sys.executable, os.path.join(HERE, "jinja_reference.py")]
    rows = []
    for nodes in sizes:
        site = os.path.join(work, f"site-{nodes}.json")
        ours, theirs = os.path.join(work, "ipxegen.tar"), os.path.join(work, "reference.tar")
        commands = {
            "ipxegen": [ipxegen, "archive", site, "-o", ours],
            "reference": reference + [site, theirs],
        }
        for argv in commands.values():
            run(argv, work)
        entries = same_tree(ours, theirs)
        figures = {name: [] for name in commands}
        for _ in range(RUNS):
            for name, argv in commands.items():
                figures[name].append(run(argv, work))
        wall = {n: statistics.median(t for t, _ in f) for n, f in figures.items()}
        rss = {n: max(m for _, m in f) for n, f in figures.items()}
        rows.append((nodes, entries, wall, rss, os.path.getsize(site)))
        for path in (ours, theirs):
            os.remove(path)
    print(f"median of {RUNS} runs; both archives hold the same tree")
    print(f"{'nodes':>7} {'entries':>8} {'ipxegen':>10} {'reference':>10} {'ratio':>7}"
          f" {'site':>9} {'ipxegen RSS':>12} {'reference RSS':>14}")
    for nodes, entries, wall, rss, size in rows:
        ratio = wall["reference"] / wall["ipxegen"]
        print(f"{nodes:>7} {entries:>8} {wall['ipxegen'] * 1000:>8.0f}ms"
              f" {wall['reference'] * 1000:>8.0f}ms {ratio:>6.1f}x {size / 2**20:>7.1f}MiB"
              f" {rss['ipxegen'] / 1024:>9.1f}MiB {rss['reference'] / 1024:>11.1f}MiB")


if __name__ == "__main__":
    main()
