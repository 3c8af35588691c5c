"""A column as integer codes into its distinct values, so normalising works once per value.

Thousands of records share a city or a first name: every derivation (normalise, soundex,
first token) runs over the distinct values, and ASCII text goes through Arrow kernels in one
call where a kernel gives exactly what the Python function gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Coded:
    """A column as integer codes (-1 = blank) into distinct values: work happens per value."""

    codes: np.ndarray
    uniques: np.ndarray  # object array of str

    @staticmethod
    def of(col: pd.Series) -> Coded:
        """Code a raw column: text trimmed, empty text blank, numbers as their text."""
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        raw = Coded(codes.astype(np.int64), np.asarray(uniques, dtype=object))
        cleaned = _clean_texts(raw.uniques)
        if cleaned is raw.uniques:  # distinct texts, none changed: the codes stay as they are
            return raw
        return raw.derive_all(lambda _: cleaned)

    @staticmethod
    def from_values(values: np.ndarray) -> Coded:
        """Code an object array of str/None."""
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        return Coded(codes.astype(np.int64), np.asarray(uniques, dtype=object))

    def derive(self, fn, arrow_fn=None) -> Coded:
        """fn applied once per distinct value; a falsy result becomes blank.

        arrow_fn, when given, computes fn's results for plain ASCII text in Arrow at once
        (it must give exactly what fn gives there); only other values go through fn.
        """
        if arrow_fn is None:
            return self.derive_all(lambda vals: _each(fn, vals))
        return self.derive_all(lambda vals: _ascii_in_arrow(vals, fn, arrow_fn))

    def derive_all(self, fn) -> Coded:
        """fn applied to the array of distinct values at once (vectorised)."""
        if not len(self.uniques):
            return self
        mapped = pd.Series(fn(self.uniques), dtype=object)
        sub, uniques = pd.factorize(mapped, use_na_sentinel=True)
        sub = np.append(sub.astype(np.int64), -1)
        return Coded(sub[self.codes], np.asarray(uniques, dtype=object))

    def values(self) -> np.ndarray:
        """The value per record (None when blank)."""
        return np.append(self.uniques, None)[self.codes]

    def tf(self) -> np.ndarray:
        """Each record's value's share of the non-blank records (NaN when blank)."""
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(self.uniques))
        share = np.append(counts / max(counts.sum(), 1), np.nan)
        return share[self.codes]

    def lengths(self) -> np.ndarray:
        """Length of each record's value (0 when blank)."""
        sizes = np.array([len(u) for u in self.uniques], dtype=np.int64)
        return np.append(sizes, 0)[self.codes]


def _each(fn, values: np.ndarray) -> np.ndarray:
    """fn(v) per value, falsy results as None."""
    return np.array([fn(v) or None for v in values], dtype=object)


def arrow_strings(values: np.ndarray) -> pa.Array | None:
    """The values as an Arrow string array, or None when they are not all str."""
    try:
        return pa.array(values, type=pa.string(), from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        return None


def _ascii_in_arrow(values: np.ndarray, fn, arrow_fn) -> np.ndarray:
    """fn per value (falsy → None), the ASCII values computed by arrow_fn in one go."""
    text = arrow_strings(values)
    if text is None:
        return _each(fn, values)
    ascii_ = pc.string_is_ascii(text).to_numpy(zero_copy_only=False)
    out = np.empty(len(values), dtype=object)
    fast = arrow_fn(text.filter(pa.array(ascii_)))
    fast = pc.if_else(pc.equal(fast, ""), pa.scalar(None, pa.string()), fast)
    out[ascii_] = fast.to_numpy(zero_copy_only=False)
    out[~ascii_] = _each(fn, values[~ascii_])
    return out


def _clean_texts(values: np.ndarray) -> np.ndarray:
    """_clean_text per value; text that starts and ends with a visible ASCII character is kept
    as it is without a Python call (strip would not change it). values itself when all are."""
    text = arrow_strings(values)
    if text is None:
        return _each(_clean_text, values)
    kept = pc.and_(
        pc.match_substring_regex(text, "^[!-~]"), pc.match_substring_regex(text, "[!-~]$")
    ).to_numpy(zero_copy_only=False)
    if kept.all():
        return values
    out = values.copy()
    out[~kept] = _each(_clean_text, values[~kept])
    return out


def _clean_text(value) -> str | None:
    """Trimmed text, or None for empty/blank."""
    text = value.strip() if isinstance(value, str) else str(value)
    return text or None
