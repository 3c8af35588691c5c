"""Applying a profile's resolved column map to a read table: raw text in canonical columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eclp.canonical import FIELDS_BY_KIND
from eclp.sources.profile import PATTERN_PREFIX, Profile, normalize_header

ROW = "_row"  # the file row number every canonical frame carries for lineage and rejects
EXTRA_FIELDS = frozenset({"period_start", "period_end"})


def field_headers(
    profile: Profile, headers: Sequence[str], primary: Mapping[str, str]
) -> dict[str, list[str]]:
    """Every header present for each field, the profile's chosen one first, then its other aliases.

    Exports often carry a field twice (Shopify orders: `Phone` mostly blank, `Billing Phone`
    filled; `Created at` and `Paid at`): a row takes the first of them that is not blank.
    """
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(normalize_header(header), header)
    out: dict[str, list[str]] = {}
    for name, header in primary.items():
        found = [header]
        for alias in profile.columns.get(name, ()):
            if alias.startswith(PATTERN_PREFIX):
                continue
            hit = by_key.get(normalize_header(alias))
            if hit is not None and hit not in found:
                found.append(hit)
        out[name] = found
    return out


def to_canonical(
    raw: pd.DataFrame,
    rows: Sequence[int] | np.ndarray,
    columns: Mapping[str, Sequence[str]],
    constants: Mapping[str, str],
    kind: str,
) -> pd.DataFrame:
    """Canonical-field columns (raw strings or None) taken from the export's headers.

    `columns` maps each field to its headers in order of preference; constants (a profile's
    fixed values, values captured from header names) fill a field only where it is blank.
    """
    allowed = set(FIELDS_BY_KIND[kind]) | EXTRA_FIELDS
    data: dict[str, pd.Series] = {}
    for name, headers in columns.items():
        if name not in allowed and not name.startswith("_"):
            continue
        present = [h for h in headers if h in raw.columns]
        if not present:
            continue
        values = raw[present[0]].to_numpy(dtype=object)
        for other in present[1:]:
            blank = pd.isna(values)
            if blank.any():
                values = np.where(blank, raw[other].to_numpy(dtype=object), values)
        data[name] = values
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(raw)), dtype=object)
    for name, value in constants.items():
        if name not in allowed:
            continue
        if name in frame.columns:
            frame[name] = frame[name].where(frame[name].notna(), value)
        else:
            frame[name] = value
    frame[ROW] = np.asarray(rows, dtype="int64")[: len(raw)] if len(raw) else np.array([], "int64")
    return frame
