"""Stable customer ids across builds: clusters inherit previous ids; merges and splits are recorded."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

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
    held_ids = frame["prev"][frame["prev"].notna()]  # often none: no previous build
    digits = held_ids.str.extract(rf"^{ID_PREFIX}0*(\d+)$")[0].reindex(frame.index)
    frame["prev_num"] = pd.to_numeric(digits, errors="coerce").fillna(0).astype(np.int64).to_numpy()
    held = frame[frame["prev"].notna()]
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
    next_number = int(frame["prev_num"].max()) + 1 if len(frame) else 1
    ids: dict[int, str] = {}
    for label in unique_labels.tolist():
        if label in chosen:
            ids[label] = chosen[label]
        else:
            ids[label] = format_id(next_number)
            next_number += 1
    customer = np.array([ids[x] for x in unique_labels.tolist()], dtype=object)
    per_record = customer[np.searchsorted(unique_labels, labels)]
    events = _events(counts, chosen, ids, per_record, frame["prev"])
    return per_record, events


def _events(
    counts: pd.DataFrame, chosen: dict, ids: dict, per_record: np.ndarray, prev
) -> pd.DataFrame:
    """new / keep / merge / split events from the claims table (vectorised: one row per event)."""
    labels = np.fromiter(ids.keys(), dtype=np.int64, count=len(ids))
    cids = np.array(list(ids.values()), dtype=object)
    inherited = np.isin(labels, np.fromiter(chosen.keys(), dtype=np.int64, count=len(chosen)))
    claimed = np.isin(labels, counts["label"].to_numpy())
    new = pd.DataFrame({"event": "new", "customer_id": cids[~inherited], "other_customer_id": None})
    new["detail"] = np.where(claimed[~inherited], "split off into a new customer", "new customer")
    claim = counts.assign(cid=counts["label"].map(ids))
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
    pairs = pd.DataFrame({"prev": prev, "now": per_record}).dropna().drop_duplicates()
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
    return events.sort_values(
        ["event", "customer_id", "other_customer_id"], kind="stable", ignore_index=True
    )
