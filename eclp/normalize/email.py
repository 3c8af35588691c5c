"""Email addresses: unwrap, lower-case and syntax-check; anything else becomes None."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.normalize import _arrow
from eclp.normalize._unique import as_object
from eclp.normalize.text import clean_text_array, clean_text_value

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
# A cell listing several addresses ("a@x.com; b@y.com", "a@x.com,") keeps the first.
_FIRST_OF_LIST = r"^([^;,\s]+@[^;,\s]+)[;,\s].*$"


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
    text = re.sub(_FIRST_OF_LIST, r"\1", text.strip(), flags=re.DOTALL)
    text = text.strip().rstrip(".")
    return text if _EMAIL.fullmatch(text) else None


def clean_email(s: pd.Series) -> pd.Series:
    """Series of lower-cased valid addresses; invalid or blank -> None (the caller keeps the raw).

    ASCII values (nearly all) are checked in pyarrow; others go through clean_email_value.
    """
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    cleaned = clean_text_array(np.asarray(uniques, dtype=object))
    result = _clean_ascii(_arrow.strings(cleaned))
    ascii_values = np.asarray(
        pc.fill_null(pc.string_is_ascii(_arrow.strings(cleaned)), True).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    for i in np.flatnonzero(~ascii_values):
        result[i] = clean_email_value(cleaned[i])
    table = np.append(result, None)
    return pd.Series(table[codes], index=s.index, dtype=object)


# The same steps as clean_email_value, in RE2; exact for ASCII text only.
_EMAIL_ASCII = (
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)$"
)


def _clean_ascii(arr: pa.Array) -> np.ndarray:
    """Addresses (object ndarray, None if invalid) for cleaned ASCII strings."""
    text = pc.ascii_lower(arr)
    angle = pc.struct_field(pc.extract_regex(text, r"<(?P<inner>[^<>]*)>"), [0])
    text = pc.if_else(pc.is_valid(angle), angle, text)
    text = pc.utf8_trim(pc.utf8_trim(pc.utf8_trim(text, " "), "\"'"), " ")
    text = _arrow.replace(text, r"^mailto:([^?]*).*$", r"\1")
    text = _arrow.replace(pc.utf8_trim(text, " "), "(?s)" + _FIRST_OF_LIST, r"\1")
    text = pc.utf8_rtrim(pc.utf8_trim(text, " "), ".")
    valid = pa.array(_arrow.matches(text, _EMAIL_ASCII))
    return _arrow.to_objects(pc.if_else(valid, text, pa.scalar(None, pa.string())))
