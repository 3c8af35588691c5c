"""Which customer groups buy the most: revenue and units by segment, class, channel, country, category."""

from __future__ import annotations

import pandas as pd

# column -> (label, what a blank means)
GROUP_DIMENSIONS = {
    "segment": ("RFM segment", "(no orders)"),
    "abc": ("ABC class", "(no revenue)"),
    "acquisition_channel": ("Channel", "Unknown"),
    "country": ("Country", "(unknown)"),
}


def customer_groups(customers: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """dimension, group, customers, buyers, orders, units, revenue, revenue share, revenue per customer."""
    frames = [_by(customers, column, *labels) for column, labels in GROUP_DIMENSIONS.items()]
    if not lines.empty and lines["category"].notna().any():
        frames.append(category_groups(lines))
    table = pd.concat(frames, ignore_index=True)
    return table


def _by(customers: pd.DataFrame, column: str, label: str, blank: str) -> pd.DataFrame:
    keys = customers[column].fillna(blank).astype(str)
    grouped = customers.groupby(keys)
    table = pd.DataFrame(
        {
            "customers": grouped.size(),
            "buyers": grouped["orders"].apply(lambda s: int(s.gt(0).sum())),
            "orders": grouped["orders"].sum(),
            "units": grouped["units"].sum(min_count=1),
            "revenue": grouped["net_revenue"].sum(),
        }
    )
    return _finish(table, label)


def category_groups(lines: pd.DataFrame) -> pd.DataFrame:
    """Line revenue (quantity × price) and units by product category, for counted orders' lines."""
    keys = lines["category"].fillna("(none)").astype(str)
    grouped = lines.groupby(keys)
    table = pd.DataFrame(
        {
            "customers": grouped["customer_id"].nunique(),
            "buyers": grouped["customer_id"].nunique(),
            "orders": grouped["order_key"].nunique(),
            "units": grouped["quantity"].sum(),
            "revenue": grouped["line_revenue"].sum(),
        }
    )
    return _finish(table, "Product category")


def _finish(table: pd.DataFrame, label: str) -> pd.DataFrame:
    total = table["revenue"].sum()
    table["revenue_share"] = table["revenue"] / total if total else 0.0
    table["revenue_per_customer"] = table["revenue"] / table["customers"].where(
        table["customers"] > 0
    )
    table = table.rename_axis("group").reset_index()
    table = table.sort_values(["revenue", "group"], ascending=[False, True], kind="stable")
    return table.assign(dimension=label)[["dimension", *[c for c in table.columns]]]


def counted_lines(order_lines: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Order lines of counted orders, with customer, quantity and line revenue."""
    if order_lines.empty or orders.empty:
        return pd.DataFrame(columns=["customer_id", "order_key", "sku", "product", "category",
                                     "quantity", "line_revenue"])  # fmt: skip
    keyed = order_lines.merge(
        orders[["source", "order_id", "customer_id"]], on=["source", "order_id"]
    )
    quantity = pd.to_numeric(keyed["quantity"], errors="coerce").fillna(1.0)
    price = pd.to_numeric(keyed["price"], errors="coerce").fillna(0.0)
    return keyed.assign(
        order_key=keyed["source"].astype(str) + "\x1f" + keyed["order_id"].astype(str),
        quantity=quantity,
        line_revenue=quantity * price,
    )


def product_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Per product: category, orders, customers, units, revenue, sorted by revenue."""
    if lines.empty:
        return pd.DataFrame(
            columns=["product", "sku", "category", "orders", "customers", "units", "revenue"]
        )
    name = (
        lines["product"]
        .where(lines["product"].notna(), lines["sku"])
        .fillna("(unnamed)")
        .astype(str)
    )
    grouped = lines.assign(_name=name).groupby("_name")
    table = pd.DataFrame(
        {
            "sku": grouped["sku"].first(),
            "category": grouped["category"].first(),
            "orders": grouped["order_key"].nunique(),
            "customers": grouped["customer_id"].nunique(),
            "units": grouped["quantity"].sum(),
            "revenue": grouped["line_revenue"].sum(),
        }
    ).rename_axis("product")
    table = table.reset_index().sort_values(
        ["revenue", "product"], ascending=[False, True], kind="stable"
    )
    return table.reset_index(drop=True)
