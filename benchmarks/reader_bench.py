"""Time eclp.sources.reader.read_table on a generated 1M-row, ~80-column Shopify-orders-like CSV.

Usage: python benchmarks/reader_bench.py [--rows 1000000] [--repeat 3] [--file PATH]
The file is generated once (cached at --file) and read in a fresh child process per repeat,
so the reported peak RSS is the reader's alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

SHOPIFY_ORDER_COLUMNS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes",
    "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level",
    "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value",
    "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value",
    "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name",
    "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
    "Lineitem vendor",
]  # fmt: skip

FIRST_NAMES = np.array(
    ["Anna", "Bob", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jon"]
)
LAST_NAMES = np.array(
    ["Müller", "Smith", "O'Brien", "Garcia", "Nguyen", "Kowalski", "Rossi", "Lee"]
)
CITIES = np.array(["Berlin", "Springfield", "Dublin", "Lyon", "Austin", "Kraków", "Milan", "Leeds"])
PRODUCTS = np.array([f"Product {i} - Size {s}" for i in range(40) for s in "SML"])


def _col(values: np.ndarray, mask: np.ndarray) -> pa.Array:
    """A string column holding values where mask is true and empty elsewhere."""
    return pa.array(np.where(mask, values.astype(str), ""), type=pa.string())


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write a Shopify-orders-like CSV: 1-3 line items per order, order fields on the first line only."""
    rng = np.random.default_rng(seed)
    items = rng.integers(1, 4, size=rows)
    order_of_row = np.repeat(np.arange(rows), items)[:rows]
    first = np.r_[True, order_of_row[1:] != order_of_row[:-1]]
    customer = rng.integers(0, rows // 3, size=rows)[order_of_row]
    first_n = FIRST_NAMES[customer % len(FIRST_NAMES)]
    last_n = LAST_NAMES[customer % len(LAST_NAMES)]
    full = np.char.add(np.char.add(first_n, " "), last_n)
    day = np.datetime64("2024-01-01T00:00:00") + (order_of_row * 37).astype("timedelta64[s]")
    created = np.char.add(np.datetime_as_string(day).astype(str), " -0300")
    created = np.char.replace(created, "T", " ")
    total = np.round(rng.gamma(2.0, 40.0, size=rows), 2)
    qty = rng.integers(1, 4, size=rows)
    product = PRODUCTS[rng.integers(0, len(PRODUCTS), size=rows)]
    city = CITIES[customer % len(CITIES)]
    zipc = np.char.zfill((customer % 99999).astype(str), 5)
    phone = np.char.add("'+1555", np.char.zfill((customer % 10_000_000).astype(str), 7))
    email = np.char.add(np.char.add("customer", customer.astype(str)), "@example.com")
    street = np.char.add((customer % 900 + 1).astype(str), " Main Street")
    everywhere = np.ones(rows, dtype=bool)
    cols: dict[str, pa.Array] = {}
    data = {
        "Name": (np.char.add("#", (order_of_row + 1001).astype(str)), everywhere),
        "Email": (email, everywhere),
        "Financial Status": (np.array(["paid"] * rows), first),
        "Paid at": (created, first),
        "Fulfillment Status": (np.array(["fulfilled"] * rows), first),
        "Accepts Marketing": (np.where(customer % 2 == 0, "yes", "no"), first),
        "Currency": (np.array(["USD"] * rows), first),
        "Subtotal": (total, first),
        "Shipping": (np.array(["4.99"] * rows), first),
        "Taxes": (np.round(total * 0.08, 2), first),
        "Total": (np.round(total * 1.08 + 4.99, 2), first),
        "Shipping Method": (np.array(["Standard"] * rows), first),
        "Created at": (created, everywhere),
        "Lineitem quantity": (qty, everywhere),
        "Lineitem name": (product, everywhere),
        "Lineitem price": (np.round(total / qty, 2), everywhere),
        "Lineitem sku": (np.char.add("SKU-", (customer % 120).astype(str)), everywhere),
        "Lineitem requires shipping": (np.array(["true"] * rows), everywhere),
        "Lineitem taxable": (np.array(["true"] * rows), everywhere),
        "Lineitem fulfillment status": (np.array(["fulfilled"] * rows), everywhere),
        "Billing Name": (full, first),
        "Billing Street": (street, first),
        "Billing Address1": (street, first),
        "Billing City": (city, first),
        "Billing Zip": (zipc, first),
        "Billing Province": (np.array(["CA"] * rows), first),
        "Billing Country": (np.array(["US"] * rows), first),
        "Billing Phone": (phone, first),
        "Shipping Name": (full, first),
        "Shipping Street": (street, first),
        "Shipping Address1": (street, first),
        "Shipping City": (city, first),
        "Shipping Zip": (zipc, first),
        "Shipping Province": (np.array(["CA"] * rows), first),
        "Shipping Country": (np.array(["US"] * rows), first),
        "Shipping Phone": (phone, first),
        "Note Attributes": (np.array(["gift: no, wrap: yes"] * rows), first),
        "Payment Method": (np.array(["Shopify Payments"] * rows), first),
        "Payment Reference": (np.char.add("c", (order_of_row * 7919).astype(str)), first),
        "Refunded Amount": (np.array(["0.00"] * rows), first),
        "Vendor": (np.array(["Acme"] * rows), everywhere),
        "Outstanding Balance": (np.array(["0.00"] * rows), first),
        "Id": ((order_of_row + 5_000_000_000_000).astype(str), first),
        "Tags": (np.array(["vip, wholesale"] * rows), first),
        "Risk Level": (np.array(["Low"] * rows), first),
        "Source": (np.array(["web"] * rows), first),
        "Lineitem discount": (np.array(["0.00"] * rows), everywhere),
        "Tax 1 Name": (np.array(["CA State Tax 6%"] * rows), first),
        "Tax 1 Value": (np.round(total * 0.06, 2), first),
        "Tax 2 Name": (np.array(["LA County Tax 2%"] * rows), first),
        "Tax 2 Value": (np.round(total * 0.02, 2), first),
        "Phone": (phone, first),
        "Billing Province Name": (np.array(["California"] * rows), first),
        "Shipping Province Name": (np.array(["California"] * rows), first),
        "Payment ID": (np.char.add("p", (order_of_row * 104729).astype(str)), first),
        "Payment References": (np.char.add("p", (order_of_row * 104729).astype(str)), first),
        "Lineitem vendor": (np.array(["Acme"] * rows), everywhere),
    }
    for name in SHOPIFY_ORDER_COLUMNS:
        values, mask = data.get(name, (np.array([""] * rows), everywhere))
        cols[name] = _col(values, mask)
    table = pa.table(cols)
    # Shopify quotes only where needed; pyarrow's writer quotes every string, so write with csv.
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(table.column_names)
        for batch in table.to_batches(max_chunksize=50_000):
            writer.writerows(zip(*(column.to_pylist() for column in batch.columns), strict=True))


def read_once(path: Path) -> dict[str, float]:
    """Read the file once in this process; return seconds, rows and peak RSS in MB."""
    from eclp.sources.reader import read_table

    start, cpu_start = time.perf_counter(), time.process_time()
    table = read_table(path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,  # the machine is shared: CPU time is the steadier figure
        "rows": len(table.frame),
        "columns": table.frame.shape[1],
        "peak_mb": peak_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, default=Path("/tmp/eclp_reader_bench_orders.csv"))
    parser.add_argument("--read", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        print(json.dumps(read_once(args.file)))
        return
    if not args.file.exists():
        generate(args.file, args.rows)
    size_mb = args.file.stat().st_size / 1e6
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--read", "--file", str(args.file)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        runs.append(json.loads(out.stdout))
        print(runs[-1])
    print(
        f"{args.file.name}: {size_mb:.0f} MB, {runs[0]['rows']} rows x {runs[0]['columns']} columns; "
        f"median {statistics.median(r['seconds'] for r in runs):.2f} s wall, "
        f"{statistics.median(r['cpu_seconds'] for r in runs):.2f} s CPU, "
        f"peak RSS {max(r['peak_mb'] for r in runs):.0f} MB over {len(runs)} runs"
    )


if __name__ == "__main__":
    main()
