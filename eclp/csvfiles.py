"""CSV files an analyst opens in Excel: text from exports stays inert there.

Excel evaluates a cell that starts with `=`, `+`, `-` or `@` as a formula, so a customer
named `=HYPERLINK(...)` in a shop export would become a live link, or worse, in
customers.csv. Such text is written with a leading apostrophe (OWASP's advice for CSV
injection); the Parquet copies keep the exact values. A phone number or a signed amount
(`+44 7700 900123`, `-12.50`) is no formula and is written as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

QUOTE = "'"
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-][\d\s().,/-]*$")


def is_formula_like(value: str) -> bool:
    """Whether Excel would evaluate this text as a formula."""
    return bool(_FORMULA_START.match(value)) and not _PLAIN_NUMBER.match(value)


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """frame with its formula-like text cells starting with an apostrophe (a copy only of
    the columns that hold any)."""
    out = frame
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        starts = _starts_like_formula(values)
        if not starts.any():
            continue
        hit = np.flatnonzero(starts)
        hit = hit[[is_formula_like(v) for v in values.iloc[hit]]]
        if len(hit):
            quoted = values.astype(object).to_numpy(copy=True)
            quoted[hit] = [QUOTE + v for v in quoted[hit]]
            out = out.assign(**{column: quoted})
    return out


def _starts_like_formula(values: pd.Series) -> np.ndarray:
    """Whether each cell is text starting with a formula character (Arrow's regex where the
    column is all text, pandas' otherwise)."""
    try:
        text = pa.array(values, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: numbers among the text
        starts = [isinstance(v, str) and bool(_FORMULA_START.match(v)) for v in values]
        return np.array(starts, dtype=bool)
    return pc.fill_null(pc.match_substring_regex(text, _FORMULA_START.pattern), False).to_numpy(
        zero_copy_only=False
    )


def restore(value: str) -> str:
    """The original text of a cell `inert` quoted (other text unchanged)."""
    if value.startswith(QUOTE) and is_formula_like(value[1:]):
        return value[1:]
    return value


def write_csv(frame: pd.DataFrame, path: Path, **options) -> None:
    """frame to CSV at path with formula-like text made inert (pandas to_csv options)."""
    inert(frame).to_csv(path, index=False, **options)
