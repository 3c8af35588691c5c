"""Numbers and money as exports write them: 1,250.00 · 1.234,56 · 1 234,56 € · (12.50) · 12.50- · 3.66%."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eclp.normalize._unique import as_object
from eclp.normalize.text import clean_text

_CURRENCY_SIGNS = "$€£¥₹₽₩₺₪₫฿₱¢₦₴₲₵₡₸₼₾"
# A currency code or symbol before or after the number: USD, US$, R$, kr., CHF, zł, €.
_AFFIX = rf"(?:[A-Za-zł]{{1,3}}\.?\s*[{_CURRENCY_SIGNS}]?|[{_CURRENCY_SIGNS}])"
_SHAPE = (
    r"^(?P<open>\()?\s*(?P<lead>[-−+])?\s*(?:" + _AFFIX + r")?\s*(?P<lead2>[-−])?\s*"
    r"(?P<num>\d[\d.,'’\s]*|[.,]\d+)"
    r"\s*(?:" + _AFFIX + r")?\s*(?P<trail>[-−])?\s*(?P<close>\))?$"
)
_SCIENTIFIC = r"^[-+]?\d+(?:\.\d+)?[eE][-+]?\d+$"


def parse_number(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """float64 Series; blank, '--' and text that is not a number -> NaN.

    The decimal separator is `decimal` if given, else inferred per column (a
    value with both separators uses the later one as decimal, always).
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    codes, uniques = pd.factorize(clean_text(as_object(s)), use_na_sentinel=True)
    values = _parse_uniques(pd.Series(uniques, dtype=object), decimal, percent=False)
    return _take(values, codes, s.index)


def parse_money(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """parse_number with currency symbols/codes allowed: '$3,200.00', '1 234,56 €', 'USD 12.50'."""
    return parse_number(s, decimal=decimal)


def parse_percent(s: pd.Series, *, decimal: str | None = None) -> pd.Series:
    """Fractions from percentages: '3.66%' -> 0.0366 (values without '%' are read as percent too)."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64") / 100
    codes, uniques = pd.factorize(clean_text(as_object(s)), use_na_sentinel=True)
    values = _parse_uniques(pd.Series(uniques, dtype=object), decimal, percent=True)
    return _take(values / 100, codes, s.index)


def _parse_uniques(u: pd.Series, decimal: str | None, *, percent: bool) -> pd.Series:
    """Distinct cleaned strings -> floats, vectorised with pandas string methods."""
    if u.empty:
        return pd.Series([], dtype="float64")
    text = u.str.replace("\u00a0", " ").str.replace("\u202f", " ")
    if percent:
        text = text.str.replace(r"\s*%$", "", regex=True)
    parts = text.str.extract(_SHAPE)
    sign_marks = parts[["lead", "lead2", "trail"]].isin(["-", "−"]).sum(axis=1)
    parens = parts["open"].notna() & parts["close"].notna()
    unbalanced = parts["open"].notna() != parts["close"].notna()
    negative = (sign_marks == 1) | parens
    body = parts["num"].str.replace(r"[\s'’]", "", regex=True)
    dec = _decimal_per_value(body, decimal)
    as_dot = body.where(dec != ",", body.str.replace(".", "", regex=False).str.replace(",", "."))
    as_dot = as_dot.where(dec != ".", body.str.replace(",", "", regex=False))
    values = pd.to_numeric(as_dot, errors="coerce")
    values = values.where(~negative, -values).where(~unbalanced & (sign_marks <= 1))
    scientific = u.str.match(_SCIENTIFIC)
    if scientific.any():
        values = values.where(~scientific, pd.to_numeric(u.where(scientific), errors="coerce"))
    return values.astype("float64")


def _decimal_per_value(body: pd.Series, decimal: str | None) -> pd.Series:
    """',' or '.' per value: both separators -> the later one; otherwise the column's choice."""
    last_comma = body.str.rfind(",")
    last_dot = body.str.rfind(".")
    both = (last_comma >= 0) & (last_dot >= 0)
    column = decimal if decimal in (",", ".") else _infer_column_decimal(body)
    per_value = pd.Series(column, index=body.index, dtype=object)
    per_value[both] = (last_comma > last_dot)[both].map({True: ",", False: "."})
    return per_value


def _infer_column_decimal(body: pd.Series) -> str:
    """The column's decimal separator from the values that are unambiguous.

    Votes: 12,50 · 0,125 · 1.234 · 1.234.567 say ','; 12.5 · 0.125 · 1,250 say '.';
    a tie (e.g. only integers) is '.'. So 1.234 alone reads as 1234 (thousands).
    """
    b = body.dropna()
    has_comma, has_dot = b.str.contains(",", regex=False), b.str.contains(".", regex=False)
    both = has_comma & has_dot
    if both.any():
        later_comma = (b.str.rfind(",") > b.str.rfind("."))[both]
        return "," if later_comma.mean() > 0.5 else "."
    comma_decimal = b.str.fullmatch(
        r"\d*,\d{1,2}|\d*,\d{4,}|0,\d+|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?"
    )
    dot_decimal = b.str.fullmatch(
        r"\d*\.\d{1,2}|\d*\.\d{4,}|0\.\d+|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?"
    )
    if comma_decimal.sum() > dot_decimal.sum():
        return ","
    return "."


def _take(values: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    table = pd.concat([values, pd.Series([float("nan")])], ignore_index=True).to_numpy(
        dtype="float64"
    )
    return pd.Series(table[codes], index=index, dtype="float64")
