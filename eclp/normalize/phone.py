"""Phone numbers to E.164 with `phonenumbers`, given a default region per row."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneMetadata,
    PhoneNumberFormat,
    region_code_for_country_code,
)

from eclp.normalize import _arrow
from eclp.normalize._unique import as_object, map_unique, map_unique_pairs
from eclp.normalize.text import clean_text_array, clean_text_value

_FLOAT_LIKE = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+|\d+\.0+")
_IS_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE


def to_e164_value(value: Any, region: str | None = None) -> str | None:
    """One number in E.164 (+4420…), or None when it is not a plausible phone number.

    Accepts numbers valid for their region; numbers of a possible length that
    phonenumbers does not know as valid (fictional 555 numbers, new ranges) are
    kept unless they look like junk (one repeated digit, a counting run).
    """
    text = _number_text(value)
    if text is None:
        return None
    region = (region or "").upper() or None
    if text.startswith("00"):
        text = "+" + text[2:]
    fast = _fast_international(text) if text.startswith("+") else _fast_national(text, region)
    if fast is not None:
        return fast
    first = _parse(text, region if not text.startswith("+") else None)
    if first is not None and _valid(first):
        return _format(first)
    if not text.startswith("+"):
        # Exports drop the "+" of international numbers: 447700900123.
        second = _parse("+" + text, None)
        if second is not None and _valid(second):
            return _format(second)
    if first is not None and _plausible(first):
        return _format(first)
    return None


def to_e164(
    s: pd.Series, region: str | pd.Series | None = None, fallback: tuple[str, ...] = ()
) -> pd.Series:
    """Series of E.164 numbers; region is an ISO2 code for all rows or a Series of per-row codes.

    fallback: countries to try, in order, for a national number (no "+") that gives no phone
    in its row's region; only a number valid there is taken (not a merely possible one).
    """
    keys = _canonical_keys(s)
    if isinstance(region, pd.Series):
        out = map_unique_pairs(keys, region, to_e164_value)
    else:
        out = map_unique(keys, lambda v: to_e164_value(v, region))
    for country in fallback:
        todo = out.isna() & keys.notna()
        if not todo.any():
            break
        found = map_unique(keys[todo], lambda v, c=country: valid_national(v, c))
        out = out.where(~todo, found.reindex(out.index))
    return out


def valid_national(value: Any, region: str) -> str | None:
    """E.164 of a national number valid in region (None for international or invalid ones)."""
    text = _number_text(value)
    if text is None or text.startswith(("+", "00")):
        return None
    number = _parse(text, region)
    return _format(number) if number is not None and _valid(number) else None


def _canonical_keys(s: pd.Series) -> pd.Series:
    """Cleaned text with the punctuation phonenumbers ignores removed, so '+44 7911 123456',
    '+44-7911-123456' and "'+447911123456" share one cache entry (vectorised)."""
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    arr = _arrow.strings(clean_text_array(np.asarray(uniques, dtype=object)))
    # " / " between two numbers is a list, not punctuation (see _first_number).
    plain = pa.array(_arrow.matches(arr, r"^\+?[0-9 ()./-]+$") & ~_arrow.matches(arr, r"\s/\s"))
    arr = pc.if_else(plain, _arrow.replace(arr, r"[ ()./-]", ""), arr)
    table = np.append(_arrow.to_objects(arr), None)
    return pd.Series(table[codes], index=s.index, dtype=object)


_INTERNATIONAL = re.compile(r"\+[\d \-.()/]{7,20}")
_SEPARATORS = re.compile(r"[ \-.()/]")


def _fast_international(text: str) -> str | None:
    """E.164 of '+44 7911 123456'-style text without phonenumbers.parse (3x faster), if valid.

    Only digits after a country code and no trunk '0' (those go the full way).
    """
    if not _INTERNATIONAL.fullmatch(text):
        return None
    digits = _SEPARATORS.sub("", text[1:])
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            if not national or national[0] == "0" or len(national) > 17:
                return None
            number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
            return "+" + digits if _valid(number) else None
    return None


_NATIONAL = re.compile(r"[\d \-.()/]{6,20}")


@lru_cache(maxsize=512)
def _simple_national_prefix(region: str) -> tuple[int, str] | None:
    """(country code, trunk prefix) of a region whose numbers parse by just dropping the prefix.

    Regions with transform rules (AR, MX, BR…) return None and take the full path.
    """
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix_transform_rule:
        return None
    prefix = metadata.national_prefix or ""
    for_parsing = metadata.national_prefix_for_parsing
    if for_parsing and for_parsing != prefix:
        return None
    return metadata.country_code, prefix


def _fast_national(text: str, region: str | None) -> str | None:
    """E.164 of '07911 123456' (region GB) without phonenumbers.parse, if simple and valid."""
    if region is None or not _NATIONAL.fullmatch(text):
        return None
    simple = _simple_national_prefix(region)
    if simple is None:
        return None
    code, prefix = simple
    digits = _SEPARATORS.sub("", text)
    if prefix and digits.startswith(prefix):
        digits = digits[len(prefix) :]
    if not digits or digits[0] == "0" or len(digits) > 17:
        return None
    number = phonenumbers.PhoneNumber(country_code=code, national_number=int(digits))
    return f"+{code}{digits}" if _valid(number) else None


_LIST_SEPARATOR = re.compile(r"\s*(?:[;,|]|\s/\s|\bor\b)\s*", re.IGNORECASE)
_LABEL = re.compile(r"\s*(?:\([^)]*[^\W\d_][^)]*\)|\b(?:mobile|cell|home|work|office|tel)\b)\s*$")


def _number_text(value: Any) -> str | None:
    """A cell's text as a number to parse: cleaned, Excel's float undone, the first of a list."""
    text = clean_text_value(value)
    return None if text is None else _first_number(_undo_excel_float(text))


def _first_number(text: str) -> str:
    """The first of several numbers in one cell ("07911 123456; 0161 496 0000", "… / …"),
    without a trailing label ("(mobile)"). A part needs 7 digits to count as a number, so
    "030/1234567" and "+44 (0) 20…" stay whole."""
    text = _LABEL.sub("", text) or text
    parts = _LIST_SEPARATOR.split(text)
    if (
        len(parts) > 1
        and sum(c.isdigit() for c in parts[0]) >= 7
        and any(sum(c.isdigit() for c in part) >= 7 for part in parts[1:])
    ):
        return parts[0]
    return text


def _undo_excel_float(text: str) -> str:
    """'4.47700900123e+11' or '447700900123.0' (a number Excel stored as float) -> digits."""
    if _FLOAT_LIKE.fullmatch(text):
        try:
            return str(int(Decimal(text)))
        except (InvalidOperation, ValueError):
            return text
    return text


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """phonenumbers.parse, None instead of an exception."""
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _valid(number: phonenumbers.PhoneNumber) -> bool:
    """phonenumbers.is_valid_number, trying the country code's main region first (2x faster)."""
    main = region_code_for_country_code(number.country_code)
    return phonenumbers.is_valid_number_for_region(number, main) or phonenumbers.is_valid_number(
        number
    )


def _plausible(number: phonenumbers.PhoneNumber) -> bool:
    """Of a possible length for its country and not an obvious placeholder.

    A leading zero the country's numbers cannot have (phonenumbers keeps it as an "Italian"
    zero) is another country's trunk prefix: 0208 007539 in a US shop is no US number.
    Countries whose numbers do start with 0 (Italy) have them valid, and never get here.
    """
    if number.italian_leading_zero:
        return False
    if phonenumbers.is_possible_number_with_reason(number) != _IS_POSSIBLE:
        return False
    digits = str(number.national_number)
    if len(set(digits)) <= 2:
        return False
    return digits not in "01234567890123456789" and digits not in "98765432109876543210"


def _format(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
