"""Given names and surnames: normalising, Soundex, nicknames and how two first names relate.

Two first names are compatible when they are equal, nicknames of each other (the bundled
table, with a typo of a table name joining that name's groups), a typo of each other, or one
is the other's initial. Anything else is a different name: a hard conflict in scoring.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cdist, cpdist

from eclp.identity.blocking import distinct, member_of

_NON_LETTERS = re.compile(r"[^a-z ]+")
_DROP_JOINERS = str.maketrans("", "", "'-")  # O'Brien → obrien, Mary-Jane → maryjane
_SOUNDEX_FROM, _SOUNDEX_TO = "bfpvcgjkqsxzdtlmnr", "111122222222334556"
_SOUNDEX = str.maketrans(_SOUNDEX_FROM, _SOUNDEX_TO)


def normalise_name(value: str) -> str | None:
    """A name as compared: accents stripped, lower case, letters only, single spaces."""
    text = value.lower() if value.isascii() else _strip_accents(value).lower()
    text = " ".join(_NON_LETTERS.sub(" ", text.translate(_DROP_JOINERS)).split())
    return text or None


def _strip_accents(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


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


# Soundex digit per byte: 1-6 for the coded consonants, _HW for h and w (transparent), 0 else.
_HW = 7
_SOUNDEX_DIGITS = np.zeros(256, dtype=np.uint8)
for _letters, _digit in zip(_SOUNDEX_FROM, _SOUNDEX_TO, strict=True):
    _SOUNDEX_DIGITS[ord(_letters)] = int(_digit)
_SOUNDEX_DIGITS[[ord("h"), ord("w")]] = _HW


def soundex_all(names: np.ndarray) -> np.ndarray:
    """soundex(name) or None for every name (an object array of str), as `soundex` computes it.

    Names of letters a-z only (what normalise_name leaves once spaces are dropped) are coded
    column by column over a byte matrix; any other goes through `soundex` itself.
    """
    out = np.empty(len(names), dtype=object)
    try:
        matrix = np.array(names, dtype="S")
    except UnicodeEncodeError:
        matrix = np.array([], dtype="S1")
    if len(names) == 0 or len(matrix) != len(names):
        out[:] = [soundex(name) or None for name in names]
        return out
    chars = matrix.view(np.uint8).reshape(len(names), -1)
    present = chars != 0
    plain = np.all((chars >= ord("a")) & (chars <= ord("z")) | ~present, axis=1)
    plain &= np.all(present[:, :-1] | ~present[:, 1:], axis=1)  # no byte 0 inside a name
    plain &= present[:, 0]
    codes = _soundex_matrix(chars[plain], present[plain].sum(axis=1))
    out[plain] = codes.view("S4").ravel().astype("U4").astype(object)
    out[~plain] = [soundex(name) or None for name in names[~plain]]
    return out


def _soundex_matrix(chars: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The four Soundex bytes per row of a matrix of a-z bytes (0-padded, none empty).

    The loop of `soundex` over the columns instead of the letters: a digit is written when it
    differs from the previous letter's (a vowel in between resets it, h and w do not).
    """
    digits = _SOUNDEX_DIGITS[chars]
    rows = np.arange(len(chars))
    code = np.full((len(chars), 4), ord("0"), dtype=np.uint8)
    code[:, 0] = chars[:, 0] if len(chars) else code[:, 0]
    prev = np.where(digits[:, 0] == _HW, 0, digits[:, 0]) if len(chars) else digits[:, 0]
    written = np.ones(len(chars), dtype=np.int64)
    for j in range(1, chars.shape[1]):
        digit, inside = digits[:, j], j < lengths
        letter = inside & (digit != _HW)
        write = letter & (digit != 0) & (digit != prev) & (written < 4)
        code[rows[write], written[write]] = ord("0") + digit[write]
        written += write
        prev = np.where(letter, digit, prev)
    return code


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


def nickname_keys(uniques: np.ndarray) -> tuple[np.ndarray, int]:
    """Sorted int64 keys (a*K+b, both orders) of first-name code pairs that are nicknames.

    A name missing from the table joins the groups of the table names one edit away
    ("Surah" → sarah, "Jdith" → judith), so a typo of a name still meets its nicknames.
    """
    code_of = {name: code for code, name in enumerate(uniques)}
    k = max(len(uniques), 1)
    members: dict[int, list[int]] = {}
    for gid, group in enumerate(nickname_groups()):
        members[gid] = [code_of[n] for n in group if n in code_of]
    for code, gids in _typo_groups(uniques).items():
        for gid in gids:
            members[gid].append(code)
    # Every ordered pair of different codes within a group, group by group in numpy.
    keys = [np.empty(0, dtype=np.int64)]
    for present in members.values():
        codes = np.asarray(present, dtype=np.int64)
        x, y = np.repeat(codes, len(codes)), np.tile(codes, len(codes))
        keys.append(x[x != y] * k + y[x != y])
    return distinct(np.concatenate(keys)), k


def _typo_groups(names: np.ndarray) -> dict[int, set[int]]:
    """Code → nickname group ids of table names one edit (OSA) away, for names of 4+ letters
    not in the table themselves."""
    index = _group_index()
    vocab = list(index)
    unknown = [(c, n) for c, n in enumerate(names) if n not in index and len(n) >= 4]
    if not unknown or not vocab:
        return {}
    dist = cdist([n for _, n in unknown], vocab, scorer=OSA.distance, score_cutoff=1, workers=1)
    out: dict[int, set[int]] = {}
    for i, j in zip(*np.nonzero(dist <= 1), strict=True):
        if len(vocab[j]) >= 3:
            out.setdefault(unknown[i][0], set()).update(index[vocab[j]])
    return out


@cache
def _group_index() -> dict[str, frozenset[int]]:
    """Table name → ids of the nickname groups it belongs to."""
    out: dict[str, set[int]] = {}
    for gid, group in enumerate(nickname_groups()):
        for name in group:
            out.setdefault(name, set()).add(gid)
    return {name: frozenset(gids) for name, gids in out.items()}


def first_name_relations(
    xs: np.ndarray, ys: np.ndarray, codes_x: np.ndarray, codes_y: np.ndarray, nick: tuple
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(nickname, typo, initial) masks for pairs of different first names xs[i] / ys[i].

    nick is (sorted keys, radix) from nickname_keys over the codes' values.
    """
    keys, k = nick
    # Pair keys against the sorted nickname keys by binary search (no hash set of millions).
    nickname = member_of(codes_x.astype(np.int64) * k + codes_y, keys)
    # Each distinct pair of names scored once (many pairs repeat the same two names).
    rep, inverse = distinct_pairs(codes_x, codes_y)
    sim = similarity(xs[rep], ys[rep], JaroWinkler.normalized_similarity)[inverse]
    edits = similarity(xs[rep], ys[rep], OSA.distance)[inverse]
    # Per-name properties once per distinct name (code), not once per pair.
    lx, ly = _per_code(codes_x, xs, lengths), _per_code(codes_y, ys, lengths)
    fx, fy = _per_code(codes_x, xs, first_chars), _per_code(codes_y, ys, first_chars)
    initial = ((lx == 1) | (ly == 1)) & (fx == fy)
    typo = (sim >= 0.9) | ((edits <= 1) & (np.minimum(lx, ly) >= 4))
    # Two names of the table that are no nicknames of each other are two names, however close:
    # John and Joan, Eric and Erica, Alexander and Alexandra.
    known = _per_code(codes_x, xs, _in_table) & _per_code(codes_y, ys, _in_table)
    typo &= ~known
    return nickname, typo, initial


def _per_code(codes: np.ndarray, values: np.ndarray, fn) -> np.ndarray:
    """fn(values) computed once per distinct code (values[i] is the name of codes[i])."""
    if not len(codes):
        return fn(values)
    # Codes are small non-negative integers: a name per code by scatter (no sort).
    names = np.full(int(codes.max()) + 1, "", dtype=object)
    names[codes] = values
    return fn(names)[codes]


def _in_table(values: np.ndarray) -> np.ndarray:
    """Whether each name is in the nickname table."""
    index = _group_index()
    return np.fromiter((v in index for v in values), dtype=bool, count=len(values))


def share_a_group(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Whether names xs[i] and ys[i] are nicknames of each other in the table."""
    index = _group_index()
    table = list(index)
    out = np.zeros(len(xs), dtype=bool)
    # Only pairs of two table names can share a group: test membership in C first.
    both = np.flatnonzero(
        pd.Series(xs).isin(table).to_numpy() & pd.Series(ys).isin(table).to_numpy()
    )
    out[both] = np.fromiter(
        (bool(index[x] & index[y]) for x, y in zip(xs[both], ys[both], strict=True)),
        dtype=bool,
        count=len(both),
    )
    return out


def similarity(xs: np.ndarray, ys: np.ndarray, scorer) -> np.ndarray:
    """scorer(xs[i], ys[i]) for every i, in rapidfuzz's C++ loop."""
    if not len(xs):
        return np.empty(0, dtype=np.float64)
    return np.asarray(cpdist(list(xs), list(ys), scorer=scorer, workers=1), dtype=np.float64)


def distinct_pairs(codes_x: np.ndarray, codes_y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A row of each distinct (code x, code y) pair and the distinct pair of every row (by
    hashing: no sort of millions of keys)."""
    radix = int(max(codes_x.max(), codes_y.max())) + 1 if len(codes_x) else 1
    inverse, uniques = pd.factorize(codes_x.astype(np.int64) * radix + codes_y)
    rep = np.empty(len(uniques), dtype=np.int64)
    rep[inverse] = np.arange(len(inverse))  # any row of a pair will do: same two values
    return rep, inverse


def lengths(values: np.ndarray) -> np.ndarray:
    return np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))


def first_chars(values: np.ndarray) -> np.ndarray:
    return np.array([v[:1] for v in values], dtype=object)
