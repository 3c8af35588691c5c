"""Splitting a normalised canonical frame into the store's tables (spec §3).

People rows become person records. Orders rows (one per line item in Shopify/WooCommerce
exports) become one order per order id with its lines, plus one person record per distinct
person key. Interactions likewise yield the requester as a person record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eclp.canonical import (
    COST_FIELDS,
    PEOPLE_EXTRA_FIELDS,
    PEOPLE_FIELDS,
    SPEND_FIELDS,
    T_CONTENT,
    T_COSTS,
    T_INTERACTIONS,
    T_ORDER_LINES,
    T_ORDERS,
    T_PERSON_RECORDS,
    T_SPEND,
)
from eclp.sources.mapping import ROW

# The store's person_records columns: the canonical people fields plus the raw email/phone.
PERSON_COLUMNS = (
    "source",
    "kind",
    "email_raw",
    "phone_raw",
    *PEOPLE_FIELDS,
    *PEOPLE_EXTRA_FIELDS,
)
ORDER_COLUMNS = (
    "source",
    "order_id",
    "person_record_id",
    "order_date",
    "currency",
    "subtotal",
    "discount",
    "shipping",
    "tax",
    "total",
    "refunded",
    "status",
    "channel",
    "discount_code",
    "units",
)
LINE_COLUMNS = ("source", "order_id", "line_no", "sku", "product", "category", "quantity", "price")
INTERACTION_COLUMNS = (
    "source",
    "interaction_id",
    "person_record_id",
    "type",
    "occurred_at",
    "status",
    "score",
    "subject",
)
SPEND_COLUMNS = ("source", *SPEND_FIELDS)
COST_COLUMNS = ("source", *COST_FIELDS)
CONTENT_COLUMNS = (
    "source",
    "page",
    "title",
    "channel",
    "views",
    "users",
    "engaged_seconds",
    "conversions",
    "period_start",
    "period_end",
)
LINEAGE_COLUMNS = ("file", "row", "batch_id")

# The natural key of each table: a newer row with the same key replaces the stored one.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    T_PERSON_RECORDS: ("source", "source_record_id"),
    T_ORDERS: ("source", "order_id"),
    T_ORDER_LINES: ("source", "order_id"),  # lines are replaced with their order, as a set
    T_INTERACTIONS: ("source", "interaction_id"),
    T_SPEND: ("source", "date", "channel", "campaign"),
    T_COSTS: ("source", "order_id", "kind"),
    T_CONTENT: ("source", "page", "channel", "period_start", "period_end"),
}
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    T_PERSON_RECORDS: PERSON_COLUMNS,
    T_ORDERS: ORDER_COLUMNS,
    T_ORDER_LINES: LINE_COLUMNS,
    T_INTERACTIONS: INTERACTION_COLUMNS,
    T_SPEND: SPEND_COLUMNS,
    T_COSTS: COST_COLUMNS,
    T_CONTENT: CONTENT_COLUMNS,
}
# The table whose new/updated counts a file of each kind reports.
PRIMARY_TABLE = {
    "people": T_PERSON_RECORDS,
    "orders": T_ORDERS,
    "interactions": T_INTERACTIONS,
    "spend": T_SPEND,
    "costs": T_COSTS,
    "content": T_CONTENT,
}
IDENTITY_FIELDS = ("customer_ref", "email", "loyalty_id", "phone", "full_name")
LINE_FIELDS = ("sku", "product", "category", "quantity", "price")


@dataclass(frozen=True)
class Lineage:
    source: str
    file: str
    batch_id: int
    file_hash: str = ""


def split_tables(
    kind: str, frame: pd.DataFrame, lineage: Lineage, person_key: Sequence[str] = ()
) -> dict[str, pd.DataFrame]:
    """The store rows a normalised frame of one kind yields, keyed by table name."""
    if kind == "people":
        return {T_PERSON_RECORDS: _people(frame, lineage, "people")}
    if kind == "orders":
        return _orders(frame, lineage, person_key or ("customer_ref", "order_id"))
    if kind == "interactions":
        return _interactions(frame, lineage, person_key or ("customer_ref", "email"))
    if kind == "spend":
        return {T_SPEND: _shape(frame, SPEND_COLUMNS, lineage)}
    if kind == "costs":
        return {T_COSTS: _shape(frame, COST_COLUMNS, lineage)}
    if kind == "content":
        return {T_CONTENT: _shape(frame, CONTENT_COLUMNS, lineage)}
    raise ValueError(f"unknown kind {kind!r}")


def _with(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """frame plus (or with replaced) columns, sharing the other columns' data instead of copying."""
    out = frame.copy(deep=False)
    for name, values in columns.items():
        out[name] = values
    return out


def _shape(frame: pd.DataFrame, columns: Sequence[str], lineage: Lineage) -> pd.DataFrame:
    """Exactly the table's columns (missing ones blank) plus lineage; last row per key wins."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        out[col] = frame[col] if col in frame.columns else None
    out["source"] = lineage.source
    out["file"] = lineage.file
    out["row"] = frame[ROW].astype("int64") if ROW in frame.columns else 0
    out["batch_id"] = lineage.batch_id
    return out.reset_index(drop=True)


def person_key_values(frame: pd.DataFrame, fields: Sequence[str]) -> pd.Series:
    key = pd.Series(None, index=frame.index, dtype="object")
    for name in fields:
        if name in frame.columns:
            values = frame[name].astype("object").where(frame[name].notna(), None)
            values = values.map(lambda v: None if v is None or str(v).strip() == "" else str(v))
            key = key.where(key.notna(), values)
    return key


def _row_hash_ids(frame: pd.DataFrame, lineage: Lineage) -> pd.Series:
    """A stable id for rows that carry no key of their own: file hash + row number."""
    prefix = (
        f"row:{lineage.file_hash[:12] or hashlib.sha1(lineage.file.encode()).hexdigest()[:12]}:"
    )
    return prefix + frame[ROW].astype("int64").astype(str)


def _people(frame: pd.DataFrame, lineage: Lineage, kind: str) -> pd.DataFrame:
    ids = person_key_values(frame, ("source_record_id", *IDENTITY_FIELDS))
    ids = ids.where(ids.notna(), _row_hash_ids(frame, lineage))
    frame = _with(frame, source_record_id=ids)
    out = _shape(frame, PERSON_COLUMNS, lineage)
    out["kind"] = kind
    return _last_per_key(out, ("source_record_id",))


def _last_per_key(frame: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """A file that lists a key twice keeps its last row (exports are ordered oldest first)."""
    if frame.empty:
        return frame
    return frame.drop_duplicates(list(key), keep="last").reset_index(drop=True)


def _person_rows(
    frame: pd.DataFrame, lineage: Lineage, person_key: Sequence[str], kind: str
) -> tuple[pd.DataFrame, pd.Series]:
    """One person record per distinct person key, its fields from the key's latest row."""
    key = person_key_values(frame, person_key)
    key = key.where(key.notna(), _row_hash_ids(frame, lineage))
    people = _with(frame, source_record_id=key)
    # One row per person; each field from the first row that has it (Shopify fills the
    # order-level fields on the first line item only).
    fields = [c for c in PERSON_COLUMNS if c in people.columns and c != "source_record_id"]
    people = first_per_key(people, "source_record_id", fields)
    out = _shape(people, PERSON_COLUMNS, lineage)
    out["kind"] = kind
    identity = [
        c
        for c in (
            "customer_ref",
            "email",
            "phone",
            "full_name",
            "first_name",
            "last_name",
            "loyalty_id",
        )
    ]
    # A row-numbered placeholder with no identifying field is no person at all.
    out = out[out[identity].notna().any(axis=1) | ~out["source_record_id"].str.startswith("row:")]
    return out.reset_index(drop=True), key


def first_per_key(frame: pd.DataFrame, key: str, fields: Sequence[str]) -> pd.DataFrame:
    """One row per key (its first row), each field from the first row of the key that has it.

    groupby().first() does the same but is slow over a million object rows; most keys are on
    one row, and most fields are filled on a key's first row, so only the gaps are looked up.
    """
    first = ~frame[key].duplicated()
    out = frame.loc[first, [key, *fields, ROW]].reset_index(drop=True)
    if bool(first.all()):
        return out
    later = frame.loc[~first]
    for name in fields:
        gaps = out[name].isna()
        if not gaps.any():
            continue
        donors = later.loc[later[name].notna(), [key, name]].drop_duplicates(key)
        if donors.empty:
            continue
        filled = out.loc[gaps, key].map(donors.set_index(key)[name])
        out.loc[gaps, name] = filled
    return out


def _orders(
    frame: pd.DataFrame, lineage: Lineage, person_key: Sequence[str]
) -> dict[str, pd.DataFrame]:
    people, key = _person_rows(frame, lineage, person_key, "orders")
    frame = _with(frame, person_record_id=key)
    order_fields = [
        c for c in ORDER_COLUMNS if c in frame.columns and c not in ("source", "order_id")
    ]
    # Order-level fields come from the first row that has them; the order's row is its first row.
    orders = first_per_key(frame, "order_id", order_fields)
    lines = _lines(frame)
    if "units" not in frame.columns or orders["units"].isna().all():
        units = lines.groupby("order_id")["quantity"].sum(min_count=1) if not lines.empty else None
        orders["units"] = orders["order_id"].map(units) if units is not None else np.nan
    if "total" not in frame.columns or orders["total"].isna().all():
        orders["total"] = _total_from_parts(orders, lines)
    tables = {T_PERSON_RECORDS: people, T_ORDERS: _shape(orders, ORDER_COLUMNS, lineage)}
    if not lines.empty:
        tables[T_ORDER_LINES] = _shape(lines, LINE_COLUMNS, lineage)
    return tables


def _lines(frame: pd.DataFrame) -> pd.DataFrame:
    present = [c for c in LINE_FIELDS if c in frame.columns]
    if not present:
        return pd.DataFrame(columns=["order_id", "line_no", *LINE_FIELDS, ROW])
    lines = frame.loc[frame[present].notna().any(axis=1), ["order_id", *present, ROW]].copy()
    lines["line_no"] = lines.groupby("order_id", sort=False).cumcount() + 1
    for col in LINE_FIELDS:
        if col not in lines.columns:
            lines[col] = None
    return lines.reset_index(drop=True)


def _total_from_parts(orders: pd.DataFrame, lines: pd.DataFrame) -> pd.Series:
    """Orders without a total column: subtotal + shipping + tax - discount, else the lines' sum."""
    parts = pd.Series(np.nan, index=orders.index)
    if "subtotal" in orders.columns:
        parts = orders["subtotal"].astype("float64")
        for col, sign in (("shipping", 1), ("tax", 1), ("discount", -1)):
            if col in orders.columns:
                parts = parts + sign * orders[col].astype("float64").fillna(0.0)
    if not lines.empty and lines["price"].notna().any():
        qty = lines["quantity"].astype("float64").fillna(1.0)
        sums = (lines["price"].astype("float64") * qty).groupby(lines["order_id"]).sum(min_count=1)
        parts = parts.where(parts.notna(), orders["order_id"].map(sums))
    return parts


def _interactions(
    frame: pd.DataFrame, lineage: Lineage, person_key: Sequence[str]
) -> dict[str, pd.DataFrame]:
    people, key = _person_rows(frame, lineage, person_key, "interactions")
    ids = person_key_values(frame, ("source_record_id",))
    ids = ids.where(ids.notna(), _row_hash_ids(frame, lineage))
    frame = _with(frame, interaction_id=ids, person_record_id=key)
    interactions = _last_per_key(_shape(frame, INTERACTION_COLUMNS, lineage), ("interaction_id",))
    return {T_PERSON_RECORDS: people, T_INTERACTIONS: interactions}
