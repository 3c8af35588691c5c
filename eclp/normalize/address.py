"""Addresses: ISO country codes, postcodes formatted per country, regions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import pandas as pd

from eclp.normalize._countries import COUNTRIES
from eclp.normalize._unique import map_unique, map_unique_pairs
from eclp.normalize.text import clean_text_value

# Everyday and local-language names not in ISO's English list.
COUNTRY_VARIANTS = {
    "UK": "GB", "U K": "GB", "GREAT BRITAIN": "GB", "BRITAIN": "GB", "ENGLAND": "GB",
    "SCOTLAND": "GB", "WALES": "GB", "NORTHERN IRELAND": "GB", "UNITED KINGDOM GB": "GB",
    "US": "US", "U S": "US", "U S A": "US", "AMERICA": "US", "UNITED STATES": "US",
    "DEUTSCHLAND": "DE", "ALLEMAGNE": "DE", "GERMANY DE": "DE",
    "ESPANA": "ES", "ESPAGNE": "ES", "FRANCE METROPOLITAINE": "FR",
    "NEDERLAND": "NL", "HOLLAND": "NL", "THE NETHERLANDS": "NL", "NETHERLANDS THE": "NL",
    "BELGIE": "BE", "BELGIQUE": "BE", "BELGIEN": "BE", "SCHWEIZ": "CH", "SUISSE": "CH",
    "SVIZZERA": "CH", "OSTERREICH": "AT", "ITALIA": "IT", "POLSKA": "PL", "SVERIGE": "SE",
    "NORGE": "NO", "DANMARK": "DK", "SUOMI": "FI", "EIRE": "IE", "REPUBLIC OF IRELAND": "IE",
    "CESKO": "CZ", "CZECH REPUBLIC": "CZ", "BRASIL": "BR", "MEXICO": "MX", "RUSSIA": "RU",
    "KOREA": "KR", "REPUBLIC OF KOREA": "KR", "NORTH KOREA": "KP", "TURKEY": "TR",
    "TURKIYE": "TR", "UAE": "AE", "EMIRATES": "AE", "HONG KONG SAR": "HK", "MACAU": "MO",
    "IVORY COAST": "CI", "LAOS": "LA", "MOLDOVA": "MD", "MACEDONIA": "MK", "SYRIA": "SY",
    "TANZANIA": "TZ", "VENEZUELA": "VE", "PALESTINE": "PS", "VATICAN": "VA", "BURMA": "MM",
    "SWAZILAND": "SZ", "CAPE VERDE": "CV", "EAST TIMOR": "TL", "KOSOVO": "XK", "EL": "GR",
    "NIPPON": "JP", "ZHONGGUO": "CN", "PRC": "CN", "ROC": "TW", "KSA": "SA",
}  # fmt: skip
_COUNTRY_WORDS = re.compile(r"[^A-Z0-9]+")


def _country_key(text: str) -> str:
    """Upper-case ASCII letters and digits, single-spaced: 'España' -> 'ESPANA', 'U.S.A.' -> 'U S A'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_COUNTRY_WORDS.split(ascii_text.upper())).strip()


def _build_country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for alpha2, alpha3, *names in COUNTRIES:
        index[alpha2] = alpha2
        index[alpha3] = alpha2
        for name in names:
            index[_country_key(name)] = alpha2
            if "," in name:  # "Korea, Republic of" -> also "Korea"
                index.setdefault(_country_key(name.split(",")[0]), alpha2)
    index.update({_country_key(k): v for k, v in COUNTRY_VARIANTS.items()})
    return index


_COUNTRY_INDEX = _build_country_index()


@lru_cache(maxsize=4096)
def country_code_value(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 of one ISO2/ISO3/English (or common local) name; None if unknown."""
    text = clean_text_value(value)
    if text is None:
        return None
    key = _country_key(text)
    if key in _COUNTRY_INDEX:
        return _COUNTRY_INDEX[key]
    compact = key.replace(" ", "")  # "U.S.A." -> "USA"
    return _COUNTRY_INDEX.get(compact) if len(compact) <= 3 else None


def country_code(s: pd.Series) -> pd.Series:
    """Series of ISO2 codes; unknown names -> None."""
    return map_unique(s, country_code_value)


_GB = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})")
_CA = re.compile(r"([A-Z]\d[A-Z])(\d[A-Z]\d)")
_US = re.compile(r"(\d{3,5})(?:-?\d{4})?")
_NL = re.compile(r"(\d{4})([A-Z]{2})")
_INT_FLOAT = re.compile(r"(\d+)\.0+")


def clean_postcode_value(value: Any, country: Any = None) -> str | None:
    """One postcode upper-cased and formatted for its country (GB/CA/NL spacing, US 5-digit ZIP)."""
    text = clean_text_value(value)
    if text is None:
        return None
    text = text.upper()
    text = _INT_FLOAT.sub(r"\1", text) if _INT_FLOAT.fullmatch(text) else text
    code = country_code_value(country) if country is not None else None
    compact = text.replace(" ", "")
    if code == "GB" and (m := _GB.fullmatch(compact)):
        return f"{m.group(1)} {m.group(2)}"
    if code == "CA" and (m := _CA.fullmatch(compact)):
        return f"{m.group(1)} {m.group(2)}"
    if code == "NL" and (m := _NL.fullmatch(compact)):
        return f"{m.group(1)} {m.group(2)}"
    if code == "US" and (m := _US.fullmatch(compact)):
        return m.group(1).zfill(5)  # ZIP+4 -> ZIP; Excel drops leading zeros (02139 -> 2139)
    return text


def clean_postcode(s: pd.Series, country: str | pd.Series | None = None) -> pd.Series:
    """Series of cleaned postcodes; country is one code/name for all rows or a Series per row."""
    if isinstance(country, pd.Series):
        return map_unique_pairs(s, country, clean_postcode_value)
    return map_unique(s, lambda v: clean_postcode_value(v, country))


def clean_region_value(value: Any) -> str | None:
    """One region: codes (CA, NSW) upper-cased, names kept as written but re-cased if all upper/lower."""
    text = clean_text_value(value)
    if text is None:
        return None
    if len(text.upper()) <= 3 and text.isalpha():  # "ß" upper-cases to two letters
        return text.upper()
    if text.isupper() or text.islower():
        return " ".join(w.capitalize() for w in text.split(" "))
    return text


def clean_region(s: pd.Series) -> pd.Series:
    """Series of cleaned regions/provinces/states."""
    return map_unique(s, clean_region_value)
