"""Matching features of person records: canonical emails, name keys, codes and term frequencies.

Every value is normalised once per unique value (thousands of rows share a city or a first
name); equality tests later run on integer codes, so blanks (code -1) never match each other.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.identity.blocking import pair_keys
from eclp.identity.cluster import components
from eclp.identity.coded import Coded
from eclp.identity.names import (
    first_name_relations,
    nickname_keys,
    normalise_name,
    soundex_all,
)

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
    first, last, first_whole = _names(records)
    feats: dict[str, object] = {}
    feats["first"], feats["last"] = first.values(), last.values()
    feats["first_whole"] = first_whole.values()
    feats["first_code"], feats["first_tf"] = first.codes, first.tf()
    feats["last_code"], feats["last_tf"] = last.codes, last.tf()
    feats["last_sdx"] = last.derive_all(soundex_all).codes
    feats["first_initial"] = first.derive(lambda s: s[:1], _arrow_head(1)).codes
    feats["first_sdx"] = first.derive_all(soundex_all).codes

    email = Coded.of(records["email"]).derive_all(canonical_email)
    feats["email"], feats["email_code"] = email.values(), email.codes
    # The mailbox name without separators: john.smith@work.com ~ johnsmith@gmail.com.
    local = email.derive(lambda e: re.sub(r"[._-]", "", e.split("@", 1)[0]), _arrow_local)
    feats["email_local_code"] = local.codes
    # A mailbox name carries evidence of its own only with something beyond a name in it:
    # john.smith@ at two providers is as likely two John Smiths as one.
    feats["email_local_distinct"] = (
        local.derive(lambda s: s if any(c.isdigit() for c in s) else None, _arrow_digits).codes >= 0
    )
    phone = Coded.of(records["phone"])
    feats["phone_code"] = phone.codes
    # People sharing an email/phone: its first names in groups of compatible names, so
    # Herbert/Herb/Bert or a typo is one person and a household of Mary and John is two.
    nick = nickname_keys(first.uniques)
    feats["email_people"] = _people_sharing(email.codes, first, nick)
    feats["phone_people"] = _people_sharing(phone.codes, first, nick)

    feats["dob"] = _dob_int(records["birth_date"], n)
    columns = {
        "postcode": (lambda s: re.sub(r"\s+", "", s.upper()), _arrow_postcode),
        "city": (_plain, _arrow_plain),
        "address1": (_address, _arrow_address),
        "address2": (_address, _arrow_address),
    }
    raw = {field: Coded.of(records[field]) for field in columns}
    for field, (fn, arrow_fn) in columns.items():
        coded = raw[field].derive(fn, arrow_fn)
        feats[field], feats[f"{field}_code"] = coded.values(), coded.codes
        feats[f"{field}_tf"] = coded.tf()
    city3 = raw["city"].derive(lambda s: (_plain(s) or "")[:3], _arrow_head(3, _arrow_plain))
    feats["city3"] = city3.codes
    for field in ("region", "gender", "company"):
        coded = Coded.of(records[field]).derive(_plain_keep_digits, _arrow_plain_keep_digits)
        feats[f"{field}_code"] = coded.codes
    member = Coded.of(records["loyalty_id"]).derive(_plain_keep_digits, _arrow_plain_keep_digits)
    feats["loyalty_id"], feats["loyalty_id_code"] = member.values(), member.codes
    feats["ref_code"] = _source_ref(records)
    # One block per column (copy=False): no copy of every feature into consolidated blocks.
    features = pd.DataFrame(feats, copy=False)
    return Prepared(
        features=features,
        nickname_pairs=nick[0],
        n_first=nick[1],
        log_population=math.log2(max(population, 2)),
    )


# Arrow versions of the normalisers for ASCII text (see Coded.derive); each matches its
# Python counterpart exactly on ASCII input.
_ASCII_SPACE = "[\t\n\x0b\x0c\r\x1c-\x1f ]+"  # what Python's \s matches in ASCII


def _arrow_words(text: pa.Array, drop: str) -> pa.Array:
    """Runs of `drop` characters as single spaces, trimmed (" ".join(sub(" ", t).split()))."""
    text = pc.replace_substring_regex(text, drop, " ")
    text = pc.replace_substring_regex(text, " +", " ")
    return pc.utf8_trim(text, " ")


def _arrow_plain(text: pa.Array) -> pa.Array:
    return _arrow_words(pc.ascii_lower(text), "[^a-z ]+")


def _arrow_name(text: pa.Array) -> pa.Array:
    """normalise_name on ASCII: apostrophes and hyphens dropped, then letters only."""
    text = pc.replace_substring_regex(pc.ascii_lower(text), "['-]", "")
    return _arrow_words(text, "[^a-z ]+")


def _arrow_plain_keep_digits(text: pa.Array) -> pa.Array:
    return _arrow_words(pc.ascii_lower(text), "[^a-z0-9 ]+")


def _arrow_address(text: pa.Array) -> pa.Array:
    # Words are [a-z0-9]+ between single spaces; no abbreviation is itself a key.
    text = _arrow_plain_keep_digits(text)
    for word, short in _ADDRESS_WORDS.items():
        text = pc.replace_substring_regex(text, rf"\b{word}\b", short)
    return text


def _arrow_postcode(text: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.ascii_upper(text), _ASCII_SPACE, "")


def _arrow_local(text: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.replace_substring_regex(text, "(?s)@.*", ""), "[._-]", "")


def _arrow_digits(text: pa.Array) -> pa.Array:
    return pc.if_else(pc.match_substring_regex(text, "[0-9]"), text, pa.scalar("", pa.string()))


def _arrow_head(n: int, before=None):
    """The first n characters (of before(text) when given)."""
    return lambda text: pc.utf8_slice_codeunits(before(text) if before else text, 0, n)


def canonical_email(emails) -> np.ndarray:
    """Email addresses reduced to their mailbox: no +tags, gmail dots dropped, googlemail → gmail."""
    arr = pa.array(np.asarray(emails, dtype=object), type=pa.string(), from_pandas=True)
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


def _names(records: pd.DataFrame) -> tuple[Coded, Coded, Coded]:
    """Normalised first and last names, taken from full_name where the parts are blank, and
    the whole given name without spaces (to see a surname entered as the given name).

    A full name that is only the record's surname (what a blank given name joined with a
    surname gives) yields no first name: "Korbut" must not become a given name Korbut.
    """
    first = Coded.of(records["first_name"]).derive(normalise_name, _arrow_name)
    last = Coded.of(records["last_name"]).derive(normalise_name, _arrow_name)
    # full_name only of the records missing a part (few: most have both parts or neither).
    rows = np.flatnonzero((first.codes < 0) | (last.codes < 0))
    full = Coded.of(records["full_name"].iloc[rows]).derive(normalise_name, _arrow_name)
    need_first = (first.codes[rows] < 0) & (full.codes >= 0)
    need_first &= full.values() != np.append(last.uniques, None)[last.codes[rows]]
    need_last = (last.codes[rows] < 0) & (full.codes >= 0)
    if need_first.any() or need_last.any():
        head = full.derive(lambda s: s.split(" ")[0]).values()
        tail = full.derive(lambda s: s.split(" ")[-1] if " " in s else None).values()
        first_values, last_values = first.values(), last.values()
        first_values[rows] = np.where(need_first, head, first_values[rows])
        last_values[rows] = np.where(need_last, tail, last_values[rows])
        first = Coded.from_values(first_values)
        last = Coded.from_values(last_values)

    # Compare a first name by its first token: "mary jane" and "mary" are the same person.
    def collapse(s: str) -> str:
        return s.replace(" ", "")

    return first.derive(lambda s: s.split(" ")[0]), last.derive(collapse), first.derive(collapse)


def _people_sharing(value_code: np.ndarray, first: Coded, nick: tuple) -> np.ndarray:
    """How many people use each record's email/phone (at least 1; 0 when blank).

    People are the groups of compatible first names on the value (nickname, typo or initial
    of each other, linked transitively); a value with more than `_MAX_NAMES` names counts each.
    """
    # Distinct (value, name) pairs in order of first use, as packed integers (hashing two
    # int columns of a frame is several times slower).
    both = (value_code >= 0) & (first.codes >= 0)
    radix = len(first.uniques) + 1
    keys = pd.unique(value_code[both].astype(np.int64) * radix + first.codes[both])
    pairs = pd.DataFrame({"v": keys // radix, "f": keys % radix})
    # Per value (codes are small integers): its number of names, then of people.
    count = np.bincount(pairs["v"].to_numpy(), minlength=int(value_code.max(initial=-1)) + 1)
    names = count[pairs["v"].to_numpy()]
    people = np.where(count > _MAX_NAMES, count, 1).astype(np.float64)
    small = pairs[(names > 1) & (names <= _MAX_NAMES)].reset_index(drop=True)
    if len(small):
        groups = _name_groups(small, first, nick)
        people[groups.index.to_numpy()] = groups.to_numpy()
    return np.append(people, 0.0)[value_code]  # blank (-1): the 0 at the end


_MAX_NAMES = 30


def _name_groups(pairs: pd.DataFrame, first: Coded, nick: tuple) -> pd.Series:
    """Number of groups of compatible first names per value v (at most _MAX_NAMES names each)."""
    v, f = pairs["v"].to_numpy(), pairs["f"].to_numpy()
    packed = pair_keys(v, _MAX_NAMES, len(v))
    x, y = packed // len(v), packed % len(v)
    uniq = np.append(first.uniques, None)
    nickname, typo, initial = first_name_relations(uniq[f[x]], uniq[f[y]], f[x], f[y], nick)
    ok = nickname | typo | initial
    label = components(len(v), x[ok], y[ok])
    return pd.Series(label).groupby(v).nunique().astype(float)


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
    """Codes of source + customer_ref, the hard same-person key within one source."""
    ref = Coded.of(records["customer_ref"])
    has = ref.codes >= 0
    out = np.full(len(ref.codes), -1, dtype=np.int64)
    if has.any():
        keyed = pd.DataFrame({"s": records["source"].to_numpy()[has], "r": ref.codes[has]})
        out[has] = keyed.groupby(["s", "r"], sort=False).ngroup().to_numpy()
    return out
