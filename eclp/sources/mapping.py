"""Applying a profile's resolved column map to a read table: raw text in canonical columns."""

from __future__ import annotations

import pandas as pd

from eclp.canonical import FIELDS_BY_KIND

ROW = "_row"  # the file row number every canonical frame carries for lineage and rejects


def to_canonical(
    raw: pd.DataFrame, rows, columns: dict[str, str], constants: dict[str, str], kind: str
) -> pd.DataFrame:
    """Canonical-field columns (raw strings or None) taken from the export's headers.

    Constants (a profile's fixed values, values captured from header names) fill a field only
    where the export has no column for it or leaves it blank.
    """
    allowed = set(FIELDS_BY_KIND[kind]) | {"period_start", "period_end"}
    data: dict[str, pd.Series] = {}
    for field_name, header in columns.items():
        if field_name in allowed and header in raw.columns:
            data[field_name] = raw[header].reset_index(drop=True)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(raw)))
    for field_name, value in constants.items():
        if field_name not in allowed:
            continue
        if field_name in frame.columns:
            frame[field_name] = frame[field_name].where(frame[field_name].notna(), value)
        else:
            frame[field_name] = value
    frame[ROW] = (
        pd.Series(rows, dtype="int64").to_numpy() if len(raw) else pd.Series([], dtype="int64")
    )
    return frame
