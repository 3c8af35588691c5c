"""Golden records by survivorship: every field from one identified record, traceable by lineage.

Records of a customer are ranked by source priority (configured; unlisted sources after),
then most recent (updated_at, else created_at), then most complete, then record order.
Fields that belong together (the name parts; the address lines with city and postcode) come
from the same record; `created_at` is the earliest and `channel` the acquisition channel of the
earliest record that has one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eclp.identity.blocking import distinct

GROUPS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "phone": ("phone",),
    "name": ("first_name", "last_name", "full_name"),
    "company": ("company",),
    "address": ("address1", "address2", "city", "region", "postcode", "country"),
    "birth_date": ("birth_date",),
    "gender": ("gender",),
    "email_consent": ("email_consent",),
    "sms_consent": ("sms_consent",),
    "loyalty_id": ("loyalty_id",),
}
# Identity fields counted for "most complete".
COMPLETENESS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "address1",
    "city",
    "postcode",
    "birth_date",
)


def golden_records(
    records: pd.DataFrame,
    customer_id: np.ndarray,
    source_priority: tuple[str, ...],
    position: np.ndarray | None = None,
    codes: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per customer id with survivor values and, per field F, F__from = source:record id.

    Works on positions: one lexsort ranks all records, then each field group takes, per
    customer, the first ranked record that has it (no frame copies or group-by loops).
    position: each record's place in record order, the last tie-break (default: as given), so
    records can be passed in any row order without a reordered copy of them.
    codes: customer_id already factorised with sort=True (codes, sorted ids), when the caller
    has them (factorising 700k ids takes a while).
    """
    seq = np.arange(len(records)) if position is None else position
    if codes is None:
        codes = pd.factorize(pd.Series(customer_id, dtype=object), sort=True)
    cc, customers = codes
    n_cust = len(customers)
    best = _survivors(records, cc, n_cust, seq, source_priority)
    origin = _lineage(records, best)
    golden: dict[str, object] = {"customer_id": np.asarray(customers, dtype=object)}
    for group, fields in GROUPS.items():
        for field in fields:
            golden[field] = _take(records[field], best[group])
            golden[f"{field}__from"] = origin[group]  # the same record for every field of the group
    for field in ("created_at", "channel"):
        golden[field] = _take(records[field], best[field])
        golden[f"{field}__from"] = origin[field]
    golden["n_records"] = np.bincount(cc, minlength=n_cust)
    golden["sources"] = _joined_sources(_customer_sources(records, cc), n_cust)
    return pd.DataFrame(golden, copy=False)  # one block per column: no consolidation copy


def _survivors(
    records: pd.DataFrame,
    cc: np.ndarray,
    n_cust: int,
    seq: np.ndarray,
    source_priority: tuple[str, ...],
) -> dict[str, np.ndarray]:
    """Per field group (and created_at, channel), each customer's chosen record position.

    A function of its own so the per-record rankings are freed before the values are taken
    (at 700k records they are tens of MB, and the golden records are resolve's memory peak).
    """
    present = _Present(records)
    rank = {s: i for i, s in enumerate(source_priority)}
    src_rank = records["source"].map(rank).fillna(len(rank)).to_numpy(dtype=np.int64)
    created = _ns(records["created_at"])
    recency = _ns(records["updated_at"])
    recency = np.where(recency == _NAT, created, recency)
    complete = sum(present[field].astype(np.int64) for field in COMPLETENESS)
    # Five keys packed into three (fewer lexsort passes): (customer, source rank) and
    # (missing fields, record order) are small integers that share one int64 each.
    # Computed in place: golden records are resolve's memory peak.
    first = cc.astype(np.int64)
    first *= len(rank) + 1
    first += src_rank
    del src_rank
    last = np.subtract(len(COMPLETENESS), complete, out=complete)
    last *= int(seq.max()) + 1 if len(seq) else 1
    last += seq
    order = np.lexsort((last, -recency, first))
    del first, last, complete
    best = {}
    for group, fields in GROUPS.items():
        if group == "address":
            has = present["address1"] | present["city"] | present["postcode"]
        else:
            has = present[fields[0]]
        best[group] = _first_per_customer(order, has, cc, n_cust)
    by_time = np.lexsort((seq, created, cc))
    for field, has in (("created_at", created != _NAT), ("channel", present["channel"])):
        best[field] = _first_per_customer(by_time, has, cc, n_cust)
    return best


class _Present:
    """Whether each record has a value in a column, computed once per column."""

    def __init__(self, records: pd.DataFrame) -> None:
        self._records, self._seen = records, {}

    def __getitem__(self, column: str) -> np.ndarray:
        if column not in self._seen:
            self._seen[column] = self._records[column].notna().to_numpy()
        return self._seen[column]


def _lineage(records: pd.DataFrame, best: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """ "source:record id" of each chosen record (None where -1), per key of best.

    Only the records chosen for some field are named (a few per customer, not every record).
    """
    mark = np.zeros(len(records) + 1, dtype=bool)  # the last entry stands for -1 (none)
    for rows in best.values():
        mark[rows] = True
    chosen = np.flatnonzero(mark[:-1])
    source = pd.Series(records["source"].to_numpy()[chosen]).astype(str)
    record_id = pd.Series(records["source_record_id"].to_numpy()[chosen]).astype(str)
    ref = np.append((source + ":" + record_id).to_numpy(dtype=object), None)
    at = np.full(len(records) + 1, len(chosen), dtype=np.int64)  # -1 → the None at the end
    at[chosen] = np.arange(len(chosen))
    return {key: ref[at[rows]] for key, rows in best.items()}


def _customer_sources(records: pd.DataFrame, cc: np.ndarray) -> pd.DataFrame:
    """Distinct (customer code c, source name s) pairs in (c, s) order (sorted as text)."""
    # Distinct sources first (a handful), not every record's.
    raw, uniques = pd.factorize(records["source"], use_na_sentinel=True)
    if (raw >= 0).all() and all(isinstance(u, str) for u in uniques):
        code, names = pd.factorize(np.asarray(uniques, dtype=object), sort=True)
        code = code[raw]
    else:  # blanks or numbers (1 and 1.0 are one value but two texts): each record as text
        code, names = pd.factorize(records["source"].astype(str).to_numpy(dtype=object), sort=True)
    keys = distinct(cc.astype(np.int64) * max(len(names), 1) + code)
    s = np.asarray(names, dtype=object)[keys % max(len(names), 1)]
    return pd.DataFrame({"c": keys // max(len(names), 1), "s": s})


def _joined_sources(pairs: pd.DataFrame, n_cust: int) -> np.ndarray:
    """ "a, b" per customer from sorted (customer, source) pairs, in one pass (no group-by).

    With fewer than 63 sources, each customer's set of sources is a bit mask and each
    distinct set is joined once."""
    code, names = pd.factorize(pairs["s"].to_numpy(dtype=object), sort=True)
    if len(names) < 63:
        bits = np.zeros(n_cust, dtype=np.int64)
        np.bitwise_or.at(bits, pairs["c"].to_numpy(), np.int64(1) << code.astype(np.int64))
        sets, which = np.unique(bits, return_inverse=True)
        joined = [", ".join(names[[i for i in range(len(names)) if s >> i & 1]]) for s in sets]
        return np.array([j or None for j in joined], dtype=object)[which.ravel()]
    out = np.full(n_cust, None, dtype=object)
    current, names = -1, []
    for c, name in zip(pairs["c"].tolist(), pairs["s"].tolist(), strict=True):
        if c != current:
            if names:
                out[current] = ", ".join(names)
            current, names = c, []
        names.append(name)
    if names:
        out[current] = ", ".join(names)
    return out


_NAT = np.iinfo(np.int64).min


def _ns(col: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds (NaT → int64 min)."""
    return pd.to_datetime(col, errors="coerce").to_numpy(dtype="datetime64[ns]").view(np.int64)


def _first_per_customer(
    order: np.ndarray, has: np.ndarray, cc: np.ndarray, n_cust: int
) -> np.ndarray:
    """Per customer, the first record in `order` with `has`; -1 when none has it."""
    pos = order[has[order]]
    firsts = pos[np.r_[True, cc[pos][1:] != cc[pos][:-1]]] if len(pos) else pos
    best = np.full(n_cust, -1, dtype=np.int64)
    best[cc[firsts]] = firsts
    return best


def _take(col: pd.Series, best: np.ndarray) -> pd.Series:
    """col's values at positions best (blank where -1), keeping the column's dtype."""
    taken = col.iloc[np.maximum(best, 0)].reset_index(drop=True)
    return taken.where(pd.Series(best >= 0))
