"""Data quality: per file accounting, rejects and blanked values by reason, field completeness
and cross-source matches."""

from __future__ import annotations

import pandas as pd

COMPLETENESS_FIELDS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "address1",
    "city",
    "postcode",
    "country",
)
BATCH_TABLE_COLUMNS = (
    "source",
    "file",
    "profile",
    "kind",
    "rows",
    "accepted",
    "rejected",
    "rejected_share",
)


def file_table(batches: pd.DataFrame) -> pd.DataFrame:
    """One row per ingested file: rows read, accepted, rejected (read = accepted + rejected)."""
    if batches.empty:
        return pd.DataFrame(columns=list(BATCH_TABLE_COLUMNS))
    name = batches["file_name"] if "file_name" in batches else batches.get("file")
    table = pd.DataFrame(
        {
            "source": batches["source"],
            "file": name,
            "profile": batches["profile"],
            "kind": batches["kind"],
            **{c: pd.to_numeric(batches[c], errors="coerce").fillna(0).astype("int64")
               for c in ("rows", "accepted", "rejected")},
        }
    )  # fmt: skip
    table["rejected_share"] = table["rejected"] / table["rows"].where(table["rows"] > 0)
    return table.sort_values(["source", "file"], kind="stable").reset_index(drop=True)


def reject_table(rejects: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows by source, file, column and reason, with one example value."""
    return _by_reason(rejects, batches, "rows")


def blanked_table(blanked: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Values blanked as invalid (row kept) by source, file, column and reason, with an example."""
    return _by_reason(blanked, batches, "values")


def _by_reason(issues: pd.DataFrame, batches: pd.DataFrame, count: str) -> pd.DataFrame:
    """Issues (batch_id, file, row, column, value, reason) counted per source, file, column and
    reason; the example is the one on the lowest row."""
    columns = ["source", "file", "column", "reason", count, "example_row", "example_value"]
    if issues.empty:
        return pd.DataFrame(columns=columns)
    sources = (
        batches.set_index("batch_id")["source"] if not batches.empty else pd.Series(dtype=object)
    )
    keyed = issues.assign(source=issues["batch_id"].map(sources)).fillna(
        {"column": "", "reason": ""}
    )
    keyed = keyed.sort_values(
        ["source", "file", "column", "reason", "row"], kind="stable", na_position="last"
    )
    grouped = keyed.groupby(["source", "file", "column", "reason"], dropna=False, sort=True)
    table = pd.DataFrame(
        {
            count: grouped.size(),
            "example_row": grouped["row"].first(),
            "example_value": grouped["value"].first(),
        }
    )
    return table.reset_index()[columns]


def field_table(person_records: pd.DataFrame, identity_map: pd.DataFrame) -> pd.DataFrame:
    """Per source: records, the share of each identity field filled, and the share matched elsewhere."""
    if person_records.empty:
        return pd.DataFrame(
            columns=["source", "records", *COMPLETENESS_FIELDS, "matched_other_source"]
        )
    present = [f for f in COMPLETENESS_FIELDS if f in person_records]
    filled = person_records[present].notna() & person_records[present].astype("string").ne(
        ""
    ).fillna(False)
    table = filled.groupby(person_records["source"]).mean()
    table.insert(0, "records", person_records.groupby("source").size())
    table["matched_other_source"] = matched_share(identity_map).reindex(table.index)
    return table.rename_axis("source").reset_index()


def matched_share(identity_map: pd.DataFrame) -> pd.Series:
    """Per source: the share of its records whose customer also has records from another source."""
    if identity_map.empty:
        return pd.Series(dtype=float)
    sources_per_customer = identity_map.groupby("customer_id")["source"].nunique()
    multi = identity_map["customer_id"].map(sources_per_customer).gt(1)
    return multi.groupby(identity_map["source"]).mean()


def identity_table(stats: dict) -> pd.DataFrame:
    """The identity statistics as a two-column frame (measure, value) in a fixed order."""
    order = ["records", "customers", "links", "merges", "review", "largest_cluster"]
    keys = [k for k in order if k in stats] + sorted(k for k in stats if k not in order)
    return pd.DataFrame({"measure": keys, "value": [stats[k] for k in keys]})
