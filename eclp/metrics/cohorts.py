"""Cohorts by first-order month: retention and cumulative revenue per customer by months since."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Cohorts:
    """Wide frames: one row per cohort month, `customers`, then columns 0..N months since."""

    retention: pd.DataFrame
    revenue: pd.DataFrame


def month_index(stamps: pd.Series) -> pd.Series:
    """Months since year 0, so differences are whole months."""
    return stamps.dt.year * 12 + stamps.dt.month - 1


def cohorts(orders: pd.DataFrame, as_of: pd.Timestamp) -> Cohorts:
    """Share of each cohort buying in month k, and cumulative net revenue per cohort customer.

    Cells after the as-of month are blank (not zero): those months have not happened yet.
    """
    if orders.empty:
        empty = pd.DataFrame(columns=["cohort", "customers"])
        return Cohorts(empty, empty.copy())
    month = month_index(orders["order_date"])
    first = month.groupby(orders["customer_id"]).transform("min")
    frame = pd.DataFrame({"customer_id": orders["customer_id"], "cohort": first, "k": month - first,
                          "revenue": orders["net_revenue"]})  # fmt: skip
    sizes = frame.groupby("cohort")["customer_id"].nunique()
    active = frame.groupby(["cohort", "k"])["customer_id"].nunique().unstack(fill_value=0)
    revenue = frame.groupby(["cohort", "k"])["revenue"].sum().unstack(fill_value=0.0)
    last_month = as_of.year * 12 + as_of.month - 1
    span = np.arange(0, int(last_month - sizes.index.min()) + 1)
    active = active.reindex(columns=span, fill_value=0)
    revenue = revenue.reindex(columns=span, fill_value=0.0).cumsum(axis=1)
    future = (sizes.index.to_numpy()[:, None] + span[None, :]) > last_month
    retention = (active.div(sizes, axis=0)).mask(future)
    per_customer = (revenue.div(sizes, axis=0)).mask(future)
    return Cohorts(_labelled(retention, sizes), _labelled(per_customer, sizes))


def _labelled(grid: pd.DataFrame, sizes: pd.Series) -> pd.DataFrame:
    labels = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in grid.index]
    out = grid.copy()
    out.columns = [int(c) for c in out.columns]
    out.insert(0, "customers", sizes.reindex(grid.index).to_numpy())
    out.insert(0, "cohort", labels)
    return out.reset_index(drop=True)
