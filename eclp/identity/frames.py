"""Frames of resolution without copies of the wide input: records in order, rows and columns
taken column by column, and freed memory handed back between stages."""

from __future__ import annotations

import contextlib
import ctypes

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class Ordered:
    """The records in resolution order, taken column by column when asked for.

    Offers what the stages use of a DataFrame (len, `in`, [column], [columns]) without a copy
    of the whole wide input: each column is taken when used and freed after.
    """

    KEPT = ("source", "source_record_id")  # the record keys: asked for by many stages

    def __init__(self, records: pd.DataFrame, order: np.ndarray) -> None:
        self._records, self._order = records, order
        self._kept: dict[str, pd.Series] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, column: str) -> bool:
        return column in self._records.columns

    def __getitem__(self, key):
        if isinstance(key, list):
            return pd.DataFrame({column: self[column] for column in key})
        if key in self._kept:
            return self._kept[key]
        column = self._records[key].take(self._order).reset_index(drop=True)
        if key in self.KEPT:
            self._kept[key] = column
        return column

    def rows(self, column: str, positions: np.ndarray) -> pd.Series:
        """A column's values at some positions (in resolution order), as self[column].iloc
        would give them but without taking the whole column into order first."""
        if column in self._kept:
            return self._kept[column].iloc[positions].reset_index(drop=True)
        return self._records[column].iloc[self._order[positions]].reset_index(drop=True)


def release_memory() -> None:
    """Hand memory freed by large arrays back to the OS.

    glibc keeps freed heap memory for reuse, so the RSS of the next stage adds to that of the
    last; malloc_trim returns it (a no-op elsewhere), and Arrow's pool its cached pages.
    """
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def record_order(records: pd.DataFrame) -> np.ndarray:
    """Positions of records in (source, source_record_id) order, ties in input order.

    Arrow's stable sort when both keys are text (same order: code points, blanks last);
    pandas' otherwise.
    """
    try:
        keys = pa.table(
            {
                "source": pa.array(records["source"], type=pa.string(), from_pandas=True),
                "record": pa.array(records["source_record_id"], type=pa.string(), from_pandas=True),
            }
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        order = records[["source", "source_record_id"]].reset_index(drop=True)
        return order.sort_values(["source", "source_record_id"], kind="stable").index.to_numpy()
    sort = [("source", "ascending"), ("record", "ascending")]
    return pc.sort_indices(keys, sort_keys=sort).to_numpy()  # nulls last by default


def take_rows(links: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """A new frame of the given rows, column by column (no copy of the whole wide frame)."""
    return pd.DataFrame({col: links[col].to_numpy()[rows] for col in links.columns}, copy=False)


def append_rows(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """first's rows then second's, as pd.concat([first, second], ignore_index=True) gives
    them, column by column: concat consolidates the wide links frame into 2-D blocks first,
    a copy of every column more and several times slower."""
    same = list(first.columns) == list(second.columns) and all(
        first[col].dtype == second[col].dtype and isinstance(first[col].dtype, np.dtype)
        for col in first.columns
    )
    if not same or not len(first) or not len(second):
        return pd.concat([first, second], ignore_index=True)
    joined = {col: np.concatenate([first[col].to_numpy(), second[col].to_numpy()]) for col in first}
    return pd.DataFrame(joined, copy=False)


def columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """A frame of some of frame's columns, sharing their data (frame[names] would copy)."""
    return pd.DataFrame({name: frame[name] for name in names}, copy=False)


def best_per_record(n: int, rec: np.ndarray, p: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Per record 0..n-1 the smallest tiebreak among its entries of highest p (NaN lowest),
    -1 for records without entries: what a lexsort by (record, -p, tiebreak) puts first,
    found by two scatter passes instead of a sort of all entries."""
    top = np.full(n, np.nan)
    np.fmax.at(top, rec, p)
    top = top[rec]
    ties = np.flatnonzero((p == top) | np.isnan(top))
    best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, rec[ties], tiebreak[ties])
    best[best == np.iinfo(np.int64).max] = -1
    return best


def values_of_codes(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The value of each code (codes index distinct values; values[i] is that of codes[i])."""
    at = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    at[codes[codes >= 0]] = np.flatnonzero(codes >= 0)
    return values[at]
