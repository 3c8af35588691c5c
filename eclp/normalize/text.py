"""Text cleaning shared by every normaliser: Unicode, whitespace, Excel apostrophes, null tokens."""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd

from eclp.normalize._unique import map_unique

# Values exports use to mean "nothing here" (Excel, Google Ads, GA4, pandas round trips).
NULL_TOKENS = frozenset(
    {"", "-", "--", "---", "—", "n/a", "#n/a", "null", "none", "nan", "nat", "(not set)", "(none)"}
)
# Invisible characters that survive copy/paste from web UIs; NBSP etc. are handled by str.split.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\x00"), None)


def clean_text_value(value: Any) -> str | None:
    """One value cleaned: NFC, trimmed, single-spaced, leading apostrophes removed, null tokens -> None."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        # Excel stores ids and phones as floats: 1234.0 means "1234".
        value = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = " ".join(text.split())
    # Excel/Shopify force text with a leading apostrophe ('0123); strip it (and any space after).
    while text.startswith("'"):
        text = " ".join(text[1:].split())
    if text.casefold() in NULL_TOKENS:
        return None
    return text


def clean_text(s: pd.Series) -> pd.Series:
    """Series of cleaned text (object dtype, None for blanks and null tokens)."""
    return map_unique(s, clean_text_value)
