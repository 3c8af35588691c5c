"""RFM scores and segments, tie-safe: equal values always get equal scores, whatever the row order."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

NO_SEGMENT = "Other"


def rank_quintile(values: pd.Series, *, higher_is_better: bool = True) -> pd.Series:
    """Scores 1–5 from the average rank's percentile, so ties share one score."""
    ranked = values.rank(method="average", pct=True, ascending=higher_is_better)
    return np.ceil(ranked * 5 - 1e-9).clip(1, 5).astype("int64")


def frequency_score(orders: pd.Series, bins: tuple[int, ...]) -> pd.Series:
    """F = how many of the bins' lower bounds the order count reaches (1 order → 1 by default)."""
    score = np.searchsorted(np.asarray(bins), orders.to_numpy(), side="right")
    return pd.Series(np.clip(score, 1, 5), index=orders.index, dtype="int64")


def segment_lookup(segment_map: Mapping[str, str]) -> dict[str, str]:
    """Segment name for each of the 25 R+F strings; the first whole-string match wins."""
    compiled = [(re.compile(pattern), name) for pattern, name in segment_map.items()]
    lookup = {}
    for rf in (f"{r}{f}" for r in range(1, 6) for f in range(1, 6)):
        lookup[rf] = next((name for rx, name in compiled if rx.fullmatch(rf)), NO_SEGMENT)
    return lookup


def rfm_scores(
    buyers: pd.DataFrame, *, frequency_bins: tuple[int, ...], segment_map: Mapping[str, str]
) -> pd.DataFrame:
    """R, F, M, the RFM string and segment for customers with at least one order."""
    r = rank_quintile(buyers["days_since_last_order"], higher_is_better=False)
    f = frequency_score(buyers["orders"], frequency_bins)
    m = rank_quintile(buyers["net_revenue"])
    rf = r.astype(str) + f.astype(str)
    return pd.DataFrame(
        {
            "r": r.astype("Int64"),
            "f": f.astype("Int64"),
            "m": m.astype("Int64"),
            "rfm": rf + m.astype(str),
            "segment": rf.map(segment_lookup(segment_map)),
        },
        index=buyers.index,
    )


def segment_table(customers: pd.DataFrame, segment_map: Mapping[str, str]) -> pd.DataFrame:
    """Per segment: customers, share, revenue, share of revenue, mean R/F/M, recency, orders, AOV."""
    buyers = customers[customers["segment"].notna()]
    total_revenue = buyers["net_revenue"].sum()
    grouped = buyers.groupby("segment", sort=False)
    table = pd.DataFrame(
        {
            "customers": grouped.size(),
            "revenue": grouped["net_revenue"].sum(),
            "orders": grouped["orders"].sum(),
            "avg_recency_days": grouped["days_since_last_order"].mean(),
            "avg_orders": grouped["orders"].mean(),
            "avg_revenue": grouped["net_revenue"].mean(),
            "avg_r": grouped["r"].mean(),
            "avg_f": grouped["f"].mean(),
            "avg_m": grouped["m"].mean(),
        }
    )
    table.insert(1, "customer_share", table["customers"] / max(len(buyers), 1))
    table.insert(3, "revenue_share", table["revenue"] / total_revenue if total_revenue else 0.0)
    order = list(dict.fromkeys([*segment_map.values(), NO_SEGMENT]))
    table = table.reindex([s for s in order if s in table.index])
    return table.rename_axis("segment").reset_index()


def rf_matrix(customers: pd.DataFrame) -> pd.DataFrame:
    """Customer counts by R (rows, 5 first) × F (columns 1..5): the heat map's grid."""
    buyers = customers[customers["segment"].notna()]
    grid = pd.crosstab(buyers["r"], buyers["f"]).reindex(
        index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5]
    )
    grid = grid.fillna(0).astype("int64")
    grid.index.name, grid.columns.name = "R", None
    grid.columns = [f"F{f}" for f in grid.columns]
    return grid.reset_index()
