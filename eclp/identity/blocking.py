"""Candidate generation: pairs of records sharing a blocking key, near-linear in records.

Each key is an integer code per record (-1 = no key). A block larger than `max_block_size`
is skipped: a value shared by that many records (info@shop, a placeholder phone, "John Smith"
in London) is weak evidence, and all-pairs work inside it is what blows up other tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from eclp.identity.frames import values_of_codes

if TYPE_CHECKING:  # prepare imports names, which imports this module
    from eclp.identity.prepare import Prepared


def blocking_keys(prep: Prepared) -> dict[str, np.ndarray]:
    """The blocking keys of every record, by name."""
    f = prep.features
    code = {
        name: f[name].to_numpy()
        for name in ("last_sdx", "first_initial", "email_local_code", "first_sdx", "city3")
    }
    first, last = f["first_code"].to_numpy(), f["last_code"].to_numpy()
    dob = _factor(f["dob"].where(f["dob"] >= 0))
    names = _same_space(f)
    return {
        "email": f["email_code"].to_numpy(),
        "phone": f["phone_code"].to_numpy(),
        "loyalty_id": f["loyalty_id_code"].to_numpy(),
        "name+postcode": combine(code["last_sdx"], code["first_initial"], f["postcode_code"]),
        "name+city": combine(code["last_sdx"], code["first_initial"], f["city_code"]),
        # Sorted name parts, so "Smith John" meets "John Smith"; rare names make small blocks.
        "name": combine(np.minimum(*names), np.maximum(*names)),
        "dob+surname": combine(dob, code["last_sdx"]),
        "dob+first": combine(dob, first),
        "dob+postcode": combine(dob, f["postcode_code"].to_numpy()),
        # Names swapped and mistyped at once ("Shepherdosn Harvey") still share a date and street.
        "dob+address": combine(dob, f["address1_code"].to_numpy()),
        "mailbox+initial": combine(code["email_local_code"], code["first_initial"]),
        "address": combine(f["postcode_code"].to_numpy(), f["address1_code"].to_numpy()),
        "first+last+region": combine(first, last, f["region_code"].to_numpy()),
        "first+postcode": combine(first, f["postcode_code"].to_numpy()),
        "address+surname": combine(f["address1_code"].to_numpy(), code["last_sdx"]),
        "phonetic name": combine(code["first_sdx"], code["last_sdx"], code["city3"]),
    }


IDENTIFIER_KEYS = frozenset({"email", "phone", "loyalty_id"})


def candidate_pairs(
    prep: Prepared, max_block_size: int, max_name_block_size: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct record pairs (a < b) sharing at least one blocking key."""
    n = len(prep.features)
    name_cap = max_name_block_size or max_block_size
    packed = [
        pair_keys(key, max_block_size if name in IDENTIFIER_KEYS else name_cap, n)
        for name, key in blocking_keys(prep).items()
    ]
    merged = distinct(np.concatenate(packed)) if packed else np.empty(0, dtype=np.int64)
    return merged // n, merged % n


def pair_keys(key: np.ndarray, cap: int, n: int) -> np.ndarray:
    """All pairs within each block of 2..cap records, packed as a*n+b with a < b."""
    idx = np.flatnonzero(key >= 0)
    # Any order within a block gives the same set of pairs (each packed as min*n+max).
    order = np.argsort(key[idx])
    idx, k = idx[order], key[idx][order]
    if len(k) < 2:
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    size_of = np.repeat(sizes, sizes)
    pos = np.arange(len(k)) - np.repeat(starts, sizes)
    keep = (size_of >= 2) & (size_of <= cap)
    idx, pos, size_of = idx[keep], pos[keep], size_of[keep]
    # Rows are contiguous per block, so row r pairs with r+d for every d < size-pos.
    rows = np.arange(len(idx))
    out: list[np.ndarray] = []
    d = 1
    while len(rows):
        rows = rows[pos[rows] + d < size_of[rows]]
        if not len(rows):
            break
        a, b = idx[rows], idx[rows + d]
        out.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
        d += 1
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct int64 keys (sort-based: numpy's hash unique is slow on millions)."""
    keys = np.sort(keys)  # equal keys are interchangeable: no need for a stable sort
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def member_of(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """values ∈ pool, by binary search on the sorted pool (no hashing of the large side)."""
    pool = np.sort(pool)
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    pos = np.clip(np.searchsorted(pool, values), 0, len(pool) - 1)
    return pool[pos] == values


def unscored_pairs(group: np.ndarray, cap: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Packed keys of the pairs inside each group of 2..cap records (group code per record,
    -1 = none) that are not among the scored pairs (a[i], b[i])."""
    n = len(group)
    sizes = np.bincount(np.maximum(group, 0), minlength=n)[np.maximum(group, 0)]
    packed = distinct(pair_keys(np.where((group >= 0) & (sizes >= 2), group, -1), cap, n))
    if not len(packed):
        return packed
    return packed[~member_of(packed, a.astype(np.int64) * n + b)]


def group_chain_pairs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs linking each record to the next one with the same key: a group as a chain, O(n)."""
    idx = np.flatnonzero(key >= 0)
    order = np.argsort(key[idx], kind="stable")
    idx, k = idx[order], key[idx][order]
    same = k[1:] == k[:-1]
    return idx[:-1][same], idx[1:][same]


def combine(*codes: np.ndarray) -> np.ndarray:
    """One integer key from several codes; -1 when any part is blank.

    Mixed radix arithmetic (no hashing); re-coded densely when the radix product grows large.
    """
    key = np.asarray(codes[0], dtype=np.int64).copy()
    blank = key < 0
    for c in codes[1:]:
        c = np.asarray(c, dtype=np.int64)
        blank |= c < 0
        radix = int(c.max()) + 1 if len(c) else 1
        if (int(key.max()) + 1 if len(key) else 1) * radix > 2**62:
            key, _ = pd.factorize(np.where(blank, -1, key))
            key = key.astype(np.int64)
        key = key * radix + np.maximum(c, 0)
    key[blank] = -1
    return key


def _factor(values: pd.Series) -> np.ndarray:
    """Integer codes of a column, -1 for blank."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64)


def _same_space(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last names coded in one shared space, so parts can be sorted across columns.

    The two columns' distinct names are coded together (not every record's two names): any
    shared numbering gives the same blocks.
    """
    first, last = f["first_code"].to_numpy(), f["last_code"].to_numpy()
    names_first = values_of_codes(first, f["first"].to_numpy())
    shared, _ = pd.factorize(
        np.concatenate([names_first, values_of_codes(last, f["last"].to_numpy())])
    )
    shared = np.append(shared.astype(np.int64), -1)  # code -1 (blank) stays -1
    k = len(names_first)
    return shared[np.where(first >= 0, first, -1)], shared[np.where(last >= 0, last + k, -1)]
