"""The Overview's KPIs and its three answers in plain words."""

from __future__ import annotations

from typing import Any

import pandas as pd

from eclp.metrics.orders import PreparedOrders

CURRENCY_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "AUD": "A$",
    "CAD": "C$",
    "INR": "₹",
}


def money(value: float, currency: str) -> str:
    """$12,300 / €1,250 (whole units; the workbook holds the exact figures)."""
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    text = f"{abs(value):,.0f}"
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency.upper()}"


def kpis(dash: dict[str, Any], *, records: int, prepared: PreparedOrders, spend: pd.Series) -> dict:
    """Headline figures for the KPI tiles and the JSON summary."""
    table = dash["customers"]
    buyers = int(table["orders"].gt(0).sum())
    orders = int(table["orders"].sum())
    revenue = float(table["net_revenue"].sum())
    predicted = pd.to_numeric(table["predicted_value"], errors="coerce").sum()
    return {
        "customers": len(table),
        "buyers": buyers,
        "records": int(records),
        "orders": orders,
        "net_revenue": revenue,
        "aov": revenue / orders if orders else 0.0,
        "repeat_rate": float(table["orders"].ge(2).sum()) / buyers if buyers else 0.0,
        "predicted_value": float(predicted),
        "ad_spend": float(spend.sum()),
        "orders_folded": prepared.folded_duplicates,
        "void_orders": prepared.void_orders,
        "unlinked_orders": prepared.unlinked_orders,
        "orders_after_as_of": prepared.after_as_of,
    }


def answers(dash: dict[str, Any], figures: dict) -> dict[str, str]:
    """channels / groups / content: one sentence each, naming the winner and its numbers."""
    return {
        "channels": channel_answer(
            dash["attribution"], dash["attribution_model"], dash["currency"]
        ),
        "groups": group_answer(dash["rfm_segments"], dash["groups"], figures, dash["currency"]),
        "content": content_answer(dash["content"]),
    }


def channel_answer(attribution: pd.DataFrame, model: str, currency: str) -> str:
    """Most profitable channel under the configured attribution model."""
    rows = attribution[
        attribution["model"].eq(model) & (attribution["revenue"].gt(0) | attribution["spend"].gt(0))
    ]
    if rows.empty:
        return "Most profitable channel: no orders or ad spend to compare yet."
    best = rows.sort_values(["profit", "channel"], ascending=[False, True], kind="stable").iloc[0]
    label = model.replace("_", "-")
    head = f"Most profitable channel: {best['channel']} — profit {money(best['profit'], currency)}"
    if best["spend"] > 0:
        return (
            f"{head} on {money(best['spend'], currency)} spend (ROAS {best['roas']:.1f}, {label})"
        )
    return f"{head} on {money(best['revenue'], currency)} revenue, no ad spend recorded ({label})"


def group_answer(segments: pd.DataFrame, groups: pd.DataFrame, figures: dict, currency: str) -> str:
    """The RFM segment bringing the most revenue, with its share of buyers and revenue."""
    if segments.empty or figures["net_revenue"] <= 0:
        return "Customers who buy the most: no revenue yet."
    best = segments.sort_values(
        ["revenue", "segment"], ascending=[False, True], kind="stable"
    ).iloc[0]
    text = (
        f"Customers who buy the most: {best['segment']} — {best['customer_share']:.0%} of buyers "
        f"bring {best['revenue_share']:.0%} of revenue ({money(best['revenue'], currency)})"
    )
    categories = groups[groups["dimension"].eq("Product category")]
    if not categories.empty:
        top = categories.iloc[0]
        text += f"; top category {top['group']} ({top['revenue_share']:.0%} of line revenue)"
    return text


def content_answer(content: pd.DataFrame) -> str:
    """The page with the most total engagement time."""
    if content.empty:
        return "Most engaging content: no website content data (GA4 pages export) was ingested."
    best = content.iloc[0]
    seconds = best["avg_engagement_seconds"]
    average = "n/a"
    if pd.notna(seconds):
        minutes, rest = divmod(round(seconds), 60)
        average = f"{minutes}m {rest:02d}s"
    title = f" (“{best['title']}”)" if isinstance(best["title"], str) and best["title"] else ""
    return (
        f"Most engaging content: {best['page']}{title} — {best['users']:,.0f} users, "
        f"{average} average engagement, {best['conversions']:,.0f} key events"
    )
