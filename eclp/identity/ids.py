"""Stable customer ids across builds: clusters inherit previous ids; merges and splits are recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eclp.identity.blocking import distinct

ID_PREFIX = "C"
ID_WIDTH = 7
EVENT_COLUMNS = ["event", "customer_id", "other_customer_id", "detail"]


def format_id(number: int) -> str:
    """C + zero-padded integer, e.g. 1 → C0000001."""
    return f"{ID_PREFIX}{number:0{ID_WIDTH}d}"


def id_number(customer_id: str) -> int:
    """The integer inside a customer id (0 when it is not one of ours)."""
    match = re.fullmatch(rf"{ID_PREFIX}0*(\d+)", str(customer_id))
    return int(match.group(1)) if match else 0


def assign_ids(labels: np.ndarray, previous: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """Customer id per record and the id events of this build.

    labels: cluster label per record (labels are record indices, so smaller = earlier record).
    previous: the last build's customer id per record, or None.
    A cluster takes the previous id held by most of its records (ties: the lowest id); an id
    claimed by several clusters (a split) stays with the one holding most of its records; new
    clusters get ids above the highest ever used, numbered in record order.
    """
    frame = pd.DataFrame({"label": labels, "prev": pd.array(previous, dtype="string")})
    held = frame[frame["prev"].notna()].copy()  # often none: no previous build
    digits = held["prev"].str.extract(rf"^{ID_PREFIX}0*(\d+)$")[0]
    held["prev_num"] = pd.to_numeric(digits, errors="coerce").fillna(0).astype(np.int64)
    counts = (
        held.groupby(["label", "prev", "prev_num"], sort=False).size().rename("n").reset_index()
    )
    # Best claims first: most records, then lowest (oldest) id, then earliest cluster.
    counts = counts.sort_values(
        ["n", "prev_num", "label"], ascending=[False, True, True], kind="stable"
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for label, prev in zip(counts["label"].tolist(), counts["prev"].tolist(), strict=True):
        if label not in chosen and prev not in taken:
            chosen[label] = prev
            taken.add(prev)
    unique_labels = distinct(np.asarray(labels, dtype=np.int64))
    next_number = max(int(held["prev_num"].max()), 0) + 1 if len(held) else 1
    customer = _new_ids(len(unique_labels), next_number)
    if chosen:
        inherit = np.searchsorted(unique_labels, np.fromiter(chosen, np.int64, len(chosen)))
        fresh = np.ones(len(unique_labels), dtype=bool)
        fresh[inherit] = False
        customer[fresh] = customer[: int(fresh.sum())].copy()
        customer[inherit] = np.array(list(chosen.values()), dtype=object)
    per_record = customer[np.searchsorted(unique_labels, labels)]
    events = _events(counts, chosen, (unique_labels, customer), per_record, frame["prev"])
    return per_record, events


def _new_ids(count: int, first: int) -> np.ndarray:
    """format_id of first, first+1, ... (count ids) as an object array, formatted in Arrow."""
    numbers = pa.array(np.arange(first, first + count, dtype=np.int64))
    text = pc.utf8_lpad(pc.cast(numbers, pa.string()), ID_WIDTH, "0")
    text = pc.binary_join_element_wise(ID_PREFIX, text, "")
    return text.to_numpy(zero_copy_only=False).astype(object)


def _events(
    counts: pd.DataFrame, chosen: dict, ids: tuple, per_record: np.ndarray, prev
) -> pd.DataFrame:
    """new / keep / merge / split events from the claims table (vectorised: one row per event).

    ids: (sorted cluster labels, customer id of each).
    """
    labels, cids = ids
    inherited = np.isin(labels, np.fromiter(chosen.keys(), dtype=np.int64, count=len(chosen)))
    claimed = np.isin(labels, counts["label"].to_numpy())
    new = pd.DataFrame({"event": "new", "customer_id": cids[~inherited], "other_customer_id": None})
    new["detail"] = np.where(claimed[~inherited], "split off into a new customer", "new customer")
    claim = counts.assign(cid=cids[np.searchsorted(labels, counts["label"].to_numpy())])
    moved = claim[claim["prev"] != claim["cid"]]
    merges = pd.DataFrame(
        {"event": "merge", "customer_id": moved["cid"], "other_customer_id": moved["prev"]}
    )
    merges["detail"] = moved["prev"].astype(str) + " merged into " + moved["cid"].astype(str)
    keep_ids = claim.loc[
        ~claim["label"].isin(moved["label"]) & (claim["prev"] == claim["cid"]), "cid"
    ]
    keeps = pd.DataFrame(
        {
            "event": "keep",
            "customer_id": keep_ids,
            "other_customer_id": None,
            "detail": "unchanged id",
        }
    )
    held = prev.notna().to_numpy()  # records without a previous id make no split
    pairs = pd.DataFrame({"prev": prev[held], "now": per_record[held]}).dropna().drop_duplicates()
    spread = pairs[pairs.groupby("prev")["now"].transform("size") > 1]
    spread = spread[spread["prev"] != spread["now"]]
    splits = pd.DataFrame(
        {"event": "split", "customer_id": spread["prev"], "other_customer_id": spread["now"]}
    )
    splits["detail"] = (
        "records of " + spread["prev"].astype(str) + " moved to " + spread["now"].astype(str)
    )
    parts = [frame for frame in (new, keeps, merges, splits) if len(frame)]
    if not parts:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    events = pd.concat(parts, ignore_index=True)[EVENT_COLUMNS]
    if _in_order(events):
        return events
    return events.sort_values(
        ["event", "customer_id", "other_customer_id"], kind="stable", ignore_index=True
    )


def _in_order(events: pd.DataFrame) -> bool:
    """Whether events are in (event, customer_id) order already, customer ids all different
    (the first build: only new customers, numbered in order): then sorting changes nothing."""
    kinds = events["event"].to_numpy()
    ids = pd.Index(events["customer_id"])
    return bool((kinds == kinds[0]).all()) and ids.is_unique and ids.is_monotonic_increasing


@dataclass(frozen=True)
class CustomerCodes:
    """Customer id per record, and the same as codes into the sorted distinct ids."""

    id: np.ndarray  # object: customer id per record
    codes: np.ndarray  # int64: position of each record's id in ids
    ids: np.ndarray  # object: the distinct customer ids, sorted


def customer_codes(labels: np.ndarray, customer_id: np.ndarray) -> CustomerCodes:
    """Customer ids coded once for every output that groups or sorts by them.

    Each cluster label has exactly one id and no two labels share one, so the ids are
    factorised per cluster (a third of the records), not per record: a label is the smallest
    record index of its cluster, so that record holds the cluster's id.
    """
    anchors = np.flatnonzero(labels == np.arange(len(labels)))
    codes, ids = pd.factorize(customer_id[anchors], sort=True)
    code_of = np.zeros(len(labels), dtype=np.int64)
    code_of[anchors] = codes
    return CustomerCodes(customer_id, code_of[labels], np.asarray(ids))
