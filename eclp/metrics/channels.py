"""Acquisition channel, first/last/linear attribution, and channel economics (CAC, ROAS, profit).

A customer's touches are its acquisition channel followed by the channels of its later orders,
in time order. First touch gives all of a customer's revenue to the acquisition channel, last
touch to the last touch, linear splits it evenly over the touches. Orders and fulfilment cost
follow the same weights, so each model's profit is revenue × margin − fulfilment − ad spend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eclp.metrics.settings import ATTRIBUTION_MODELS

UNKNOWN = "Unknown"
# When neither orders nor the CRM name a channel: what the customer's first source suggests.
SOURCE_CHANNEL_HINTS = {
    "mailchimp": "Email", "klaviyo": "Email", "newsletter": "Email", "loyalty": "Offline",
    "pos": "Offline", "store": "Offline", "amazon": "Marketplace", "ebay": "Marketplace",
    "etsy": "Marketplace",
}  # fmt: skip


def source_hint(sources: pd.Series) -> pd.Series:
    """Channel suggested by the first source name in a customer's `sources` list."""
    unique = pd.Series(sources.dropna().unique(), dtype=object)
    first = unique.astype(str).str.split(",").str[0].str.strip().str.lower()
    hints = first.map(
        lambda name: next((ch for key, ch in SOURCE_CHANNEL_HINTS.items() if key in name), None)
    )
    return sources.map(dict(zip(unique, hints, strict=True)))


def acquisition_channel(customers: pd.DataFrame, orders: pd.DataFrame) -> pd.Series:
    """First order's channel, else the CRM/first record channel, else the first source's hint."""
    first_orders = orders.drop_duplicates("customer_id").set_index("customer_id")["channel"]
    from_order = customers["customer_id"].map(first_orders)
    chosen = from_order.where(from_order.notna(), customers["channel"])
    chosen = chosen.where(chosen.notna(), source_hint(customers["sources"]))
    return chosen.fillna(UNKNOWN).astype(str)


def touches(customers: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """customer_id, channel, seq: the acquisition touch (seq -1) then later orders' channels."""
    acquired = pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "channel": customers["acquisition_channel"],
            "seq": -1,
        }
    )
    later = orders.assign(seq=orders.groupby("customer_id").cumcount())
    later = later[later["seq"].ge(1) & later["channel"].notna()][["customer_id", "channel", "seq"]]
    both = pd.concat([acquired, later], ignore_index=True)
    return both.sort_values(["customer_id", "seq"], kind="stable").reset_index(drop=True)


def attribution_weights(customers: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """customer_id, channel, model, weight — each customer's weights sum to 1 per model."""
    touch = touches(customers, orders)
    first = touch.drop_duplicates("customer_id", keep="first").assign(
        model="first_touch", weight=1.0
    )
    last = touch.drop_duplicates("customer_id", keep="last").assign(model="last_touch", weight=1.0)
    linear = touch.assign(
        model="linear", weight=1.0 / touch.groupby("customer_id")["seq"].transform("size")
    )
    weights = pd.concat([first, last, linear], ignore_index=True)
    return weights.groupby(["model", "customer_id", "channel"], as_index=False, sort=True)[
        "weight"
    ].sum()


def channel_spend(spend: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Ad spend per channel on or before the as-of date."""
    if spend.empty:
        return pd.Series(dtype=float)
    dated = pd.to_datetime(spend["date"], errors="coerce")
    kept = spend[~dated.gt(as_of).fillna(False)]
    amount = pd.to_numeric(kept["spend"], errors="coerce").fillna(0.0)
    return amount.groupby(kept["channel"].fillna(UNKNOWN).astype(str)).sum()


def economics(frame: pd.DataFrame, gross_margin: float) -> pd.DataFrame:
    """Add AOV, CAC, ROAS, gross profit and profit to a per-channel frame."""
    frame = frame.copy()
    frame["aov"] = frame["revenue"] / frame["orders"].replace(0, np.nan)
    # No recorded spend means CAC and ROAS are unknown, not zero or infinite.
    frame["cac"] = (frame["spend"] / frame["new_customers"].replace(0, np.nan)).where(
        frame["spend"] > 0
    )
    frame["roas"] = frame["revenue"] / frame["spend"].replace(0, np.nan)
    frame["gross_profit"] = frame["revenue"] * gross_margin
    frame["profit"] = frame["gross_profit"] - frame["fulfilment_cost"] - frame["spend"]
    return frame


def channel_table(customers: pd.DataFrame, spend: pd.Series, gross_margin: float) -> pd.DataFrame:
    """Per acquisition channel: customers, new buyers, orders, revenue, repeat rate and economics."""
    grouped = customers.groupby("acquisition_channel")
    buyers = customers[customers["orders"].gt(0)].groupby("acquisition_channel")
    table = pd.DataFrame(
        {
            "customers": grouped.size(),
            "new_customers": buyers.size(),
            "repeat_buyers": buyers["orders"].apply(lambda s: int(s.ge(2).sum())),
            "orders": grouped["orders"].sum(),
            "revenue": grouped["net_revenue"].sum(),
            "fulfilment_cost": grouped["fulfilment_cost"].sum(),
        }
    )
    table = table.reindex(table.index.union(spend.index))
    table = table.fillna({c: 0 for c in table.columns}).astype(
        {
            "customers": "int64",
            "new_customers": "int64",
            "repeat_buyers": "int64",
            "orders": "int64",
        }
    )
    table["repeat_rate"] = table["repeat_buyers"] / table["new_customers"].replace(0, np.nan)
    table["spend"] = spend.reindex(table.index).fillna(0.0)
    table = economics(table, gross_margin).rename_axis("channel").reset_index()
    return _by_profit(table)


def attribution_table(
    customers: pd.DataFrame, weights: pd.DataFrame, spend: pd.Series, gross_margin: float
) -> pd.DataFrame:
    """Per model and channel: attributed orders, revenue, fulfilment, spend, ROAS and profit.

    New customers (and so CAC) always follow acquisition: a customer is acquired once.
    """
    facts = customers.set_index("customer_id")[["orders", "net_revenue", "fulfilment_cost"]]
    weighted = weights.join(facts, on="customer_id")
    weighted = weighted.assign(
        orders=weighted["orders"] * weighted["weight"],
        revenue=weighted["net_revenue"] * weighted["weight"],
        fulfilment_cost=weighted["fulfilment_cost"] * weighted["weight"],
    )
    acquired = customers[customers["orders"].gt(0)].groupby("acquisition_channel").size()
    frames = []
    for model in ATTRIBUTION_MODELS:
        rows = weighted[weighted["model"].eq(model)]
        part = rows.groupby("channel")[["orders", "revenue", "fulfilment_cost"]].sum()
        part = part.reindex(part.index.union(spend.index)).fillna(0.0)
        part["new_customers"] = acquired.reindex(part.index).fillna(0).astype("int64")
        part["spend"] = spend.reindex(part.index).fillna(0.0)
        part = economics(part, gross_margin).rename_axis("channel").reset_index()
        frames.append(_by_profit(part).assign(model=model))
    table = pd.concat(frames, ignore_index=True)
    return table[["model", *[c for c in table.columns if c != "model"]]]


def _by_profit(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(
        ["profit", "channel"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
