"""resolve(): person records → customers, links, review queue, golden records and id events."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from eclp.canonical import IDENTITY_MAP_COLUMNS
from eclp.identity.attach import attach
from eclp.identity.blocking import (
    candidate_pairs,
    distinct,
    group_chain_pairs,
    member_of,
    pair_keys,
)
from eclp.identity.cluster import cluster, components
from eclp.identity.conflicts import forgive_accepted_conflicts
from eclp.identity.evidence import evidence_json, rule_names, value_tables
from eclp.identity.frames import (
    Ordered,
    append_rows,
    best_per_record,
    columns,
    record_order,
    release_memory,
    take_rows,
)
from eclp.identity.golden import golden_records
from eclp.identity.ids import EVENT_COLUMNS, CustomerCodes, assign_ids, customer_codes
from eclp.identity.prepare import prepare
from eclp.identity.review import review_frame
from eclp.identity.scoring import AGREE, probability, score_pairs
from eclp.identity.settings import IdentitySettings

MAP_COLUMNS = list(IDENTITY_MAP_COLUMNS)
LINK_COLUMNS = [
    "source_a",
    "record_id_a",
    "source_b",
    "record_id_b",
    "score",
    "weight",
    "decision",
    "evidence",
]
# What the outputs use of the kept links once their evidence and rule are set.
KEPT_COLUMNS = ["a", "b", "p", "weight", "decision", "inside", "evidence", "rule"]
DECISION_COLUMNS = ["source_a", "record_id_a", "source_b", "record_id_b", "decision"]
DEFAULT_SETTINGS = IdentitySettings()


@dataclass(frozen=True)
class Resolution:
    """The outcome of one identity resolution (see the module docs of eclp.identity)."""

    identity_map: pd.DataFrame
    golden: pd.DataFrame
    links: pd.DataFrame
    review: pd.DataFrame
    events: pd.DataFrame
    stats: dict = field(default_factory=dict)


def resolve(
    records: pd.DataFrame,
    *,
    previous_ids: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
    settings: IdentitySettings = DEFAULT_SETTINGS,
) -> Resolution:
    """Resolve person records into customers with stable ids.

    The result depends only on the records' content, never their row order: records are put
    in (source, source_record_id) order first.
    """
    clock = _Clock()
    order = record_order(records)
    recs = Ordered(records, order)
    n = len(recs)
    prep = prepare(recs, population=2.0 ** -settings.prior_weight(n))
    clock.lap("prepare")
    a, b = candidate_pairs(prep, settings.max_block_size, settings.max_name_block_size)
    clock.lap("blocking")
    ref_a, ref_b = group_chain_pairs(prep.features["ref_code"].to_numpy())
    same, different = _decision_pairs(recs, decisions)
    pairs = _union_pairs(n, (a, b), (ref_a, ref_b), same, different)
    links = _score(prep, pairs, n, settings)
    del a, b, pairs
    links = _flag(links, n, (ref_a, ref_b), same, different, settings)
    clock.lap("scoring")
    links = _complete_components(prep, links, n, settings)
    links["conflict"] = forgive_accepted_conflicts(links, prep.features)
    clock.lap("completion")
    clustering = cluster(
        n, links, max_size=settings.max_cluster_size, support=settings.cluster_support
    )
    labels, links = attach(
        clustering.labels,
        links,
        threshold=settings.attach,
        max_size=settings.max_cluster_size,
        limit=settings.complete_component_limit,
        score=partial(_score_extra, prep, n=n, settings=settings),
    )
    refused = np.zeros(len(links), dtype=bool)
    refused[: len(clustering.refused)] = clustering.refused
    clock.lap("clustering")
    previous = _previous(recs, previous_ids)
    customer_id, events = assign_ids(labels, previous)
    links = _decide(links, labels, refused, settings)
    kept = take_rows(links, np.flatnonzero(_worth_keeping(links, settings)))
    del links  # millions of scored pairs: free them before the evidence text is built
    tables = value_tables(prep, recs)
    del prep  # the features: the evidence needs only their value tables, and the text is large
    release_memory()
    kept["evidence"] = evidence_json(kept, tables)
    kept["rule"] = _rules(kept)
    # Only what the outputs use from here on: the per-field comparisons are freed (with the
    # evidence pieces, several times the finished text) before the review.
    del tables
    kept = columns(kept, KEPT_COLUMNS)
    release_memory()
    clock.lap("evidence")
    review = review_frame(_review_links(kept), recs, customer_id)
    customers = customer_codes(labels, customer_id)  # after the evidence text: not at its peak
    identity_map = _identity_map(recs, customers, labels, kept)
    # The public links replace the kept ones before the golden records (not both alive then).
    links_out = _public_links(kept, recs)
    del kept
    release_memory()
    # Golden records from the input as it is (no column taken into resolution order).
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    golden = golden_records(
        records,
        customer_id[rank],
        settings.source_priority,
        position=rank,
        codes=(customers.codes[rank], customers.ids),
    )
    clock.lap("golden")
    stats = _stats(
        recs, customers, links_out, review, events, clustering.troubled_components, clock
    )
    return Resolution(
        identity_map=identity_map,
        golden=golden,
        links=links_out,
        review=review,
        events=events if len(events) else pd.DataFrame(columns=EVENT_COLUMNS),
        stats=stats,
    )


def _decision_pairs(recs: pd.DataFrame, decisions: pd.DataFrame | None):
    """Record index pairs of `same` and `different` decisions (unknown records are ignored)."""
    empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    if decisions is None or not len(decisions):
        return empty, empty
    index = pd.Index(recs["source"].astype(str) + "\x1f" + recs["source_record_id"].astype(str))
    ka = decisions["source_a"].astype(str) + "\x1f" + decisions["record_id_a"].astype(str)
    kb = decisions["source_b"].astype(str) + "\x1f" + decisions["record_id_b"].astype(str)
    ia, ib = index.get_indexer(ka), index.get_indexer(kb)
    word = decisions["decision"].astype(str).str.strip().str.lower().to_numpy()
    ok = (ia >= 0) & (ib >= 0) & (ia != ib)
    out = []
    for kind in ("same", "different"):
        m = ok & (word == kind)
        out.append(
            (np.minimum(ia[m], ib[m]).astype(np.int64), np.maximum(ia[m], ib[m]).astype(np.int64))
        )
    return out[0], out[1]


def _union_pairs(n: int, *pair_sets) -> np.ndarray:
    """Distinct packed keys a*n+b (a<b) of all pair sets."""
    keys = [
        np.minimum(x, y).astype(np.int64) * n + np.maximum(x, y) for x, y in pair_sets if len(x)
    ]
    return distinct(np.concatenate(keys)) if keys else np.empty(0, dtype=np.int64)


def _score(prep, packed: np.ndarray, n: int, settings: IdentitySettings) -> pd.DataFrame:
    links = score_pairs(prep, packed // n, packed % n) if n else score_pairs(prep, packed, packed)
    links["p"] = probability(links["weight"].to_numpy(), settings.prior_weight(n))
    return links


def _flag(links, n, refs, same, different, settings) -> pd.DataFrame:
    """merge / forced / forbidden / by_ref flags per link."""
    key = links["a"].to_numpy().astype(np.int64) * n + links["b"].to_numpy()
    packed = lambda xy: np.minimum(*xy).astype(np.int64) * n + np.maximum(*xy)  # noqa: E731
    links["by_ref"] = member_of(key, packed(refs))
    links["by_decision"] = member_of(key, packed(same))
    links["forbidden"] = member_of(key, packed(different))
    links["forced"] = (links["by_ref"] | links["by_decision"]) & ~links["forbidden"]
    links["merge"] = (links["p"] >= settings.auto_merge) & ~links["forbidden"]
    return links


def _complete_components(
    prep, links: pd.DataFrame, n: int, settings: IdentitySettings
) -> pd.DataFrame:
    """Score every pair inside each merge component (up to the size limit) not yet scored.

    This is what lets a merge be judged by the cluster as a whole: a conflict between two
    records joined only through a third becomes visible.
    """
    edge = (links["merge"] | links["forced"]).to_numpy()
    comp = components(n, links["a"].to_numpy()[edge], links["b"].to_numpy()[edge])
    sizes = np.bincount(comp, minlength=n)[comp]
    key = np.where(sizes >= 2, comp, -1)
    packed = pair_keys(key, settings.complete_component_limit, n)
    have = links["a"].to_numpy().astype(np.int64) * n + links["b"].to_numpy()
    packed = distinct(packed)
    missing = packed[~member_of(packed, have)] if len(packed) else packed
    if not len(missing):
        return links
    return append_rows(links, _score_extra(prep, missing, n, settings))


def _score_extra(prep, missing: np.ndarray, n: int, settings: IdentitySettings) -> pd.DataFrame:
    """Links for pairs scored after blocking (no decision or customer_ref covers them)."""
    extra = _score(prep, missing, n, settings)
    for col in ("by_ref", "by_decision", "forbidden", "forced"):
        extra[col] = False
    extra["merge"] = extra["p"] >= settings.auto_merge
    return extra


def _decide(links: pd.DataFrame, labels, refused, settings) -> pd.DataFrame:
    """Each link's decision: merge, review, reject, or an analyst's same/different."""
    inside = labels[links["a"].to_numpy()] == labels[links["b"].to_numpy()]
    p = links["p"].to_numpy()
    # Decisions as small integer codes first; one object array at the end.
    code = np.where(inside & ((p >= settings.review) | links["forced"].to_numpy()), 0, 2)
    code = np.where(~inside & ((p >= settings.review) | refused), 1, code)
    code = np.where(links["by_decision"].to_numpy() & ~links["forbidden"].to_numpy(), 3, code)
    code = np.where(links["forbidden"].to_numpy(), 4, code)
    names = np.array(["merge", "review", "reject", "same", "different"], dtype=object)
    links["decision"] = names[code]  # in place: links may hold millions of rows
    links["inside"] = inside
    return links


def _rules(kept: pd.DataFrame) -> np.ndarray:
    """Each kept link's rule name; customer_ref and analyst decisions named as such (set in an
    array: .loc on the wide frame would consolidate it, a copy of every kept link)."""
    rule = rule_names(kept)
    rule[kept["by_ref"].to_numpy()] = "customer_ref"
    rule[kept["decision"].to_numpy() == "same"] = "decision:same"
    return rule


def _review_links(kept: pd.DataFrame) -> pd.DataFrame:
    """The review links' a, b, p and evidence (a boolean filter of the whole wide frame would
    first consolidate it: a copy of every kept link)."""
    mask = kept["decision"].to_numpy() == "review"
    cols = {col: kept[col].to_numpy()[mask] for col in ("a", "b", "p")}
    return pd.DataFrame({**cols, "evidence": kept["evidence"][mask].reset_index(drop=True)})


def _worth_keeping(links: pd.DataFrame, settings: IdentitySettings) -> np.ndarray:
    """Links to keep and explain.

    Inside a customer: the best link of each record (what brought it in: a spanning set, not
    every pair). Between customers: review links, analyst decisions, near misses (probability
    ≥ keep_link_floor), and rejects sharing an email/phone/id (why a household stayed apart).
    """
    decision = links["decision"].to_numpy()
    inside = links["inside"].to_numpy()
    shared = np.zeros(len(links), dtype=bool)
    for name in ("email", "phone", "loyalty_id"):
        shared |= links[f"s_{name}"].to_numpy() == AGREE
    between = ~inside & (
        (decision != "reject") | (links["p"].to_numpy() >= settings.keep_link_floor) | shared
    )
    decided = (decision == "same") | (decision == "different")
    return between | decided | _best_link_rows(links, inside & (decision == "merge"))


def _best_link_rows(links: pd.DataFrame, eligible: np.ndarray) -> np.ndarray:
    """Mask of links that are some record's highest-probability eligible link."""
    rows = np.flatnonzero(eligible)
    ends = np.concatenate([links["a"].to_numpy()[rows], links["b"].to_numpy()[rows]])
    both = np.concatenate([rows, rows])
    n = int(ends.max()) + 1 if len(ends) else 0
    best = best_per_record(n, ends, links["p"].to_numpy()[both], both)
    mask = np.zeros(len(links), dtype=bool)
    mask[best[best >= 0]] = True
    return mask


def _previous(recs: pd.DataFrame, previous_ids: pd.DataFrame | None) -> np.ndarray:
    """The previous build's customer id per record (None for new records)."""
    if previous_ids is None or not len(previous_ids):
        return np.full(len(recs), None, dtype=object)
    prev = previous_ids.drop_duplicates(["source", "source_record_id"], keep="last")
    index = pd.MultiIndex.from_frame(prev[["source", "source_record_id"]].astype(str))
    pos = index.get_indexer(
        pd.MultiIndex.from_frame(recs[["source", "source_record_id"]].astype(str))
    )
    ids = prev["customer_id"].astype(object).to_numpy()
    return np.where(pos >= 0, ids[np.maximum(pos, 0)], None).astype(object)


def _identity_map(recs, customers: CustomerCodes, labels, kept: pd.DataFrame) -> pd.DataFrame:
    """Every record once: its customer and the best link that brought it into the customer."""
    decision = kept["decision"].to_numpy()
    # Only the columns needed, not the wide frame with its evidence text.
    ok = np.flatnonzero(((decision == "merge") | (decision == "same")) & kept["inside"].to_numpy())
    p, rule = kept["p"].to_numpy()[ok], kept["rule"].to_numpy()[ok]
    n = len(recs)
    # Per record its best link: by probability descending, ties in link order (a sides first).
    rec = np.concatenate([kept["a"].to_numpy()[ok], kept["b"].to_numpy()[ok]])
    best = best_per_record(n, rec, np.concatenate([p, p]), np.arange(len(rec)))
    linked = np.flatnonzero(best >= 0)
    at_link = best[linked] % max(len(ok), 1)  # the a and b sides of a link: the same link
    score = np.full(n, np.nan)
    score[linked] = p[at_link]
    best_rule = np.full(n, np.nan, dtype=object)  # NaN, as a reindex leaves records without one
    best_rule[linked] = rule[at_link]
    anchor = labels == np.arange(n)
    single = np.bincount(labels, minlength=n)[labels] == 1
    score = np.where(anchor, 1.0, np.round(score, 4))
    # Assigned, not np.where: one shared "anchor" object, not a new string per customer.
    rule = best_rule
    rule[anchor] = "anchor"
    rule[single] = "singleton"
    # recs are in (source, source_record_id) order already, so a stable sort by customer alone
    # gives the (customer_id, source, source_record_id) order; customers sorted as codes.
    at = np.argsort(customers.codes, kind="stable")
    return pd.DataFrame(
        {
            "customer_id": customers.id[at],
            "source": recs["source"].to_numpy()[at],
            "source_record_id": recs["source_record_id"].to_numpy()[at],
            "file": recs["file"].to_numpy()[at] if "file" in recs else None,
            "row": recs["row"].to_numpy()[at] if "row" in recs else None,
            "match_score": score[at],
            "rule": rule[at],
        },
        copy=False,  # one block per column: no consolidation copy of the object columns
    )


def _public_links(kept: pd.DataFrame, recs: pd.DataFrame) -> pd.DataFrame:
    """Links as the contract names them (record keys instead of positions)."""
    src = recs["source"].to_numpy(dtype=object)
    rid = recs["source_record_id"].to_numpy(dtype=object)
    a, b = kept["a"].to_numpy(), kept["b"].to_numpy()
    return pd.DataFrame(
        {
            "source_a": src[a],
            "record_id_a": rid[a],
            "source_b": src[b],
            "record_id_b": rid[b],
            "score": np.round(kept["p"].to_numpy(), 6),
            "weight": np.round(kept["weight"].to_numpy(), 3),
            "decision": kept["decision"].to_numpy(),
            "evidence": kept["evidence"].reset_index(drop=True),  # Arrow-backed: no Python strs
            "rule": kept["rule"].to_numpy(),
        },
        copy=False,  # one block per column: no consolidation copy of the object columns
    )


def _stats(recs, customers: CustomerCodes, links, review, events, troubled, clock) -> dict:
    sizes = np.bincount(customers.codes, minlength=len(customers.ids))
    return {
        "records": len(recs),
        "customers": len(sizes),
        "links": len(links),
        "merges": int((links["decision"] == "merge").sum()),
        "review": len(review),
        "largest_cluster": int(sizes.max()) if len(sizes) else 0,
        "troubled_components": int(troubled),
        "events": events["event"].value_counts().to_dict() if len(events) else {},
        "timings": clock.laps,
    }


class _Clock:
    """Named wall-clock laps for stats["timings"]."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._t, 3)
        self._t = now
