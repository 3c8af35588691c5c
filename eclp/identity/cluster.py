"""Clustering merge links into customers without chaining.

Connected components of the merge links are accepted as they are only when nothing inside
them argues against it: no hard conflict, no `different` decision, not oversized, and the mean
link probability over every scored pair inside is high. Other components are rebuilt greedily,
best link first, where a merge must be supported by the two clusters as a whole: no conflict
or `different` pair across them, mean cross-pair probability ≥ `support`, size within the cap.
One bridge link therefore never glues two groups that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

LINK_FIELDS = ("a", "b", "p", "merge", "forced", "conflict", "forbidden", "informative")


@dataclass(frozen=True)
class Clustering:
    """Cluster label per record (the smallest record index in it) and which merge edges were refused."""

    labels: np.ndarray
    refused: np.ndarray  # bool per link row: a merge link the cluster did not support
    troubled_components: int


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label per node, the smallest node index of its component."""
    if n == 0:
        return np.empty(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    first = pd.Series(np.arange(n)).groupby(comp).transform("min").to_numpy()
    return first.astype(np.int64)


def cluster(
    n: int,
    links: pd.DataFrame,
    *,
    max_size: int,
    support: float,
) -> Clustering:
    """Cluster n records from scored links.

    links columns: a, b, p (match probability), merge (bool: a merge edge), forced (bool: a
    `same` decision or customer_ref, merged unless forbidden), conflict (bool: hard conflict),
    forbidden (bool: a `different` decision).
    """
    a, b = links["a"].to_numpy(dtype=np.int64), links["b"].to_numpy(dtype=np.int64)
    edge = links["merge"].to_numpy(dtype=bool) | links["forced"].to_numpy(dtype=bool)
    comp = components(n, a[edge], b[edge])
    inside = comp[a] == comp[b]
    trouble = _troubled(comp, links, inside, max_size, support)
    labels = comp.copy()
    refused = np.zeros(len(links), dtype=bool)
    is_trouble = np.zeros(len(comp) + 1, dtype=bool)
    is_trouble[trouble] = True
    trouble_links = np.flatnonzero(inside & is_trouble[comp[a]])
    if len(trouble_links):
        # One greedy run per troubled component, on plain arrays sliced by component.
        tl = trouble_links[np.argsort(comp[a[trouble_links]], kind="stable")]
        ids = comp[a[tl]]
        bounds = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
        cols = {k: links[k].to_numpy()[tl] for k in LINK_FIELDS if k in links}
        for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            part = {k: v[start:end] for k, v in cols.items()}
            new_labels, part_refused = greedy(part, max_size=max_size, support=support)
            nodes = np.fromiter(new_labels.keys(), dtype=np.int64, count=len(new_labels))
            labels[nodes] = np.fromiter(new_labels.values(), dtype=np.int64, count=len(new_labels))
            refused[tl[start:end]] = part_refused
    return Clustering(labels=labels, refused=refused, troubled_components=len(trouble))


def _troubled(comp, links, inside, max_size, support) -> np.ndarray:
    """Component ids whose links show a conflict, a `different`, low support or excess size."""
    sizes = np.bincount(comp, minlength=len(comp))
    frame = pd.DataFrame(
        {
            "c": comp[links["a"].to_numpy(dtype=np.int64)][inside],
            "bad": (links["conflict"].to_numpy() | links["forbidden"].to_numpy())[inside],
            "p": np.where(_informative(links), links["p"].to_numpy(), np.nan)[inside],
        }
    )
    per = frame.groupby("c").agg(bad=("bad", "any"), p=("p", "mean"))
    big = np.flatnonzero(sizes > max_size)
    bad = per.index[(per["bad"]) | (per["p"] < support)].to_numpy()  # NaN: nothing to judge
    return np.union1d(bad, big).astype(np.int64)


def greedy(
    links: pd.DataFrame, *, max_size: int, support: float
) -> tuple[dict[int, int], np.ndarray]:
    """Agglomerate one component, best link first, merging only clusters that support it.

    Keeps, per cluster, its neighbour clusters with the sum and count of cross-pair
    probabilities and whether any cross pair conflicts — merged small into large, so each
    merge check is O(1) and the whole run near-linear in links.
    """
    a, b = np.asarray(links["a"], dtype=np.int64), np.asarray(links["b"], dtype=np.int64)
    p = np.asarray(links["p"], dtype=np.float64)
    conflict = np.asarray(links["conflict"], dtype=bool)
    forbidden = np.asarray(links["forbidden"], dtype=bool)
    forced = np.asarray(links["forced"], dtype=bool) & ~forbidden
    merge = np.asarray(links["merge"], dtype=bool) & ~forbidden
    counted = _informative(links)
    nodes = set(a.tolist()) | set(b.tolist())
    parent = {x: x for x in nodes}
    members = {x: [x] for x in nodes}
    nbr: dict[int, dict[int, list]] = {x: {} for x in nodes}
    for u, v, pp, c, f, i in zip(
        a.tolist(),
        b.tolist(),
        p.tolist(),
        conflict.tolist(),
        forbidden.tolist(),
        counted.tolist(),
        strict=True,
    ):
        for x, y in ((u, v), (v, u)):
            st = nbr[x].setdefault(y, [0.0, 0, False, False])
            st[0] += pp if i else 0.0
            st[1] += i
            st[2] |= c
            st[3] |= f

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order = np.lexsort((b, a, -p, ~forced))  # forced first, then best probability; ties by index
    refused = np.zeros(len(a), dtype=bool)
    al, bl, fl, ml = a.tolist(), b.tolist(), forced.tolist(), merge.tolist()
    for k in order.tolist():
        if not (fl[k] or ml[k]):
            continue
        ru, rv = find(al[k]), find(bl[k])
        if ru == rv:
            continue
        st = nbr[ru].get(rv)
        if st is not None and st[3]:
            refused[k] = True
            continue
        if not fl[k] and (
            st is None
            or st[2]
            or len(members[ru]) + len(members[rv]) > max_size
            or (st[1] and st[0] / st[1] < support)
        ):
            refused[k] = True
            continue
        _union(ru, rv, parent, members, nbr)
    labels = {}
    for x in members:
        if parent[x] == x:
            low = min(members[x])
            for m in members[x]:
                labels[m] = low
    return labels, refused


def _informative(links) -> np.ndarray:
    """Which links count towards support (all of them when the column is absent)."""
    if "informative" in links:
        return np.asarray(links["informative"], dtype=bool)
    return np.ones(len(links["a"]), dtype=bool)


def _union(ru: int, rv: int, parent: dict, members: dict, nbr: dict) -> None:
    """Merge cluster ru and rv (the one with fewer neighbours into the other)."""
    if len(nbr[ru]) > len(nbr[rv]):
        ru, rv = rv, ru
    parent[ru] = rv
    members[rv].extend(members.pop(ru))
    small = nbr.pop(ru)
    small.pop(rv, None)
    nbr[rv].pop(ru, None)
    for d, st in small.items():
        into = nbr[rv].setdefault(d, [0.0, 0, False, False])
        into[0] += st[0]
        into[1] += st[1]
        into[2] |= st[2]
        into[3] |= st[3]
        back = nbr[d]
        back.pop(ru, None)
        back[rv] = into
