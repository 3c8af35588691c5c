"""Ingest benchmark: Shopify order lines through the whole pipeline into a fresh store.

Target (issue 2): 1M Shopify order lines (~350 MB CSV) in ≤ 30 s and ≤ 2 GB peak RSS on a
2-core machine. Each repetition runs `eclp ingest` in a fresh process on a fresh workspace and
reads its own peak RSS from the kernel (wait4); the median is printed.

    python benchmarks/ingest_bench.py [--lines 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measured(argv: list[str]) -> tuple[float, float, str, int]:
    """Run a command; its wall time, its own peak RSS in MB (wait4), stdout and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, out, proc.returncode


def one_run(export: Path) -> tuple[float, float, str]:
    ws = Path(tempfile.mkdtemp(prefix="eclp-bench-"))
    try:
        subprocess.run([sys.executable, "-m", "eclp", "init", str(ws)], check=True,
                       capture_output=True)  # fmt: skip
        elapsed, peak_mb, out, code = measured(
            [sys.executable, "-m", "eclp", "-w", str(ws), "ingest", "--json", str(export)]
        )
        if code not in (0, 3):
            raise SystemExit(f"ingest failed ({code})")
        return elapsed, peak_mb, out
    finally:
        shutil.rmtree(ws, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = HERE / "data" / f"shop-{args.lines}"
    export = data / "orders_export_1.csv"
    if not export.exists():
        print(f"generating {args.lines:,} order lines into {data} ...")
        # In a child process: a big parent inflates every forked child's peak RSS.
        subprocess.run([sys.executable, str(HERE / "shopgen.py"), str(data), "--people",
                        str(args.people), "--lines", str(args.lines), "--seed", "1"],
                       check=True, capture_output=True)  # fmt: skip
    size_mb = export.stat().st_size / 1e6
    times, peaks = [], []
    for i in range(args.repeat):
        elapsed, peak_mb, out = one_run(export)
        times.append(elapsed)
        peaks.append(peak_mb)
        print(f"run {i + 1}: {elapsed:.1f} s, peak RSS ≤ {peak_mb:,.0f} MB")
    print(f"\n{args.lines:,} Shopify order lines, {size_mb:,.0f} MB CSV")
    print(
        f"median {statistics.median(times):.1f} s (min {min(times):.1f}), "
        f"peak RSS {max(peaks):,.0f} MB"
    )
    print(out.strip()[:400])


if __name__ == "__main__":
    main()
