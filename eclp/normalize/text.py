"""Text cleaning shared by every normaliser: Unicode, whitespace, Excel apostrophes, null tokens."""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.normalize import _arrow
from eclp.normalize._unique import as_object

# Values exports use to mean "nothing here" (Excel, Google Ads, GA4, pandas round trips).
NULL_TOKENS = frozenset(
    {"", "-", "--", "---", "—", "n/a", "#n/a", "null", "none", "nan", "nat", "(not set)", "(none)"}
)
_INVISIBLE_CHARS = "\ufeff\u200b\u200c\u200d\u2060\x00"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
# What Python's str.split() treats as whitespace, as an RE2 class.
_WHITESPACE_RE2 = r"[\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\p{Z}]+"
_INVISIBLE_RE2 = r"[\x{feff}\x{200b}\x{200c}\x{200d}\x{2060}\x{00}]"
_NULL_TOKENS_ARROW = pa.array(sorted(NULL_TOKENS), type=pa.string())


def clean_text_value(value: Any) -> str | None:
    """One value cleaned: NFC, trimmed, single-spaced, leading apostrophes removed, null tokens -> None."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        # Excel stores ids and phones as floats: 1234.0 means "1234".
        value = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    text = _without_surrogates(unicodedata.normalize("NFC", str(value))).translate(_INVISIBLE)
    text = " ".join(text.split())
    # Excel/Shopify force text with a leading apostrophe ('0123); strip it (and any space after).
    while text.startswith("'"):
        text = " ".join(text[1:].split())
    if text.lower() in NULL_TOKENS:
        return None
    return text


def clean_text(s: pd.Series) -> pd.Series:
    """Series of cleaned text (object dtype, None for blanks and null tokens), vectorised."""
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    cleaned = clean_text_array(np.asarray(uniques, dtype=object))
    table = np.append(cleaned, None)
    return pd.Series(table[codes], index=s.index, dtype=object)


def clean_text_array(values: np.ndarray) -> np.ndarray:
    """clean_text_value over an object array (str/None/numbers), in pyarrow compute."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        values = np.array(
            [v if isinstance(v, str) or v is None else clean_text_value(v) for v in values],
            dtype=object,
        )
    try:
        arr = _arrow.strings(values)
    except UnicodeEncodeError:  # lone surrogates (surrogateescape-decoded bytes)
        arr = _arrow.strings([v if v is None else _without_surrogates(v) for v in values])
    arr = pc.utf8_normalize(arr, "NFC")
    arr = _arrow.replace(arr, _INVISIBLE_RE2, "")
    arr = pc.utf8_trim(_arrow.replace(arr, _WHITESPACE_RE2, " "), " ")
    arr = pc.utf8_trim(_arrow.replace(arr, r"^(?:' ?)+", ""), " ")
    is_null = pc.is_in(pc.utf8_lower(arr), value_set=_NULL_TOKENS_ARROW)
    arr = pc.if_else(pc.fill_null(is_null, True), pa.scalar(None, pa.string()), arr)
    return _arrow.to_objects(arr)


def _without_surrogates(text: str) -> str:
    """Lone surrogates (not encodable as UTF-8) replaced by '?'."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
