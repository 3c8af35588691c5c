"""Timing of detection and behaviours on 1M-row frames (not part of the test run).

Run: python -m tests.profiles.bench_behaviours
"""

import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from eclp.sources.behaviours import FileContext, apply_behaviours
from eclp.sources.detect import detect
from eclp.sources.profiles import load_builtin_profiles

P = load_builtin_profiles()
n = 1_000_000
rng = np.random.default_rng(1)


def t(label, f, reps=3):
    times = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        times.append(time.perf_counter() - s)
    print(f"{label}: median {np.median(times) * 1000:.1f} ms")


FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/exports/shopify/orders_export_1.csv"
hdr = FIXTURE.read_text().splitlines()[0].split(",") + [f"Custom {i}" for i in range(100)]
t("detect 179-column header x20 profiles", lambda: detect(hdr), reps=20)
orders = pd.DataFrame(
    {
        "order_id": rng.integers(1, 300000, n).astype(str).astype(object),
        "status": np.where(rng.random(n) < 0.5, "paid", None).astype(object),
        "_cancelled_at": np.where(rng.random(n) < 0.01, "2025-10-06 12:00:00 -0300", None).astype(
            object
        ),
        "_row": np.arange(2, n + 2),
    }
)
t(
    "shopify_orders behaviours 1M rows",
    lambda: apply_behaviours(orders, P["shopify_orders"], FileContext("o.csv")),
)
spend = pd.DataFrame(
    {
        "campaign": np.where(rng.random(n) < 0.001, "Total: Account", "Brand - Search").astype(
            object
        ),
        "spend": np.full(n, "$1.00", dtype=object),
        "date": np.full(n, None, dtype=object),
        "_row": np.arange(2, n + 2),
    }
)
t(
    "google_ads behaviours 1M rows",
    lambda: apply_behaviours(
        spend,
        P["google_ads"],
        FileContext("g.csv", ("Campaign performance", "September 29, 2025 - September 29, 2025")),
    ),
)
pp = pd.DataFrame(
    {
        "order_date": np.full(n, "10/01/2025", dtype=object),
        "_time": np.full(n, "09:15:02", dtype=object),
        "_timezone": np.full(n, "PDT", dtype=object),
        "_balance_impact": np.where(rng.random(n) < 0.1, "Debit", "Credit").astype(object),
        "total": np.full(n, "1,250.00", dtype=object),
        "_row": np.arange(2, n + 2),
    }
)
t(
    "paypal behaviours 1M rows",
    lambda: apply_behaviours(pp, P["paypal_activity"], FileContext("Download.CSV")),
)
print("peak RSS MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
