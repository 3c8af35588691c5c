"""Numbers and money as exports write them: 1,250.00 · 1.234,56 · 1 234,56 € · (12.50) · 12.50- · 3.66%."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.normalize import _arrow
from eclp.normalize._unique import as_object
from eclp.normalize.text import clean_text_array

_CURRENCY_SIGNS = "$€£¥₹₽₩₺₪₫฿₱¢₦₴₲₵₡₸₼₾"
# A currency code or symbol before or after the number: USD, US$, R$, kr., CHF, zł, €.
_AFFIX = rf"(?:[A-Za-zł]{{1,3}}\.?\s*[{_CURRENCY_SIGNS}]?|[{_CURRENCY_SIGNS}])"
_SHAPE = (
    r"^(?P<open>\()?\s*(?P<lead>[-−+])?\s*(?:" + _AFFIX + r")?\s*(?P<lead2>[-−])?\s*"
    r"(?P<num>\d[\d.,'’ ]*|[.,]\d+)"
    r"\s*(?:" + _AFFIX + r")?\s*(?P<trail>[-−])?\s*(?P<close>\))?$"
)
_SCIENTIFIC = r"^[-+]?\d+(?:\.\d+)?[eE][-+]?\d+$"
# Votes for the column's decimal separator (see _infer_column_decimal).
_COMMA_VOTE = r"^(?:\d*,\d{1,2}|\d*,\d{4,}|0,\d+|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?)$"
_DOT_VOTE = r"^(?:\d*\.\d{1,2}|\d*\.\d{4,}|0\.\d+|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?)$"


def parse_number(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """float64 Series; blank, '--' and text that is not a number -> NaN.

    Currency symbols and codes around the number are ignored, so this is also
    the money parser. The decimal separator is `decimal` if given, else
    inferred per column; a value holding both separators always takes the
    later one as decimal.
    """
    return _parse(s, decimal, percent=False)


def parse_money(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """Amounts: '$3,200.00', '1 234,56 €', 'USD 12.50', '(12.50)' and '12.50-' negative, '--' NaN."""
    return _parse(s, decimal, percent=False)


def parse_percent(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """Fractions from percentages: '3.66%' -> 0.0366 (values without '%' are read as percent too)."""
    return _parse(s, decimal, percent=True) / 100


def _parse(s: pd.Series, decimal: str | None, *, percent: bool) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    cleaned = clean_text_array(np.asarray(uniques, dtype=object))
    values = _parse_cleaned(cleaned, decimal, percent=percent)
    table = np.append(values, np.nan)
    return pd.Series(table[codes], index=s.index, dtype="float64")


def _parse_cleaned(cleaned: np.ndarray, decimal: str | None, *, percent: bool) -> np.ndarray:
    """Floats for distinct cleaned strings (None -> NaN), vectorised in pyarrow."""
    text = _arrow.strings(cleaned)
    if percent:
        text = _arrow.replace(text, r"\s*%$", "")
    parts = _arrow.extract(text, _SHAPE)
    minus = sum(np.isin(parts[g], ["-", "−"]).astype(int) for g in ("lead", "lead2", "trail"))
    has_open, has_close = parts["open"] != None, parts["close"] != None  # noqa: E711
    negative = (minus == 1) | (has_open & has_close)
    invalid = (minus > 1) | (has_open != has_close)
    body = _arrow.replace(_arrow.strings(parts["num"]), r"['’ ]", "")
    comma_decimal = _comma_is_decimal(body, decimal)
    as_comma = pc.replace_substring(pc.replace_substring(body, ".", ""), ",", ".")
    as_dot = pc.replace_substring(body, ",", "")
    number_text = pc.if_else(pa.array(comma_decimal), as_comma, as_dot)
    well_formed = _arrow.matches(number_text, r"^(?:\d+\.?\d*|\.\d+)$")
    number_text = pc.if_else(pa.array(well_formed), number_text, pa.scalar(None, pa.string()))
    values = pc.cast(_arrow.replace(number_text, r"\.$", ""), pa.float64())
    result = np.asarray(values.to_numpy(zero_copy_only=False), dtype="float64")
    result = np.where(negative, -result, result)
    result[invalid] = np.nan
    scientific = _arrow.matches(text, _SCIENTIFIC)
    if scientific.any():
        result[scientific] = [float(x) for x in cleaned[scientific]]  # exact, unlike to_numeric
    return result


def _comma_is_decimal(body: pa.Array, decimal: str | None) -> np.ndarray:
    """Per value: True when ',' is the decimal separator."""
    has_comma, has_dot = _arrow.contains(body, ","), _arrow.contains(body, ".")
    both = has_comma & has_dot
    comma_last = _arrow.matches(body, r",[^.]*$")
    column = decimal if decimal in (",", ".") else _infer_column_decimal(body, both, comma_last)
    return np.where(both, comma_last, column == ",")


def _infer_column_decimal(body: pa.Array, both: np.ndarray, comma_last: np.ndarray) -> str:
    """The column's decimal separator from the values that are unambiguous.

    Values with both separators decide by majority. Otherwise votes:
    12,50 · 0,125 · 1.234 · 1.234.567 say ','; 12.5 · 0.125 · 1,250 say '.';
    a tie (e.g. only integers) is '.'. So 1.234 alone reads as 1234 (thousands).
    """
    if both.any():
        return "," if comma_last[both].mean() > 0.5 else "."
    comma_votes = _arrow.matches(body, _COMMA_VOTE).sum()
    dot_votes = _arrow.matches(body, _DOT_VOTE).sum()
    return "," if comma_votes > dot_votes else "."
