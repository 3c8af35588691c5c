"""Orders as revenue: status classes, net revenue, the as-of cut and payment/shop duplicate folding."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Statuses (lower-cased) whose order never became revenue: it counts zero and is not an order.
VOID_STATUSES = frozenset(
    {
        "cancelled", "canceled", "voided", "void", "failed", "declined", "refunded", "expired",
        "abandoned", "trash", "deleted", "rejected", "chargeback", "disputed_lost", "reversed",
    }
)  # fmt: skip
PARTIAL_STATUSES = frozenset({"partially_refunded", "partially refunded", "partial_refund"})


@dataclass(frozen=True)
class PreparedOrders:
    """Counted orders with `net_revenue`, and what was left out on the way."""

    orders: pd.DataFrame
    folded_duplicates: int
    void_orders: int
    unlinked_orders: int
    after_as_of: int


def status_class(status: pd.Series) -> pd.Series:
    """'void' (counts zero), 'partial' (refund subtracted) or 'ok', per order status."""
    codes, uniques = pd.factorize(status, use_na_sentinel=True)
    lowered = (
        pd.Series(uniques, dtype=object).astype(str).str.strip().str.lower().str.replace("-", "_")
    )
    classes = np.where(
        lowered.isin(VOID_STATUSES),
        "void",
        np.where(lowered.isin(PARTIAL_STATUSES), "partial", "ok"),
    )
    # Classified once per distinct status (a handful), then spread over the orders.
    per_order = np.append(classes, "ok")[codes]  # code -1 (no status) picks the trailing "ok"
    return pd.Series(per_order, index=status.index, dtype=object)


def net_revenue(orders: pd.DataFrame) -> pd.Series:
    """Total minus refunds, never below zero; void orders and refunds in full are zero."""
    total = pd.to_numeric(orders["total"], errors="coerce").fillna(0.0).astype(float)
    refunded = (
        pd.to_numeric(orders["refunded"], errors="coerce").fillna(0.0).astype(float).clip(lower=0)
    )
    net = (total - refunded).clip(lower=0.0)
    return net.where(status_class(orders["status"]).ne("void").to_numpy(), 0.0)


def prepare_orders(
    orders: pd.DataFrame,
    *,
    cutoff: pd.Timestamp,
    payment_sources: tuple[str, ...],
    tolerance: float,
    source_profiles: dict[str, str] | None = None,
) -> PreparedOrders:
    """Linked orders up to the cutoff that count, with net revenue; duplicates folded."""
    dated = orders.assign(order_date=pd.to_datetime(orders["order_date"], errors="coerce"))
    in_time = dated[dated["order_date"].lt(cutoff).fillna(False)]
    linked = in_time[in_time["customer_id"].notna()]
    net = net_revenue(linked)
    refunded_in_full = net.le(0) & pd.to_numeric(linked["total"], errors="coerce").fillna(0).gt(0)
    void = status_class(linked["status"]).eq("void") | refunded_in_full
    counted = linked[~void.to_numpy()].assign(net_revenue=net[~void.to_numpy()])
    kept = fold_payment_duplicates(counted, payment_sources, tolerance, source_profiles or {})
    kept = kept.sort_values(["customer_id", "order_date", "source", "order_id"], kind="stable")
    return PreparedOrders(
        orders=kept.reset_index(drop=True),
        folded_duplicates=len(counted) - len(kept),
        void_orders=int(void.sum()),
        unlinked_orders=int(in_time["customer_id"].isna().sum()),
        after_as_of=int(len(dated) - len(in_time)),
    )


def is_payment_source(
    sources: pd.Series, patterns: tuple[str, ...], profiles: dict[str, str]
) -> pd.Series:
    """True where a source (by its name or its profile's name) is a payment processor."""
    unique = pd.Series(sources.dropna().unique())
    labels = (
        unique.astype(str).str.lower()
        + " "
        + unique.map(profiles).fillna("").astype(str).str.lower()
    )
    flags = labels.apply(lambda text: any(p.lower() in text for p in patterns))
    return sources.map(dict(zip(unique, flags, strict=True))).fillna(False).astype(bool)


def fold_payment_duplicates(
    orders: pd.DataFrame, patterns: tuple[str, ...], tolerance: float, profiles: dict[str, str]
) -> pd.DataFrame:
    """Drop payment-source orders that repeat a shop order (same customer, day, total ±tolerance)."""
    payment = is_payment_source(orders["source"], patterns, profiles)
    if not payment.any() or payment.all():
        return orders
    keyed = orders.assign(
        _day=orders["order_date"].dt.normalize(),
        _pos=np.arange(len(orders)),
        _total=pd.to_numeric(orders["total"], errors="coerce").fillna(0.0).astype(float),
    )
    pay, shop = keyed[payment.to_numpy()], keyed[~payment.to_numpy()]
    cols = ["customer_id", "_day", "_total", "_pos"]
    pairs = pay[cols].merge(shop[cols], on=["customer_id", "_day"], suffixes=("", "_shop"))
    gap = (pairs["_total"] - pairs["_total_shop"]).abs()
    close = gap <= tolerance * pairs["_total_shop"].abs().clip(lower=0.01)
    pairs = pairs[close].sort_values(["_pos_shop", "_pos"], kind="stable")
    # One payment folds into one shop order at most (two equal payments on a day are two orders).
    pairs = pairs.drop_duplicates("_pos").drop_duplicates("_pos_shop")
    return keyed[~keyed["_pos"].isin(pairs["_pos"])].drop(columns=["_day", "_pos", "_total"])
