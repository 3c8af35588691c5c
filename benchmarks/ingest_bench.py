"""Ingest benchmark: Shopify order lines through the whole pipeline into a fresh store.

Target (issue 2): 1M Shopify order lines (~350 MB CSV) in ≤ 30 s and ≤ 2 GB peak RSS on a
2-core machine. Each repetition runs `eclp ingest` in a fresh process on a fresh workspace and
reads its peak RSS from the kernel; the median is printed.

    python benchmarks/ingest_bench.py [--lines 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shopgen import generate  # noqa: E402


def one_run(export: Path) -> tuple[float, float, str]:
    ws = Path(tempfile.mkdtemp(prefix="eclp-bench-"))
    try:
        subprocess.run(
            [sys.executable, "-m", "eclp", "init", str(ws)], check=True, capture_output=True
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "eclp", "-w", str(ws), "ingest", "--json", str(export)],
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if proc.returncode not in (0, 3):
            raise SystemExit(f"ingest failed ({proc.returncode}): {proc.stderr.strip()}")
        # ru_maxrss of children is the max over all children so far: fresh per run only if larger
        return elapsed, max(peak, before) / 1024, proc.stdout
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
        generate(data, args.people, seed=1, lines=args.lines)
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
