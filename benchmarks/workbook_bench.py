"""Time the dashboard workbook for N synthetic customers: metrics, workbook, CSV/Parquet sidecars.

    python benchmarks/workbook_bench.py [--customers 200000] [--out /tmp/eclp-bench]
Budget (issue 5): the 200k-customer workbook written in ≤ 25 s on the 2-core dev machine.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from eclp.canonical import CHANNELS
from eclp.metrics import MetricsInputs, MetricsSettings, compute_dashboard
from eclp.workbook import write_customer_tables, write_workbook

AS_OF = date(2025, 6, 30)


def synthetic_inputs(n: int, seed: int = 7) -> MetricsInputs:
    """n customers, ~2.5 orders per buyer (half buy once), spend per channel, a little content."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("C", np.arange(n).astype(str).astype("U10"))
    channels = np.array(CHANNELS[:10], dtype=object)
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "email": np.char.add(ids, "@example.com"),
            "phone": np.char.add("+4477009", rng.integers(10000, 99999, n).astype(str)),
            "first_name": rng.choice(["Anna", "Ben", "Chloé", "=cmd", "Dev"], n),
            "last_name": rng.choice(["Smith", "Jones", "O'Neil", "Müller", "+1"], n),
            "full_name": None,
            "city": rng.choice(["London", "Leeds", "Paris"], n),
            "country": rng.choice(["GB", "FR", "US", "DE"], n),
            "created_at": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "channel": rng.choice(channels, n),
            "email_consent": rng.random(n) < 0.6,
            "sms_consent": rng.random(n) < 0.2,
            "n_records": rng.integers(1, 4, n),
            "sources": rng.choice(
                ["shopify", "shopify,mailchimp", "mailchimp", "shopify,zendesk"], n
            ),
        }
    )
    buyers = rng.random(n) < 0.8
    counts = np.where(buyers, rng.geometric(0.45, n), 0)
    owner = np.repeat(ids, counts)
    m = len(owner)
    orders = pd.DataFrame(
        {
            "source": "shopify",
            "order_id": np.char.add("#", np.arange(m).astype(str)),
            "customer_id": owner,
            "order_date": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 910 * 24, m), unit="h"),
            "total": np.round(rng.gamma(2.0, 40.0, m), 2),
            "refunded": 0.0,
            "status": rng.choice(["paid", "paid", "paid", "refunded", "partially_refunded"], m),
            "channel": rng.choice(channels, m),
            "units": rng.integers(1, 5, m).astype(float),
        }
    )
    spend = pd.DataFrame(
        {
            "date": pd.Timestamp("2025-01-01"),
            "channel": channels,
            "spend": rng.uniform(1e3, 5e4, len(channels)),
        }
    )
    content = pd.DataFrame(
        {"page": [f"/p/{i}" for i in range(300)], "title": "Page", "views": rng.integers(10, 9000, 300),
         "users": rng.integers(5, 3000, 300), "engaged_seconds": rng.uniform(5, 200, 300), "conversions": 1,
         "period_start": pd.Timestamp("2025-05-01")}
    )  # fmt: skip
    identity_map = pd.DataFrame({"customer_id": ids, "source": "shopify", "source_record_id": ids})
    return MetricsInputs(customers=customers, orders=orders, spend=spend, content=content,
                         identity_map=identity_map, identity_stats={"records": n, "customers": n})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/eclp-bench"))
    args = parser.parse_args()
    inputs = synthetic_inputs(args.customers)
    clock = time.perf_counter()
    dashboard = compute_dashboard(inputs, as_of=AS_OF, settings=MetricsSettings())
    metrics_s = time.perf_counter() - clock
    clock = time.perf_counter()
    path = write_workbook(dashboard, args.out / "dashboard.xlsx")
    workbook_s = time.perf_counter() - clock
    clock = time.perf_counter()
    write_customer_tables(dashboard, args.out)
    tables_s = time.perf_counter() - clock
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells = len(dashboard.customers) * dashboard.customers.shape[1]
    print(
        f"customers={len(dashboard.customers):,} orders={dashboard.kpis['orders']:,} cells={cells:,}"
    )
    print(f"metrics {metrics_s:.1f} s | workbook {workbook_s:.1f} s ({cells / workbook_s / 1e6:.2f} M cells/s) "
          f"| csv+parquet {tables_s:.1f} s | peak RSS {rss_mb:,.0f} MB | {path.stat().st_size / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
