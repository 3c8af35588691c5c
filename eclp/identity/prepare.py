"""Matching features of person records: canonical emails, name keys, codes and term frequencies.

Every value is normalised once per unique value (thousands of rows share a city or a first
name); equality tests later run on integer codes, so blanks (code -1) never match each other.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Providers where "+tag" is an alias of the same mailbox, and gmail where dots are ignored too.
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_ADDRESS_WORDS = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "av": "ave",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "crescent": "cres",
    "terrace": "tce",
    "close": "cl",
    "boulevard": "blvd",
    "apartment": "apt",
    "flat": "apt",
    "unit": "apt",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_NON_LETTERS = re.compile(r"[^a-z ]+")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


@dataclass(frozen=True)
class Prepared:
    """Per-record matching features (one row per record, in resolution order) and nickname keys."""

    features: pd.DataFrame
    nickname_pairs: (
        np.ndarray
    )  # sorted int64 keys first_code_a * K + first_code_b of nickname pairs
    n_first: int  # K: number of distinct first names (the key's radix)
    log_population: float  # log2 of the estimated number of people: the scale of identifier weights


def prepare(records: pd.DataFrame, population: float = 1000.0) -> Prepared:
    """Compute matching features of records (already in resolution order).

    population: the estimated number of people behind the records (sets identifier weights).
    """
    n = len(records)
    first, last = _names(records)
    feats: dict[str, object] = {}
    feats["first"] = first
    feats["last"] = last
    feats["first_code"], feats["first_tf"] = _codes_tf(first)
    feats["last_code"], feats["last_tf"] = _codes_tf(last)
    feats["last_sdx"] = _map_unique(last, soundex)
    feats["first_initial"] = _map_unique(first, lambda s: s[:1])
    feats["first_sdx"] = _map_unique(first, soundex)

    email = canonical_email(records["email"])
    feats["email"] = email
    feats["email_code"], _ = _codes_tf(email)
    # The mailbox name without separators: john.smith@work.com ~ johnsmith@gmail.com.
    feats["email_local"] = _map_unique(email, lambda e: re.sub(r"[._-]", "", e.split("@", 1)[0]))
    feats["email_local_code"], _ = _codes_tf(feats["email_local"])
    phone = _text(records["phone"])
    feats["phone_code"], _ = _codes_tf(phone)
    # People sharing an email/phone are counted by the initial of their formal first name, so
    # Debra/Deborah or a typo is one person and a household of Mary and John is two.
    person_key, _ = _codes_tf(_map_unique(first, lambda s: formal_name(s)[:1]))
    feats["email_people"] = _people_sharing(feats["email_code"], person_key)
    feats["phone_people"] = _people_sharing(feats["phone_code"], person_key)

    feats["dob"] = _dob_int(records["birth_date"], n)
    postcode = _map_unique(
        _text(records["postcode"]), lambda s: re.sub(r"\s+", "", s.upper()) or None
    )
    feats["postcode"] = postcode
    feats["postcode_code"], feats["postcode_tf"] = _codes_tf(postcode)
    city = _map_unique(_text(records["city"]), _plain)
    feats["city"] = city
    feats["city_code"], feats["city_tf"] = _codes_tf(city)
    addr1 = _map_unique(_text(records["address1"]), _address)
    feats["address1"] = addr1
    feats["address1_code"], feats["address1_tf"] = _codes_tf(addr1)
    addr2 = _map_unique(_text(records["address2"]), _address)
    feats["address2"] = addr2
    feats["address2_code"], _ = _codes_tf(addr2)
    for field in ("region", "gender", "company", "loyalty_id"):
        feats[f"{field}_code"], _ = _codes_tf(
            _map_unique(_text(records[field]), _plain_keep_digits)
        )
    feats["ref_code"], _ = _codes_tf(_source_ref(records))
    features = pd.DataFrame(feats)
    nick, k = _nickname_keys(first, features["first_code"].to_numpy())
    return Prepared(
        features=features,
        nickname_pairs=nick,
        n_first=k,
        log_population=math.log2(max(population, 2)),
    )


def canonical_email(emails: pd.Series) -> np.ndarray:
    """Email addresses reduced to their mailbox: no +tags, gmail dots dropped, googlemail → gmail."""
    arr = pa.array(_text(emails), type=pa.string(), from_pandas=True)
    arr = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    parts = pc.extract_regex(arr, r"^(?P<local>[^@]+)@(?P<domain>[^@]+)$")
    local = pc.struct_field(parts, "local")
    domain = pc.struct_field(parts, "domain")
    domain = pc.replace_substring_regex(domain, r"^googlemail\.com$", "gmail.com")
    local = pc.replace_substring_regex(local, r"\+.*$", "")
    is_gmail = pc.equal(domain, "gmail.com")
    local = pc.if_else(is_gmail, pc.replace_substring(local, ".", ""), local)
    canon = pc.binary_join_element_wise(local, domain, "@")
    canon = pc.if_else(pc.equal(pc.utf8_length(local), 0), pa.scalar(None, pa.string()), canon)
    return np.asarray(canon.to_pandas(), dtype=object)


def normalise_name(value: str) -> str | None:
    """A name as compared: accents stripped, lower case, letters only, single spaces."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = " ".join(_NON_LETTERS.sub(" ", text.replace("'", "").replace("-", "")).split())
    return text or None


def soundex(name: str) -> str:
    """American Soundex of a normalised name (letters only), e.g. robert → r163."""
    letters = name.replace(" ", "")
    if not letters:
        return ""
    digits = letters.translate(_SOUNDEX)
    out = [letters[0]]
    prev = digits[0] if digits[0].isdigit() else ""
    for ch, raw in zip(digits[1:], letters[1:], strict=True):
        if ch.isdigit():
            if ch != prev:
                out.append(ch)
            prev = ch
        elif raw not in "hw":  # h and w do not separate equal codes; vowels do
            prev = ""
    return "".join(out)[:4].ljust(4, "0")


@cache
def nickname_groups() -> tuple[frozenset[str], ...]:
    """The bundled nickname table: groups of given names that name the same person."""
    return tuple(frozenset(group) for group in _ordered_groups())


def formal_name(first: str) -> str:
    """The formal name a nickname stands for (bob → robert); the name itself when unknown."""
    return _formal_names().get(first, first)


@cache
def _formal_names() -> dict[str, str]:
    """Nickname → formal name: the first group (line) a name appears in decides."""
    out: dict[str, str] = {}
    for group in _ordered_groups():
        for name in group[1:]:
            out.setdefault(name, group[0])
    return out


@cache
def _ordered_groups() -> tuple[tuple[str, ...], ...]:
    """The nickname table as ordered, normalised groups (formal name first)."""
    text = resources.files("eclp.identity").joinpath("nicknames.txt").read_text("utf-8")
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names = [normalise_name(n) for n in line.split(",")]
            groups.append(tuple(n.replace(" ", "") for n in names if n))
    return tuple(groups)


def _names(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Normalised first and last names, taken from full_name where the parts are blank."""
    first = _map_unique(_text(records["first_name"]), normalise_name)
    last = _map_unique(_text(records["last_name"]), normalise_name)
    full = _map_unique(_text(records["full_name"]), normalise_name)
    has_full = pd.notna(full)
    need_first = pd.isna(first) & has_full
    need_last = pd.isna(last) & has_full
    if need_first.any():
        first[need_first] = [s.split(" ")[0] for s in full[need_first]]
    if need_last.any():
        last[need_last] = [s.split(" ")[-1] if " " in s else None for s in full[need_last]]
    # Compare a first name by its first token: "mary jane" and "mary" are the same person.
    first = _map_unique(first, lambda s: s.split(" ")[0])
    last = _map_unique(last, lambda s: s.replace(" ", ""))
    return first, last


def _text(col: pd.Series) -> np.ndarray:
    """A column as an object array of non-empty str or None."""
    values = col.astype(object).where(col.notna(), None).to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    mask = np.array([isinstance(v, str) and v.strip() != "" for v in values], dtype=bool)
    out[mask] = values[mask]
    other = ~mask & pd.notna(values)
    if other.any():  # numbers (e.g. a numeric loyalty card column) become their text
        out[other] = [str(v) for v in values[other]]
    return out


def _map_unique(values: np.ndarray, fn) -> np.ndarray:
    """Apply fn to each distinct non-null value once; None stays None and empty results become None."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    mapped = np.array([fn(u) or None for u in uniques] + [None], dtype=object)
    return mapped[np.where(codes < 0, len(uniques), codes)]


def _codes_tf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for blank) and each value's share of the non-blank values."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.float64)
    total = max(counts.sum(), 1.0)
    if not len(uniques):
        return codes.astype(np.int64), np.full(len(codes), np.nan)
    tf = np.where(codes >= 0, counts[np.maximum(codes, 0)] / total, np.nan)
    return codes.astype(np.int64), tf


def _people_sharing(value_code: np.ndarray, first_code: np.ndarray) -> np.ndarray:
    """How many distinct first names use each record's email/phone (at least 1; 0 when blank)."""
    frame = pd.DataFrame({"v": value_code, "f": first_code})
    named = frame[(frame.v >= 0) & (frame.f >= 0)]
    per_value = named.groupby("v")["f"].nunique()
    out = np.zeros(len(value_code), dtype=np.float64)
    has = value_code >= 0
    out[has] = per_value.reindex(value_code[has]).fillna(1).clip(lower=1).to_numpy()
    return out


def _dob_int(col: pd.Series, n: int) -> np.ndarray:
    """Birth dates as yyyymmdd integers, -1 when blank or unparseable."""
    dates = pd.to_datetime(col, errors="coerce")
    out = (dates.dt.year * 10000 + dates.dt.month * 100 + dates.dt.day).fillna(-1)
    return out.to_numpy(dtype=np.int64) if len(out) == n else np.full(n, -1, dtype=np.int64)


def _plain(value: str) -> str | None:
    """Lower-case letters only (cities, regions)."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_NON_LETTERS.sub(" ", text).split()) or None


def _plain_keep_digits(value: str) -> str | None:
    """Lower-case letters and digits (ids, companies)."""
    return " ".join(_NON_ALNUM.sub(" ", value.lower()).split()) or None


def _address(value: str) -> str | None:
    """An address line with common words abbreviated: '12 Baker Street' → '12 baker st'."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = _NON_ALNUM.sub(" ", text).split()
    return " ".join(_ADDRESS_WORDS.get(w, w) for w in words) or None


def _source_ref(records: pd.DataFrame) -> np.ndarray:
    """source + customer_ref, the hard same-person key within one source."""
    ref = _text(records["customer_ref"])
    has = pd.notna(ref)
    out = np.full(len(ref), None, dtype=object)
    out[has] = records["source"].astype(str).to_numpy(dtype=object)[has] + "\x1f" + ref[has]
    return out


def _nickname_keys(first: np.ndarray, first_code: np.ndarray) -> tuple[np.ndarray, int]:
    """Sorted int64 keys (a*K+b, both orders) of first-name code pairs that are nicknames."""
    names = pd.Series(first[first_code >= 0]).drop_duplicates()
    code_of = dict(zip(names, first_code[first_code >= 0][names.index.to_numpy()], strict=True))
    k = int(first_code.max()) + 1 if len(first_code) else 1
    keys: list[int] = []
    for group in nickname_groups():
        present = [code_of[n] for n in group if n in code_of]
        keys.extend(a * k + b for a in present for b in present if a != b)
    return np.unique(np.array(keys, dtype=np.int64)), k


def weight_from_tf(tf: np.ndarray, m: float, low: float, high: float) -> np.ndarray:
    """Fellegi–Sunter agreement weight log2(m/u) with u the value's frequency, clamped."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.log2(m / np.where(tf > 0, tf, 1.0))
    return np.clip(np.nan_to_num(w, nan=low), low, high)
