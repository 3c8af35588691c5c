"""Person names: casing, splitting a full name into first/last, joining them back."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.normalize._arrow import to_objects
from eclp.normalize._unique import as_object, map_unique
from eclp.normalize.text import clean_text_value

# Name particles kept lower-case inside a name and kept with the last name.
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le",
     "ter", "ten", "zu", "bin", "binti", "ibn", "af", "av", "y"}
)  # fmt: skip
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
     "rev", "revd", "fr", "herr", "frau", "mme", "mlle", "sr", "sra", "srta", "madam", "mister"}
)  # fmt: skip
SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "dds", "mba", "bsc", "msc", "obe", "mbe"}
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def clean_name_value(value: Any) -> str | None:
    """One name cleaned; re-cased only when it arrived ALL UPPER or all lower."""
    text = clean_text_value(value)
    if text is None:
        return None
    if text.isupper() or text.islower():
        text = _smart_title(text)
    return text


def clean_name(s: pd.Series) -> pd.Series:
    """Series of cleaned names (McDonald, O'Brien, van der Berg kept sensible)."""
    return map_unique(s, clean_name_value)


def split_full_name_value(value: Any) -> tuple[str | None, str | None]:
    """(first, last) from one full name; honorifics and suffixes dropped.

    'Last, First' is recognised by its comma; otherwise the first token is the
    first name and the rest the last name, unless the name starts with a
    particle ('van der Berg' is all last name). A single token is a first name.
    """
    text = clean_name_value(value)
    if text is None:
        return None, None
    head, _, tail = text.partition(",")
    tail_tokens = _strip_titles(tail.split())
    if tail.strip() and tail_tokens:  # "Smith, John" (but not "Smith, Jr.")
        first_tokens, last_tokens = tail_tokens, _strip_titles(head.split())
    else:
        tokens = _strip_titles(head.split())
        if not tokens:
            return None, None
        if _key(tokens[0]) in PARTICLES and len(tokens) > 1:
            first_tokens, last_tokens = [], tokens
        else:
            first_tokens, last_tokens = tokens[:1], tokens[1:]
            # Middle initials go with the given name: "John A. Smith" is a Smith.
            while len(last_tokens) > 1 and _is_initial(last_tokens[0]):
                first_tokens.append(last_tokens.pop(0))
    return (" ".join(first_tokens) or None, " ".join(last_tokens) or None)


def _is_initial(token: str) -> bool:
    """One letter, with or without its full stop ("A", "A."), that is no particle ("y")."""
    letter = token.rstrip(".")
    return len(letter) == 1 and letter.isalpha() and _key(token) not in PARTICLES


def split_full_name(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(first, last) Series from a full-name Series."""
    codes, uniques = pd.factorize(as_object(s), use_na_sentinel=True)
    pairs = [split_full_name_value(u) for u in uniques]
    first = np.array([p[0] for p in pairs] + [None], dtype=object)
    last = np.array([p[1] for p in pairs] + [None], dtype=object)
    return (
        pd.Series(first[codes], index=s.index, dtype=object),
        pd.Series(last[codes], index=s.index, dtype=object),
    )


def join_name(first: pd.Series, last: pd.Series) -> pd.Series:
    """'First Last' per row from cleaned parts; None when both are blank."""
    parts = [pa.array(clean_name(x).to_numpy(), type=pa.string()) for x in (first, last)]
    joined = pc.utf8_trim(
        pc.binary_join_element_wise(*parts, " ", null_handling="replace", null_replacement=""), " "
    )
    joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)
    return pd.Series(to_objects(joined), index=first.index, dtype=object)


def _strip_titles(tokens: list[str]) -> list[str]:
    """Tokens without leading honorifics and trailing suffixes (Dr. … Jr.)."""
    while tokens and _key(tokens[0]) in HONORIFICS and len(tokens) > 1:
        tokens = tokens[1:]
    while tokens and _key(tokens[-1]) in SUFFIXES:
        tokens = tokens[:-1]
    return tokens


def _key(token: str) -> str:
    return token.casefold().strip(".,")


def _smart_title(text: str) -> str:
    """Title-case words, with Mc/O'/D' prefixes and lower-case particles inside the name."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word.casefold() in PARTICLES and len(words) > 1:
            out.append(word.casefold())
        else:
            out.append("-".join(_title_word(part) for part in word.split("-")))
    if len(out) > 1 and out[0].casefold() in PARTICLES:
        out[0] = out[0].casefold()  # "VAN DER BERG" -> "van der Berg"
    return " ".join(out)


def _title_word(word: str) -> str:
    """One word title-cased: mcdonald -> McDonald, o'brien -> O'Brien."""
    lower = word.casefold()
    if len(lower) > 2 and lower.startswith("mc") and lower[2].isalpha():
        return "Mc" + lower[2:].capitalize()
    if len(lower) > 2 and lower[1] in "'’" and lower[0] in "od":
        return lower[0].upper() + lower[1] + lower[2:].capitalize()
    return _WORD.sub(lambda m: m.group(0).capitalize(), lower, count=1)
