"""ABC classes: Pareto cut on cumulative revenue share."""

from __future__ import annotations

import pandas as pd

from eclp.metrics.abc import abc_classes


def _classes(revenue, thresholds=(0.80, 0.95)):
    ids = pd.Series([f"C{i}" for i in range(len(revenue))])
    return abc_classes(pd.Series(revenue, dtype=float), ids, thresholds).tolist()


def test_default_cut_80_95():
    assert _classes([50, 30, 10, 5, 5]) == ["A", "A", "B", "B", "C"]


def test_row_order_does_not_matter():
    assert _classes([5, 10, 50, 5, 30]) == ["B", "B", "A", "C", "A"]


def test_top_customer_is_always_a_and_non_buyers_have_no_class():
    assert _classes([90, 5, 5, 0]) == ["A", "B", "C", None]


def test_thresholds_are_configurable():
    assert _classes([50, 30, 10, 5, 5], (0.5, 0.9)) == ["A", "B", "B", "C", "C"]


def test_sample_classes(sample_customers, sample_dashboard):
    assert sample_customers["abc"].to_dict() == {
        "C1": "A",
        "C2": "C",
        "C3": "B",
        "C4": None,
        "C5": None,
        "C6": "C",
    }
    assert sample_dashboard.abc.set_index("abc")["revenue"].to_dict() == {
        "A": 600.0,
        "B": 100.0,
        "C": 80.0,
    }
