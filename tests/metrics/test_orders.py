"""Orders become revenue once: statuses classified, refunds out, as-of cut, payment duplicates folded."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.metrics.orders import fold_payment_duplicates, net_revenue, prepare_orders, status_class


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("paid", "ok"), ("Completed", "ok"), ("complete", "ok"), ("Paid", "ok"), (None, "ok"),
        ("refunded", "void"), ("Refunded", "void"), ("voided", "void"), ("Cancelled", "void"),
        ("canceled", "void"), ("Failed", "void"), ("partially_refunded", "partial"),
        ("Partially-Refunded", "partial"),
    ],
)  # fmt: skip
def test_status_classes_across_platforms(status, expected):
    assert status_class(pd.Series([status], dtype=object)).iloc[0] == expected


def test_net_revenue_subtracts_partial_refunds_and_zeroes_void_orders():
    orders = pd.DataFrame(
        {"total": [100.0, 120.0, 80.0, 50.0, 40.0], "refunded": [0.0, 20.0, 80.0, None, 60.0],
         "status": ["paid", "partially_refunded", "refunded", "Cancelled", "paid"]}
    )  # fmt: skip
    assert net_revenue(orders).tolist() == [100.0, 100.0, 0.0, 0.0, 0.0]


def _orders(rows):
    frame = pd.DataFrame(
        rows, columns=["source", "order_id", "customer_id", "order_date", "total", "status"]
    )
    return frame.assign(
        order_date=pd.to_datetime(frame["order_date"], format="ISO8601"), refunded=0.0
    )


def test_prepare_orders_cuts_at_as_of_and_drops_unlinked_and_void():
    orders = _orders(
        [("shop", "1", "C1", "2025-06-30 23:59", 10.0, "paid"), ("shop", "2", "C1", "2025-07-01 00:00", 20.0, "paid"),
         ("shop", "3", None, "2025-06-01", 30.0, "paid"), ("shop", "4", "C1", "2025-06-01", 40.0, "voided")]
    )  # fmt: skip
    prepared = prepare_orders(
        orders, cutoff=pd.Timestamp("2025-07-01"), payment_sources=("stripe",), tolerance=0.01
    )
    assert prepared.orders["order_id"].tolist() == ["1"]
    assert (prepared.after_as_of, prepared.unlinked_orders, prepared.void_orders) == (1, 1, 1)


def test_payment_matching_a_shop_order_same_day_within_one_percent_is_folded():
    orders = _orders(
        [("shopify", "#1", "C1", "2025-05-01 10:00", 100.0, "paid"),
         ("stripe", "ch_1", "C1", "2025-05-01 10:03", 100.9, "Paid"),   # same day, +0.9% → folded
         ("stripe", "ch_2", "C1", "2025-05-02 10:00", 100.0, "Paid"),   # next day → kept
         ("stripe", "ch_3", "C2", "2025-05-01 10:00", 100.0, "Paid"),   # other customer → kept
         ("stripe", "ch_4", "C1", "2025-05-01 18:00", 100.5, "Paid")]   # shop order already taken → kept
    )  # fmt: skip
    kept = fold_payment_duplicates(
        orders.assign(net_revenue=orders["total"]), ("stripe",), 0.01, {}
    )
    assert kept["order_id"].tolist() == ["#1", "ch_2", "ch_3", "ch_4"]


def test_payment_source_recognised_by_profile_name():
    orders = _orders(
        [
            ("shop", "#1", "C1", "2025-05-01", 50.0, "paid"),
            ("cards", "p1", "C1", "2025-05-01", 50.0, "paid"),
        ]
    )
    kept = fold_payment_duplicates(orders.assign(net_revenue=orders["total"]), ("stripe",), 0.01,
                                   {"cards": "stripe_payments"})  # fmt: skip
    assert kept["order_id"].tolist() == ["#1"]


def test_sample_folds_one_stripe_duplicate(sample_dashboard):
    assert sample_dashboard.kpis["orders_folded"] == 1
    assert sample_dashboard.kpis["orders"] == 6
    assert sample_dashboard.kpis["net_revenue"] == pytest.approx(780.0)
