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
    count, comp = connected_components(graph, directed=False)
    # The smallest node per component by one scatter pass (a group-by is ~10x slower).
    first = np.full(count, n, dtype=np.int64)
    np.minimum.at(first, comp, np.arange(n, dtype=np.int64))
    return first[comp]


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
        # One greedy run per troubled component, on lists sliced by component.
        tl = trouble_links[np.argsort(comp[a[trouble_links]], kind="stable")]
        ids = comp[a[tl]]
        bounds = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
        cols = {k: links[k].to_numpy()[tl] for k in LINK_FIELDS if k in links}
        runs = _Runs(cols, ids)
        nodes, new_labels = [], []
        for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            part_labels, part_refused = greedy(runs, start, end, max_size, support)
            nodes.extend(part_labels.keys())
            new_labels.extend(part_labels.values())
            refused[tl[start:end]] = part_refused
        labels[np.asarray(nodes, dtype=np.int64)] = np.asarray(new_labels, dtype=np.int64)
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


class _Runs:
    """The troubled components' links as Python lists (converted once for all components),
    in component order, and each component's merge order (forced first, then best
    probability; ties by index) as positions into them."""

    def __init__(self, cols: dict[str, np.ndarray], component: np.ndarray) -> None:
        a, b = cols["a"].astype(np.int64), cols["b"].astype(np.int64)
        p = cols["p"].astype(np.float64)
        forbidden = cols["forbidden"].astype(bool)
        forced = cols["forced"].astype(bool) & ~forbidden
        self.a, self.b, self.p = a.tolist(), b.tolist(), p.tolist()
        self.conflict = cols["conflict"].astype(bool).tolist()
        self.forbidden = forbidden.tolist()
        self.counted = _informative(cols).tolist()
        self.forced = forced.tolist()
        self.merge = (cols["merge"].astype(bool) & ~forbidden).tolist()
        # One lexsort for all: component first, so each component's order is contiguous.
        self.order = np.lexsort((b, a, -p, ~forced, component)).tolist()


def greedy(
    runs: _Runs, start: int, end: int, max_size: int, support: float
) -> tuple[dict[int, int], np.ndarray]:
    """Agglomerate one component (links start..end of runs), best link first, merging only
    clusters that support it.

    Keeps, per cluster, its neighbour clusters with the sum and count of cross-pair
    probabilities and whether any cross pair conflicts — merged small into large, so each
    merge check is O(1) and the whole run near-linear in links.
    """
    al, bl = runs.a[start:end], runs.b[start:end]
    nodes = set(al) | set(bl)
    parent = {x: x for x in nodes}
    members = {x: [x] for x in nodes}
    nbr: dict[int, dict[int, list]] = {x: {} for x in nodes}
    for u, v, pp, c, f, i in zip(
        al,
        bl,
        runs.p[start:end],
        runs.conflict[start:end],
        runs.forbidden[start:end],
        runs.counted[start:end],
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

    refused = np.zeros(end - start, dtype=bool)
    fl, ml = runs.forced, runs.merge
    for g in runs.order[start:end]:
        if not (fl[g] or ml[g]):
            continue
        k = g - start
        ru, rv = find(al[k]), find(bl[k])
        if ru == rv:
            continue
        st = nbr[ru].get(rv)
        if st is not None and st[3]:
            refused[k] = True
            continue
        if not fl[g] and (
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
