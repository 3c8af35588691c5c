"""RFM: tie-safe scores, order-count bins for F, whole-string segment matching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclp.metrics.rfm import frequency_score, rank_quintile, rfm_scores, segment_lookup
from eclp.metrics.settings import DEFAULT_SEGMENT_MAP, MetricsSettings


def test_sample_scores_and_segments(sample_customers):
    got = sample_customers.loc[["C1", "C2", "C3", "C6"], ["r", "f", "m", "segment"]]
    assert got.astype(str).values.tolist() == [
        ["4", "3", "5", "Potential Loyalists"],
        ["3", "1", "3", "About to Sleep"],
        ["5", "1", "4", "New Customers"],
        ["2", "1", "2", "Hibernating"],
    ]


def test_customers_without_orders_have_no_segment_but_stay(sample_customers):
    assert sample_customers.loc[["C4", "C5"], "segment"].isna().all()
    assert len(sample_customers) == 6


def test_frequency_uses_order_count_bins():
    orders = pd.Series([1, 2, 3, 4, 5, 7, 8, 40])
    assert frequency_score(orders, (1, 2, 3, 5, 8)).tolist() == [1, 2, 3, 3, 4, 4, 5, 5]


def test_half_one_time_buyers_do_not_break_scores():
    # CDNOW-like: quintile edges 1,1,2,4 make pd.qcut raise; bins and average ranks do not.
    orders = pd.Series([1] * 51 + [2] * 20 + [3] * 12 + [5] * 10 + [9] * 7)
    f = frequency_score(orders, MetricsSettings().frequency_bins)
    assert set(f[:51]) == {1}
    m = rank_quintile(pd.Series([20.0] * 51 + list(range(100, 149))))
    assert m[:51].nunique() == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=60), st.randoms())
def test_equal_values_get_equal_scores_whatever_the_row_order(values, rnd):
    series = pd.Series(values, dtype=float)
    scores = rank_quintile(series)
    assert scores.groupby(series).nunique().eq(1).all()
    order = list(range(len(values)))
    rnd.shuffle(order)
    shuffled = rank_quintile(series.iloc[order])
    assert shuffled.sort_index().tolist() == scores.tolist()
    assert scores.between(1, 5).all()


def test_higher_values_never_score_lower():
    values = pd.Series(np.arange(100, dtype=float))
    scores = rank_quintile(values)
    assert scores.is_monotonic_increasing and scores.value_counts().tolist() == [20] * 5


def test_segment_map_matches_the_whole_two_character_string():
    lookup = segment_lookup(DEFAULT_SEGMENT_MAP)
    assert lookup["55"] == "Champions" and lookup["45"] == "Loyal Customers"
    assert lookup["51"] == "New Customers" and lookup["41"] == "Promising"
    assert lookup["15"] == "Can't Lose" and lookup["11"] == "Hibernating"
    assert lookup["33"] == "Need Attention" and lookup["24"] == "At Risk"
    # an unanchored "5" pattern would hit "15" and "51" alike; fullmatch does not.
    assert segment_lookup({"5": "Five", "[1-5][1-5]": "Rest"})["15"] == "Rest"


def test_configured_segment_map_and_bins_apply():
    buyers = pd.DataFrame(
        {"days_since_last_order": [1, 100], "orders": [10, 1], "net_revenue": [500.0, 5.0]}
    )
    scores = rfm_scores(
        buyers, frequency_bins=(1, 5, 10, 20, 30), segment_map={"[4-5].": "Recent", "..": "Rest"}
    )
    assert scores["f"].tolist() == [3, 1]
    assert scores["segment"].tolist() == ["Recent", "Rest"]


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="frequency_bins"):
        MetricsSettings(frequency_bins=(1, 1, 2, 3, 4))
    with pytest.raises(ValueError, match="abc_thresholds"):
        MetricsSettings(abc_thresholds=(0.9, 0.8))
    with pytest.raises(ValueError, match="attribution"):
        MetricsSettings(attribution="u_shaped")


def test_rf_matrix_counts_buyers(sample_dashboard):
    grid = sample_dashboard.rf_matrix.set_index("R")
    assert grid.loc[4, "F3"] == 1 and grid.loc[5, "F1"] == 1 and grid.to_numpy().sum() == 4
