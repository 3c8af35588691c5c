"""Identity benchmark: synthetic shops (5k, 200k people, ~700k records), Febrl3 and Febrl4.

    PYTHONPATH=. python -m benchmarks.identity.run [--only 5k,200k,speed,febrl1,febrl2,febrl3,febrl4]

Cases 5k, 200k and speed draw names by census frequencies; 5k-compact and 200k-compact use the
first generator's compact name model (far more namesakes; see benchmarks.identity.names).
Prints pairwise precision / recall / F1, seconds and peak RSS per case (MiB: loading the input
plus resolving it, measured before the scoring against the truth), and an exact-email join
baseline. Each case runs in a fresh subprocess so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.identity.febrl import ingested_records, truth
from benchmarks.identity.score import pairwise_scores

# case → (people, name model); "compact" is the first generator's name model, kept to compare.
CASES = {
    "5k": (5_000, "census"),
    "200k": (200_000, "census"),
    "speed": (245_000, "census"),
    "5k-compact": (5_000, "compact"),
    "200k-compact": (200_000, "compact"),
}


# Febrl1 and Febrl2 were never tuned on: Febrl3 and Febrl4 are the targets.
DEDUPE = ("febrl1", "febrl2", "febrl3")


def synthetic(people: int, names: str) -> dict:
    from eclp.identity import resolve

    # Generate in a child process, so this process's peak RSS is resolution's (plus the input).
    path = Path(tempfile.gettempdir()) / f"eclp-identity-{names}-{people}.parquet"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.identity.generate",
                "--people",
                str(people),
                "--names",
                names,
                "--out",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
    frame = pd.read_parquet(path)
    # The truth out of the frame in place: resolve gets the frame itself, as `eclp build` passes
    # the store's frame (frame.drop would hold a second copy of every column during resolve).
    person_id = frame.pop("person_id")
    start = time.perf_counter()
    result = resolve(frame)
    seconds = time.perf_counter() - start
    # The process's peak so far: loading the input and resolving it. Scoring against the truth
    # below builds indexes of its own and is no part of eclp's footprint.
    resolve_peak = _peak_rss_mib()
    # Only the identity map is scored: free the rest of the result first, and index the truth
    # by its three columns (not a copy of the whole frame).
    imap = result.identity_map.set_index(["source", "source_record_id"])
    stats = {k: v for k, v in result.stats.items() if k != "events"}
    del result
    truth = pd.Series(
        person_id.to_numpy(),
        index=pd.MultiIndex.from_arrays([frame["source"], frame["source_record_id"]]),
    )
    scores = pairwise_scores(imap["customer_id"].to_numpy(), truth.reindex(imap.index).to_numpy())
    del imap, truth
    email = frame["email"].fillna(frame["source"] + ":" + frame["source_record_id"])
    baseline = pairwise_scores(email.to_numpy(), person_id.to_numpy())
    return {
        "records": len(frame),
        "seconds": seconds,
        **scores,
        "baseline_email": baseline,
        "stats": stats,
        "peak_rss_mb": resolve_peak,
    }


def febrl_dedupe(which: str) -> dict:
    """Febrl1, 2 or 3 (dedupe): the raw CSV ingested through an eclp.yaml mapping, resolved."""
    from eclp.identity import resolve

    with tempfile.TemporaryDirectory() as folder:
        records = ingested_records(Path(folder), which)
    start = time.perf_counter()
    result = resolve(records)
    seconds = time.perf_counter() - start
    imap = result.identity_map
    return {
        "records": len(records),
        "seconds": seconds,
        **pairwise_scores(
            imap["customer_id"].to_numpy(), truth(imap["source_record_id"]).to_numpy()
        ),
    }


def febrl4() -> dict:
    """Febrl4 (linkage): two raw CSVs, two mapped sources; scored on cross-source pairs."""
    from eclp.identity import resolve

    with tempfile.TemporaryDirectory() as folder:
        records = ingested_records(Path(folder), "febrl4")
    start = time.perf_counter()
    result = resolve(records)
    seconds = time.perf_counter() - start
    imap = result.identity_map
    people = truth(imap["source_record_id"]).to_numpy()
    # Linkage: score only cross-source pairs (4a and 4b are each free of duplicates).
    cross = _cross_pairs(imap["customer_id"].to_numpy(), people, imap["source"].to_numpy())
    return {
        "records": len(records),
        "seconds": seconds,
        **cross,
        "all_pairs": pairwise_scores(imap["customer_id"].to_numpy(), people),
    }


def _cross_pairs(pred, true, source) -> dict:
    """Precision/recall/F1 over pairs with one record from each source."""

    def cross(labels):
        frame = (
            pd.DataFrame({"l": labels, "s": source})
            .groupby(["l", "s"])
            .size()
            .unstack(fill_value=0)
        )
        return int(np.prod(frame.to_numpy(), axis=1).sum()) if frame.shape[1] == 2 else 0

    pred_s, true_s = pd.Series(pred).astype(str), pd.Series(true).astype(str)
    tp, pp, tt = (
        cross((pred_s + "\x1f" + true_s).to_numpy()),
        cross(pred_s.to_numpy()),
        cross(true_s.to_numpy()),
    )
    precision, recall = tp / pp if pp else 1.0, tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": tt,
        "predicted_pairs": pp,
    }


def _peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(name: str) -> dict:
    if name in CASES:
        result = synthetic(*CASES[name])
    elif name in DEDUPE:
        result = febrl_dedupe(name)
    else:
        result = febrl4()
    result.setdefault("peak_rss_mb", _peak_rss_mib())
    result["process_peak_rss_mb"] = _peak_rss_mib()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="5k,febrl3,febrl4,200k,speed")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case), default=str))
        return
    for name in args.only.split(","):
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.identity.run", "--case", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(f"{name}: FAILED\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{name:7s} records={r['records']:>7} P={r['precision']:.4f} R={r['recall']:.4f} "
            f"F1={r['f1']:.4f} resolve={r['seconds']:.1f}s peak_rss={r['peak_rss_mb']:.0f}MiB"
        )
        if "baseline_email" in r:
            b = r["baseline_email"]
            print(
                f"        exact-email join P={b['precision']:.4f} R={b['recall']:.4f} F1={b['f1']:.4f}"
            )
        if "stats" in r:
            print(f"        stats {r['stats']}")


if __name__ == "__main__":
    main()
