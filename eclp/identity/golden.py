"""Golden records by survivorship: every field from one identified record, traceable by lineage.

Records of a customer are ranked by source priority (configured; unlisted sources after),
then most recent (updated_at, else created_at), then most complete, then record order.
Fields that belong together (the name parts; the address lines with city and postcode) come
from the same record; `created_at` is the earliest and `channel` the acquisition channel of the
earliest record that has one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "phone": ("phone",),
    "name": ("first_name", "last_name", "full_name"),
    "company": ("company",),
    "address": ("address1", "address2", "city", "region", "postcode", "country"),
    "birth_date": ("birth_date",),
    "gender": ("gender",),
    "email_consent": ("email_consent",),
    "sms_consent": ("sms_consent",),
    "loyalty_id": ("loyalty_id",),
}
# Identity fields counted for "most complete".
COMPLETENESS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "address1",
    "city",
    "postcode",
    "birth_date",
)


def golden_records(
    records: pd.DataFrame, customer_id: np.ndarray, source_priority: tuple[str, ...]
) -> pd.DataFrame:
    """One row per customer id with survivor values and, per field F, F__from = source:record id."""
    df = records.copy()
    df["customer_id"] = customer_id
    df["_ref"] = df["source"].astype(str) + ":" + df["source_record_id"].astype(str)
    rank = {s: i for i, s in enumerate(source_priority)}
    df["_src_rank"] = df["source"].map(rank).fillna(len(rank)).astype(np.int64)
    recency = pd.to_datetime(df["updated_at"], errors="coerce").fillna(
        pd.to_datetime(df["created_at"], errors="coerce")
    )
    df["_recency"] = recency
    df["_complete"] = df[list(COMPLETENESS)].notna().sum(axis=1)
    df["_order"] = np.arange(len(df))
    df = df.sort_values(
        ["customer_id", "_src_rank", "_recency", "_complete", "_order"],
        ascending=[True, True, False, False, True],
        na_position="last",
        kind="stable",
    )
    customers = pd.Index(pd.unique(df["customer_id"]), name="customer_id").sort_values()
    golden = pd.DataFrame(index=customers)
    for group, fields in GROUPS.items():
        lead = fields[0] if group != "address" else None
        mask = (
            df[lead].notna() if lead else df[["address1", "city", "postcode"]].notna().any(axis=1)
        )
        best = df[mask].drop_duplicates("customer_id").set_index("customer_id")
        for field in fields:
            golden[field] = best[field].reindex(customers)
            golden[f"{field}__from"] = best["_ref"].reindex(customers)
    _earliest(df, golden, customers)
    counts = df.groupby("customer_id", sort=True).size()
    golden["n_records"] = counts.reindex(customers).to_numpy()
    srcs = df[["customer_id", "source"]].drop_duplicates().sort_values(["customer_id", "source"])
    golden["sources"] = (
        srcs.groupby("customer_id", sort=True)["source"].agg(", ".join).reindex(customers)
    )
    return golden.reset_index()


def _earliest(df: pd.DataFrame, golden: pd.DataFrame, customers: pd.Index) -> None:
    """created_at = the earliest; channel = that of the earliest record with a channel."""
    created = pd.to_datetime(df["created_at"], errors="coerce")
    for field, mask in (("created_at", created.notna()), ("channel", df["channel"].notna())):
        sub = (
            df[mask]
            .assign(_c=created[mask])
            .sort_values(["customer_id", "_c", "_order"], kind="stable", na_position="last")
        )
        first = sub.drop_duplicates("customer_id").set_index("customer_id")
        golden[field] = first[field].reindex(customers)
        golden[f"{field}__from"] = first["_ref"].reindex(customers)
