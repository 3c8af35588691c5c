"""Time CLV on a generated shop: 200k customers, ~1M orders drawn from a BG/NBD process.

Usage: python benchmarks/clv_bench.py [--customers 200000] [--repeats 3] [--time-unit W]
Prints the median time of each stage and of the whole compute_clv, peak RSS, and the fitted
parameters next to the ones the data were drawn from (a recovery check).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from functools import partial

import numpy as np
import pandas as pd

from eclp.metrics.clv import (
    ClvSettings,
    compute_clv,
    fit_bgnbd,
    fit_gamma_gamma,
    predict,
    rfm_summary,
)

TRUE_BGNBD = {"r": 0.6, "alpha": 40.0, "a": 0.8, "b": 3.0}  # alpha in days
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "v": 15.0}
START = pd.Timestamp("2023-01-01")
AS_OF = pd.Timestamp("2025-01-01")
MAX_PURCHASES = 40


def generate(n_customers: int, seed: int = 7) -> pd.DataFrame:
    """Orders of n customers who join over the first year and buy by BG/NBD + Gamma-Gamma."""
    rng = np.random.default_rng(seed)
    span = (AS_OF - START).days
    join = rng.integers(0, span // 2, n_customers)
    rate = rng.gamma(TRUE_BGNBD["r"], 1.0 / TRUE_BGNBD["alpha"], n_customers)
    drop = rng.beta(TRUE_BGNBD["a"], TRUE_BGNBD["b"], n_customers)
    gaps = rng.exponential(1.0, (n_customers, MAX_PURCHASES)) / rate[:, None]
    times = join[:, None] + np.concatenate(
        [np.zeros((n_customers, 1)), np.cumsum(gaps, axis=1)[:, :-1]], axis=1
    )
    # BG/NBD: the first repeat purchase always comes while alive; after each repeat purchase
    # the customer drops out with probability p, so purchase k >= 2 needs k - 1 survivals.
    stays = rng.random((n_customers, MAX_PURCHASES - 2)) >= drop[:, None]
    survived = np.concatenate(
        [np.ones((n_customers, 2), dtype=bool), np.cumprod(stays, axis=1).astype(bool)], axis=1
    )
    keep = survived & (times < span)
    customer, _ = np.nonzero(keep)
    day = times[keep].astype(np.int64)
    spend_scale = rng.gamma(TRUE_GAMMA_GAMMA["q"], 1.0 / TRUE_GAMMA_GAMMA["v"], n_customers)
    revenue = rng.gamma(TRUE_GAMMA_GAMMA["p"], 1.0 / spend_scale[customer])
    return pd.DataFrame(
        {
            "customer_id": pd.Series(customer).map("C{:07d}".format),
            "order_date": START
            + pd.to_timedelta(day, unit="D")
            + pd.to_timedelta(rng.integers(0, 86_400, day.size), unit="s"),
            "revenue": revenue.round(2),
        }
    )


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--time-unit", default="W", choices=["D", "W"])
    args = parser.parse_args()

    transactions, gen_seconds = _timed(lambda: generate(args.customers))
    print(
        f"generated {len(transactions):,} orders of {transactions['customer_id'].nunique():,} "
        f"customers in {gen_seconds:.1f}s"
    )
    settings = ClvSettings(time_unit=args.time_unit)
    stages: dict[str, list[float]] = {
        "summary": [],
        "bgnbd": [],
        "gamma": [],
        "predict": [],
        "total": [],
    }
    for _ in range(args.repeats):
        summary, t = _timed(
            lambda: rfm_summary(transactions, as_of=AS_OF, time_unit=args.time_unit)
        )
        stages["summary"].append(t)
        bgnbd, t = _timed(lambda: fit_bgnbd(summary, min_customers=50))  # noqa: B023
        stages["bgnbd"].append(t)
        gamma, t = _timed(lambda: fit_gamma_gamma(summary, min_repeat_buyers=20))  # noqa: B023
        stages["gamma"].append(t)
        _, t = _timed(
            partial(
                predict,
                summary,
                bgnbd,
                gamma,
                horizon_periods=settings.horizon_periods,
                as_of=AS_OF,
                time_unit=args.time_unit,
            )
        )
        stages["predict"].append(t)
        result, t = _timed(lambda: compute_clv(transactions, as_of=AS_OF, settings=settings))
        stages["total"].append(t)

    for name, seconds in stages.items():
        print(
            f"{name:>8}: median {statistics.median(seconds):.2f}s  (runs: "
            + ", ".join(f"{s:.2f}" for s in seconds)
            + ")"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")
    unit_days = 7.0 if args.time_unit == "W" else 1.0
    fitted = result.bgnbd
    print(
        "BG/NBD fitted  r={r:.3f} alpha={alpha:.2f} a={a:.3f} b={b:.3f} ({method})".format(**fitted)
    )
    print(
        "BG/NBD drawn   r={r:.3f} alpha={alpha_u:.2f} a={a:.3f} b={b:.3f}".format(
            **TRUE_BGNBD, alpha_u=TRUE_BGNBD["alpha"] / unit_days
        )
    )
    gg = result.gamma_gamma
    print("Gamma-Gamma    p={p:.3f} q={q:.3f} v={v:.3f} ({method})".format(**gg))
    print("               drawn p={p} q={q} v={v}".format(**TRUE_GAMMA_GAMMA))
    print("notes:", *result.notes, sep="\n  ")


if __name__ == "__main__":
    main()
