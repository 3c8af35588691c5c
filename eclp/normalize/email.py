"""Email addresses: unwrap, lower-case and syntax-check; anything else becomes None."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from eclp.normalize._unique import map_unique
from eclp.normalize.text import clean_text_value

# local@domain.tld: no spaces, one @, dot-separated labels, alphabetic (or punycode) TLD.
_EMAIL = re.compile(
    r"""
    [a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*   # local part, no '..'
    @
    (?:[^\W_](?:[\w-]*[^\W_])?\.)+                                     # domain labels
    (?:[^\W\d_]{2,}|xn--[a-z0-9-]+)                                    # TLD
    """,
    re.VERBOSE,
)
_ANGLE = re.compile(r"<([^<>]*)>")


def clean_email_value(value: Any) -> str | None:
    """One address cleaned, or None when it is not a plausible address."""
    text = clean_text_value(value)
    if text is None:
        return None
    text = text.lower()
    angle = _ANGLE.search(text)  # "Jane Doe <jane@x.com>"
    if angle:
        text = angle.group(1)
    text = text.strip().strip("\"'").strip()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :].split("?", 1)[0]
    text = text.strip().rstrip(".")
    return text if _EMAIL.fullmatch(text) else None


def clean_email(s: pd.Series) -> pd.Series:
    """Series of lower-cased valid addresses; invalid or blank -> None (the caller keeps the raw)."""
    return map_unique(s, clean_email_value)
