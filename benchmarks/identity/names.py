"""Name models of the identity benchmark generator: who is called what, and how often.

Two models:
- `census` (the default): given names and surnames drawn by their US Census frequencies
  (Faker's en_US tables: 322 male and 381 female given names, the 1,000 commonest surnames),
  with the commonest surnames carrying about 42% of people, as in the census, and the rest a
  long tail of rare made-up surnames. Smith is about 0.9% of people, as in life.
- `compact`: the first version: the 184 nickname-table names and 154 common British surnames
  on Zipf curves. It piles people onto a few names (Smith ≈ 6.5%, the top given name ≈ 7.6%,
  several times reality), so namesakes are far commoner than in a real shop.
"""

from __future__ import annotations

import bisect
import itertools
import random
from functools import cache

from eclp.identity.names import nickname_groups

COMMON_SURNAMES = [
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "graham",
    "pearson",
    "ahmed",
    "fletcher",
    "walsh",
    "kaur",
    "gibson",
    "howard",
    "andrews",
    "stewart",
    "elliott",
    "reynolds",
    "saunders",
    "payne",
    "fox",
    "ford",
    "pearce",
    "day",
    "brooks",
    "west",
    "lawrence",
    "cole",
    "atkinson",
    "bradley",
    "spencer",
    "gill",
    "dawson",
    "ball",
    "burton",
    "o'brien",
    "watts",
    "rose",
    "booth",
    "perry",
    "ryan",
    "grant",
    "wells",
    "armstrong",
    "francis",
    "rees",
    "hayes",
    "hart",
    "hudson",
    "newman",
    "barrett",
    "webster",
    "hunter",
    "gregory",
    "carr",
    "lowe",
    "page",
    "marsh",
    "riley",
    "dennis",
]
SYLLABLES = [
    "ab",
    "ac",
    "ad",
    "al",
    "an",
    "ar",
    "as",
    "ba",
    "be",
    "bi",
    "bo",
    "bra",
    "ca",
    "ce",
    "cha",
    "co",
    "cra",
    "da",
    "de",
    "di",
    "do",
    "dra",
    "el",
    "en",
    "er",
    "es",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "gi",
    "go",
    "gra",
    "ha",
    "he",
    "hi",
    "ho",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "tra",
    "va",
    "ve",
    "vi",
    "wa",
    "we",
    "wi",
    "ya",
    "za",
    "ze",
    "zo",
]
ENDINGS = [
    "son",
    "ton",
    "ley",
    "ford",
    "field",
    "well",
    "worth",
    "by",
    "ham",
    "more",
    "wood",
    "man",
    "er",
    "s",
    "ski",
    "ez",
    "ini",
    "sen",
    "berg",
    "stein",
]


def zipf_pick(rng: random.Random, items: list, s: float = 1.0):
    """Pick with weight 1/rank^s (cached cumulative weights)."""
    key = (id(items), s)
    cum = _CUM.get(key)
    if cum is None:
        total, cum = 0.0, []
        for r in range(len(items)):
            total += 1.0 / (r + 1) ** s
            cum.append(total)
        _CUM[key] = cum
    x = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return items[lo]


_CUM: dict = {}


_CUM: dict = {}


class CompactNames:
    """The first model: nickname-table given names and British surnames on Zipf curves."""

    def __init__(self) -> None:
        self._first = _table_names()

    def first(self, rng: random.Random) -> tuple[str, list[str]]:
        return zipf_pick(rng, self._first, 0.7)

    def last(self, rng: random.Random) -> str:
        if rng.random() < 0.6:
            return zipf_pick(rng, COMMON_SURNAMES, 0.8)
        return made_up_surname(rng)


class CensusNames:
    """Given names and surnames by their US Census frequencies, plus a tail of rare surnames."""

    SURNAME_HEAD = 0.42  # people whose surname is among the census's 1,000 commonest

    def __init__(self) -> None:
        from faker.providers.person.en_US import Provider

        nicks = _nicknames_of_formal_names()
        self._first = []
        for table in (Provider.first_names_male, Provider.first_names_female):
            names = list(table)
            weights = list(itertools.accumulate(table.values()))
            self._first.append(([(n, nicks.get(n.lower(), [])) for n in names], weights))
        self._last = list(Provider.last_names)
        self._last_cum = list(itertools.accumulate(Provider.last_names.values()))

    def first(self, rng: random.Random) -> tuple[str, list[str]]:
        names, cum = self._first[0 if rng.random() < 0.5 else 1]
        return names[bisect.bisect_left(cum, rng.random() * cum[-1])]

    def last(self, rng: random.Random) -> str:
        if rng.random() < self.SURNAME_HEAD:
            cum = self._last_cum
            return self._last[bisect.bisect_left(cum, rng.random() * cum[-1])]
        return made_up_surname(rng)


MODELS = {"census": CensusNames, "compact": CompactNames}


def made_up_surname(rng: random.Random) -> str:
    """A rare surname from syllables (134,480 possible)."""
    return (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(ENDINGS)).capitalize()


@cache
def _nicknames_of_formal_names() -> dict[str, list[str]]:
    """Formal given name → its nicknames (3+ letters) from the bundled table."""
    out: dict[str, list[str]] = {}
    for group in _table_names():
        out.setdefault(group[0], []).extend(group[1])
    return out


@cache
def _table_names() -> list[tuple[str, list[str]]]:
    """(canonical first name, its nicknames) from the bundled nickname table."""
    out = []
    seen = set()
    for group in nickname_groups():
        names = sorted(group)
        # The longest member is the formal name in almost every line.
        canonical = max(names, key=lambda s: (len(s), s))
        if canonical in seen:
            continue
        seen.add(canonical)
        out.append((canonical, [n for n in names if n != canonical and len(n) > 2]))
    return out
