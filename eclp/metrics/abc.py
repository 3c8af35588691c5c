"""ABC (Pareto) classes: customers ranked by revenue, cut at cumulative shares of the total."""

from __future__ import annotations

import numpy as np
import pandas as pd


def abc_classes(
    revenue: pd.Series, customer_ids: pd.Series, thresholds: tuple[float, float]
) -> pd.Series:
    """A while cumulative revenue ≤ the first share, B ≤ the second, C the rest; blank without revenue.

    The top customer is always A (a single whale above 80% is still the A class), and
    ties in revenue are broken by customer id so the result never depends on row order.
    """
    classes = pd.Series(None, index=revenue.index, dtype=object)
    positive = revenue.gt(0)
    if not positive.any():
        return classes
    ranked = pd.DataFrame({"rev": revenue[positive], "id": customer_ids[positive].astype(str)})
    ranked = ranked.sort_values(["rev", "id"], ascending=[False, True], kind="stable")
    share = ranked["rev"].cumsum() / ranked["rev"].sum()
    a, b = thresholds
    labels = np.select([share <= a + 1e-9, share <= b + 1e-9], ["A", "B"], default="C")
    labels[0] = "A"
    out = np.full(len(revenue), None, dtype=object)
    out[revenue.index.get_indexer(ranked.index)] = labels
    return pd.Series(out, index=revenue.index, dtype=object)


def abc_table(customers: pd.DataFrame) -> pd.DataFrame:
    """Per class: customers, revenue and their shares."""
    classed = customers[customers["abc"].notna()]
    grouped = classed.groupby("abc")
    table = pd.DataFrame({"customers": grouped.size(), "revenue": grouped["net_revenue"].sum()})
    table["customer_share"] = table["customers"] / max(len(classed), 1)
    table["revenue_share"] = table["revenue"] / max(classed["net_revenue"].sum(), 1e-12)
    return table.reindex(["A", "B", "C"]).dropna(how="all").rename_axis("abc").reset_index()
