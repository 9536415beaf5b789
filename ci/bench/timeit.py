#!/usr/bin/env python3
"""Fallback timer used by ci/bench/run when hyperfine is not available.

    timeit.py --runs N [--warmup W] [--name NAME] --export-json FILE [--ignore-failure] -- CMD [ARG...]

Runs CMD directly (no shell, like `hyperfine -N`), output discarded, and writes
a hyperfine-compatible JSON export: {"results": [{"command", "mean", "stddev",
"median", "min", "max", "times", "exit_codes"}]}. Wall-clock times from
time.perf_counter around fork/exec/wait, so roughly 0.5-1 ms of Python
spawn overhead is included (hyperfine subtracts nothing with -N either).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def run_once(cmd: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, rc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--name")
    ap.add_argument("--export-json", required=True)
    ap.add_argument("--ignore-failure", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("missing command")

    for _ in range(args.warmup):
        _, rc = run_once(cmd)
        if rc != 0 and not args.ignore_failure:
            print(f"timeit: warm-up run exited {rc}: {' '.join(cmd)}", file=sys.stderr)
            return 1
    times, codes = [], []
    for _ in range(max(1, args.runs)):
        t, rc = run_once(cmd)
        times.append(t)
        codes.append(rc)
        if rc != 0 and not args.ignore_failure:
            print(f"timeit: command exited {rc}: {' '.join(cmd)}", file=sys.stderr)
            return 1
    result = {
        "command": args.name or " ".join(cmd),
        "mean": statistics.fmean(times),
        "stddev": statistics.stdev(times) if len(times) > 1 else None,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "times": times,
        "exit_codes": codes,
    }
    with open(args.export_json, "w", encoding="utf-8") as f:
        json.dump({"results": [result], "timer": "ci/bench/timeit.py"}, f, indent=2)
    print(f"  {result['command']}: median {result['median']:.4f} s, min {result['min']:.4f} s,"
          f" {len(times)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
