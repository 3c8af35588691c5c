"""Time normalize_frame on a synthetic 1M-row Shopify orders export (one row per line item).

Usage: python benchmarks/normalize_bench.py [--rows 1000000] [--repeat 3]
Prints the median wall and CPU time and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import numpy as np
import pandas as pd

from eclp.normalize.frame import NormalizeOptions, normalize_frame

FIRST = ["Jane", "JOHN", "maría", "Li", "Ahmed", "Olivia", "Noah", "Emma", "Lukas", "Sofia"]
LAST = ["Smith", "MCDONALD", "o'brien", "van der Berg", "García", "Chen", "Müller", "Rahman"]
COUNTRIES = ["GB", "US", "DE", "BD", "NL", "United Kingdom", "USA"]
SOURCES = ["web", "pos", "shopify_draft_order", "iphone", "580111"]


def shopify_orders(rows: int, seed: int = 7) -> pd.DataFrame:
    """Line items of ~rows/2.5 orders by ~rows/10 customers; order fields on first lines only."""
    rng = np.random.default_rng(seed)
    n_orders = max(1, int(rows / 2.5))
    n_customers = max(1, rows // 10)
    order_of_row = np.sort(rng.integers(0, n_orders, rows))
    first_line = np.r_[True, order_of_row[1:] != order_of_row[:-1]]
    customer = rng.integers(0, n_customers, n_orders)[order_of_row]
    start = np.datetime64("2023-01-01T00:00:00")
    created = start + rng.integers(0, 86400 * 900, n_orders).astype("timedelta64[s]")
    offsets = np.array(["-0300", "+0000", "+0100", "-0500"])[rng.integers(0, 4, n_orders)]
    created_text = pd.Series(created.astype(str)).str.replace("T", " ") + " " + offsets
    totals = rng.integers(500, 40000, n_orders) / 100

    def order_level(values: pd.Series | np.ndarray) -> pd.Series:
        col = pd.Series(np.asarray(values, dtype=object)[order_of_row], dtype=object)
        return col.where(first_line, None)

    def per_customer(values: np.ndarray) -> pd.Series:
        return pd.Series(np.asarray(values, dtype=object)[customer], dtype=object)

    cust = np.arange(n_customers)
    emails = np.char.add(np.char.add("Customer", cust.astype(str)), "@Example.com")
    country = np.array(COUNTRIES, dtype=object)[cust % len(COUNTRIES)]
    # 40% of customers leave a phone, written in a few formats; national only for UK addresses.
    uk = np.isin(country, ["GB", "United Kingdom"])
    prefix = np.where(
        uk & (cust % 3 == 1), "079", np.array(["'+4479", "+44 79", "+44 79"])[cust % 3]
    )
    phones = np.where(
        cust % 5 < 2,
        np.char.add(prefix, (11000000 + cust).astype(str)),
        None,
    )
    names = [f"{FIRST[i % 10]} {LAST[i % 8]}" for i in cust]
    zips = np.char.add("sw1a", np.array(["1aa", "2bb", "1ab"])[cust % 3])
    frame = pd.DataFrame(
        {
            "order_id": pd.Series(
                np.char.add("#", (1000 + order_of_row).astype(str)), dtype=object
            ),
            "email": per_customer(emails),
            "order_date": order_level(created_text),
            "status": order_level(
                np.array(["paid", "refunded", "pending"], dtype=object)[np.arange(n_orders) % 3]
            ),
            "currency": order_level(np.full(n_orders, "GBP", dtype=object)),
            "subtotal": order_level(np.char.mod("%.2f", totals)),
            "shipping": order_level(np.char.mod("%.2f", np.full(n_orders, 4.99))),
            "tax": order_level(np.char.mod("%.2f", (totals * 0.2).round(2))),
            "total": order_level(np.char.mod("%.2f", (totals * 1.2 + 4.99).round(2))),
            "discount_code": order_level(np.where(np.arange(n_orders) % 7 == 0, "SPRING10", None)),
            "quantity": pd.Series(rng.integers(1, 4, rows).astype(str), dtype=object),
            "product": pd.Series(
                np.char.add("Product ", rng.integers(0, 500, rows).astype(str)), dtype=object
            ),
            "price": pd.Series(
                np.char.mod("%.2f", rng.integers(100, 9000, rows) / 100), dtype=object
            ),
            "sku": pd.Series(
                np.char.add("SKU-", rng.integers(0, 500, rows).astype(str)), dtype=object
            ),
            "phone": per_customer(phones).where(first_line, None),
            "postcode": per_customer(zips).where(first_line, None),
            "country": per_customer(country).where(first_line, None),
            "channel": order_level(np.array(SOURCES, dtype=object)[np.arange(n_orders) % 5]),
            "email_consent": per_customer(np.array(["yes", "no"], dtype=object)[cust % 2]).where(
                first_line, None
            ),
        }
    )
    frame.insert(
        14, "full_name", per_customer(np.asarray(names, dtype=object)).where(first_line, None)
    )
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = shopify_orders(args.rows)
    options = NormalizeOptions(country="GB", currency="GBP")
    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = normalize_frame("orders", frame, options)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows={args.rows} columns={frame.shape[1]} kept={len(result.frame)} "
        f"rejected={len(result.rejects)} warnings={len(result.warnings)}"
    )
    # CPU time as well: on a shared machine the wall time mostly measures the neighbours.
    print(
        f"median={statistics.median(times):.2f}s cpu_median={statistics.median(cpu):.2f}s "
        f"runs={[round(t, 2) for t in times]} peak_rss={peak_mb:.0f}MB"
    )


if __name__ == "__main__":
    main()
