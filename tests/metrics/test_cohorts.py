"""Cohorts by first-order month: retention share and cumulative revenue per customer."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from eclp.metrics.cohorts import cohorts


def test_sample_cohort_grid(sample_dashboard):
    retention = sample_dashboard.cohorts_retention.set_index("cohort")
    assert retention.index.tolist() == ["2024-12", "2025-01", "2025-02", "2025-06"]
    jan = retention.loc["2025-01"]
    assert jan["customers"] == 1
    assert jan[[0, 1, 2, 3, 4, 5]].tolist() == [1.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    assert math.isnan(jan[6])  # July 2025 is after the as-of month
    revenue = sample_dashboard.cohorts_revenue.set_index("cohort").loc["2025-01"]
    assert revenue[[0, 1, 2, 5]].tolist() == [100.0, 100.0, 300.0, 600.0]


def test_retention_counts_distinct_customers_over_cohort_size():
    orders = pd.DataFrame(
        {"customer_id": ["a", "a", "b", "c", "c"],
         "order_date": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-01-09", "2025-01-30", "2025-03-01"]),
         "net_revenue": [10.0, 10.0, 30.0, 20.0, 40.0]}
    )  # fmt: skip
    result = cohorts(orders, pd.Timestamp("2025-03-31"))
    row = result.retention.iloc[0]
    assert row["customers"] == 3 and [row[0], row[1], row[2]] == pytest.approx([1.0, 0.0, 1 / 3])
    assert result.revenue.iloc[0][[0, 2]].tolist() == pytest.approx([70 / 3, 110 / 3])
