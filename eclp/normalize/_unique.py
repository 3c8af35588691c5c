"""Apply a scalar function once per distinct value of a Series (the normalisers' cache)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def as_object(s: pd.Series) -> pd.Series:
    """The series as object dtype with None for missing values (input of every normaliser)."""
    if s.dtype == object:
        return s
    return s.astype(object).where(s.notna(), None)


def map_unique(s: pd.Series, fn: Callable[[Any], Any], *, dtype: Any = object) -> pd.Series:
    """fn applied to each distinct non-null value once; nulls map to None/NaN.

    1M rows of exports usually hold only thousands of distinct values, so the
    Python-level work scales with the distinct values, not the rows.
    """
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    values = [fn(u) for u in uniques]
    return _take(values, codes, s.index, dtype)


def map_unique_pairs(
    s: pd.Series, other: pd.Series, fn: Callable[[Any, Any], Any], *, dtype: Any = object
) -> pd.Series:
    """fn(value, other_value) once per distinct pair; rows whose value is null map to None/NaN."""
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    ocodes, ouniques = pd.factorize(as_object(other), use_na_sentinel=True)
    width = len(ouniques) + 1
    # Pair codes: one integer per (value, other) combination, -1 when the value is null.
    pair = np.where(codes < 0, -1, codes.astype(np.int64) * width + (ocodes + 1))
    distinct, inverse = np.unique(pair, return_inverse=True)
    other_values = np.append(np.asarray(ouniques, dtype=object), None)  # index -1 -> None
    values = [
        None if p < 0 else fn(uniques[p // width], other_values[(p % width) - 1]) for p in distinct
    ]
    if len(distinct) and distinct[0] < 0:
        values[0] = None
        inverse = np.where(inverse == 0, -1, inverse - 1)
        values = values[1:]
    return _take(values, inverse.reshape(-1), s.index, dtype)


def _take(values: list[Any], codes: np.ndarray, index: pd.Index, dtype: Any) -> pd.Series:
    """Series of values[codes] with code -1 meaning missing."""
    if dtype is object:
        table = np.empty(len(values) + 1, dtype=object)
        table[: len(values)] = values
        table[-1] = None
    else:
        table = np.append(np.asarray(values, dtype=dtype), np.array([np.nan], dtype=dtype))
    return pd.Series(table[codes], index=index, dtype=dtype)
