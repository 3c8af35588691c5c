"""Rejected rows from every stage in one shape: file, row, column, value, reason."""

from __future__ import annotations

import pandas as pd

from eclp.sources.mapping import ROW

REJECT_COLUMNS = ["file", "row", "column", "value", "reason"]


def reader_rejects(name: str, raw) -> pd.DataFrame:
    """Rows the reader could not use (ragged rows, broken quoting)."""
    return pd.DataFrame(
        [
            {"file": name, "row": r.row, "column": None, "value": r.value, "reason": r.reason}
            for r in raw.rejects
        ],
        columns=REJECT_COLUMNS,
    )


def behaviour_rejects(name: str, dropped: pd.DataFrame) -> pd.DataFrame:
    """Rows a profile behaviour dropped on purpose (total rows, account totals)."""
    if dropped is None or dropped.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    out = dropped.rename(columns={ROW: "row"})
    out["file"] = name
    for col in REJECT_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[REJECT_COLUMNS]


def normalize_rejects(name: str, rejects: pd.DataFrame, row_of: pd.Series) -> pd.DataFrame:
    """Normalisation reports rows by frame index; map them back to file rows.

    Used for its rejected rows and for its warnings (values blanked, row kept) alike.
    """
    if rejects is None or rejects.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    out = rejects.copy()
    out["row"] = row_of.reindex(out["index"]).to_numpy()
    out["file"] = name
    for col in REJECT_COLUMNS:
        if col not in out.columns:
            out[col] = None
    return out[REJECT_COLUMNS]


def concat_rejects(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """All stages' rejects together, values cut to 200 characters."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].map(lambda v: None if v is None else str(v)[:200])
    return out
