#!/usr/bin/env python3
"""Thread scaling: dedup and the floor program at several thread counts.

    scripts/bench_threads.py --input DOCS.jsonl [--threads 1,2,4,8,16] [--rounds 2]
        [--dedup build-bench/dedup] [--floor build-bench/bench/dedup_floor]

For each round and each thread count it runs, one after the other on the same
warm page cache,

    dedup_floor --threads T INPUT
    dedup INPUT -o TMP/out-T.jsonl --report TMP/report-T.jsonl --stats --top-blocks 0 --threads T

and reads each run's wall time, peak RSS and CPU time from wait4() (so no
/usr/bin/time is needed: it runs on bare machines too). The output and report
of every dedup run must be byte-identical to those of the first thread count;
the script says so per row and exits 1 if any differ. It prints a markdown
table of the fastest run of each command (MB = 10^6 input bytes; speed-up is
against dedup's own fastest one-thread run when 1 is among the counts).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import subprocess
import sys
import tempfile
import time


def run(cmd: list[str]) -> dict:
    """Runs cmd with its output captured; wall s, peak RSS (KiB), CPU s, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"bench_threads: {' '.join(cmd)} exited {proc.returncode}:\n{stderr[-2000:]}")
    return {"wall": wall, "rss_kib": usage.ru_maxrss, "user": usage.ru_utime, "sys": usage.ru_stime,
            "stdout": stdout, "stderr": stderr}


def digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# dedup --stats: "time  X s total: read a, count lines b, fingerprint c, cluster d, blocks e, write f"
PHASES = ("read", "count lines", "fingerprint", "cluster", "blocks", "write")


def phases(stderr: str) -> dict[str, float]:
    line = next((l for l in stderr.splitlines() if "s total:" in l), "")
    return {name: float(m.group(1)) for name in PHASES
            if (m := re.search(re.escape(name) + r" ([0-9.]+)", line))}


# dedup --stats (session 13 on): "cluster steps  stories: signatures a, index b, compare c, in order d;
# final: ..." (older builds print no such line: the second table is then left out)
STEPS = ("signatures", "index", "compare", "in order")


def cluster_steps(stderr: str) -> dict[str, float]:
    line = next((l for l in stderr.splitlines() if "cluster steps" in l), "")
    out = {}
    for part in ("stories", "final"):
        m = re.search(part + r": ([^;]*)", line)
        for name in STEPS:
            if m and (v := re.search(re.escape(name) + r" ([0-9.]+)", m.group(1))):
                out[f"{part} {name}"] = float(v.group(1))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--threads", default="1,2,4,8,16")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dedup", default="build-bench/dedup")
    ap.add_argument("--floor", default="build-bench/bench/dedup_floor")
    args = ap.parse_args()
    counts = [int(t) for t in args.threads.split(",")]
    mb = os.path.getsize(args.input) / 1e6
    best: dict[tuple[str, int], dict] = {}
    identical: dict[int, bool] = {}
    reference: tuple[str, str] | None = None
    with tempfile.TemporaryDirectory(prefix="bench_threads.") as work:
        for r in range(args.rounds):
            for t in counts:
                floor = run([args.floor, "--threads", str(t), args.input])
                out, report = f"{work}/out.jsonl", f"{work}/report.jsonl"
                dedup = run([args.dedup, args.input, "-o", out, "--report", report, "--stats", "--top-blocks", "0",
                             "--threads", str(t)])
                dedup["phases"] = phases(dedup["stderr"])
                dedup["steps"] = cluster_steps(dedup["stderr"])
                sums = (digest(out), digest(report))
                reference = reference or sums
                identical[t] = identical.get(t, True) and sums == reference
                for name, res in (("floor", floor), ("dedup", dedup)):
                    if (name, t) not in best or res["wall"] < best[(name, t)]["wall"]:
                        best[(name, t)] = res
                print(f"round {r + 1} threads {t}: floor {floor['wall']:.2f} s, dedup {dedup['wall']:.2f} s",
                      file=sys.stderr, flush=True)
    one = best.get(("dedup", 1))
    print(f"Input: {args.input} ({mb:.1f} MB, sha256 {digest(args.input)[:16]}); {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}); fastest of {args.rounds} rounds. Output sha256 "
          f"{reference[0][:16]}, report sha256 {reference[1][:16]} (of the first run).\n")
    print("| threads | floor s | floor MB/s | dedup s | dedup MB/s | ratio to floor | speed-up | peak RSS MiB "
          "| CPU s | " + " | ".join(PHASES) + " | output identical |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(PHASES) + "---|")
    for t in counts:
        f, d = best[("floor", t)], best[("dedup", t)]
        speedup = f"{one['wall'] / d['wall']:.2f}" if one else "-"
        cells = [t, f"{f['wall']:.2f}", f"{mb / f['wall']:.1f}", f"{d['wall']:.2f}", f"{mb / d['wall']:.1f}",
                 f"{f['wall'] / d['wall']:.3f}", speedup, f"{d['rss_kib'] / 1024:.0f}",
                 f"{d['user'] + d['sys']:.1f}"]
        cells += [f"{d['phases'].get(p, float('nan')):.2f}" for p in PHASES]
        cells.append("yes" if identical[t] else "NO")
        print("| " + " | ".join(str(c) for c in cells) + " |")
    step_names = [f"{part} {name}" for part in ("stories", "final") for name in STEPS]
    if all(best[("dedup", t)]["steps"] for t in counts):
        print("\nClustering steps of the same runs (seconds; compare runs on every thread, in order on one):\n")
        print("| threads | " + " | ".join(step_names) + " |")
        print("|---:|" + "---:|" * len(step_names))
        for t in counts:
            steps = best[("dedup", t)]["steps"]
            print(f"| {t} | " + " | ".join(f"{steps.get(n, float('nan')):.3f}" for n in step_names) + " |")
    return 0 if all(identical.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
