"""The second clustering pass: records that share only a name with one person join that person.

A loyalty card with a mobile number, a newsletter signup under a work address: their only
evidence is a name, so their links rarely reach auto_merge on their own. After the first
pass, clusters joined by such links (names agree, nothing argues against, probability ≥
`attach`) form a group. The group becomes one customer when nothing inside it contradicts
that: no hard conflict or `different` decision, and no pair of its records that compared
identifying fields and found them different (two namesakes with their own emails, phones and
towns). A group that holds such a pair is ambiguous — which namesake owns the card? — and its
links stay in review.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eclp.identity.blocking import unscored_pairs
from eclp.identity.cluster import components
from eclp.identity.frames import append_rows
from eclp.identity.scoring import AGREE, FUZZY

# Disagreeing fields weighing this much or less (log2) say "maybe someone else": a second
# email and another town already do.
CONTRADICTION = -2.5


def attach(
    labels: np.ndarray,
    links: pd.DataFrame,
    *,
    threshold: float,
    max_size: int,
    limit: int,
    score,
) -> tuple[np.ndarray, pd.DataFrame]:
    """New cluster labels after attaching, and links with any pairs scored for the check.

    score(packed keys a*n+b) → scored link rows for pairs not scored yet.
    """
    n = len(labels)
    a, b = links["a"].to_numpy(), links["b"].to_numpy()
    soft = _soft(links, labels, threshold)
    if not soft.any():
        return labels, links
    group = components(n, labels[a[soft]], labels[b[soft]])[labels]
    sizes = np.bincount(group, minlength=n)[group]
    # Every pair inside a group is judged, so score the ones blocking never produced.
    missing = unscored_pairs(group, limit, a, b)
    if len(missing):
        links = append_rows(links, score(missing))
        a, b = links["a"].to_numpy(), links["b"].to_numpy()
    inside_group = (group[a] == group[b]) & (labels[a] != labels[b])
    contra = inside_group & _contradicts(links)
    bad = np.zeros(n, dtype=bool)
    bad[group[a[contra]]] = True
    ok = (sizes >= 2) & (sizes <= max_size) & ~bad[group]
    new = labels.copy()  # a group of one first-pass cluster keeps its label
    new[ok] = _smallest_per_group(group, labels)[ok]
    return new, links


def _soft(links: pd.DataFrame, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Links between clusters that agree on both names with nothing weighing against them."""
    a, b = links["a"].to_numpy(), links["b"].to_numpy()
    names = np.ones(len(links), dtype=bool)
    for field in ("first_name", "last_name"):
        s = links[f"s_{field}"].to_numpy()
        names &= (s == AGREE) | (s == FUZZY)
    return (
        (labels[a] != labels[b])
        & names
        & (links["p"].to_numpy() >= threshold)
        & ~links["conflict"].to_numpy()
        & ~links["forbidden"].to_numpy()
        & (links["against"].to_numpy() > CONTRADICTION)
    )


def _contradicts(links: pd.DataFrame) -> np.ndarray:
    """Pairs that say two different people: a conflict, a `different`, or disagreeing fields."""
    return (
        links["conflict"].to_numpy()
        | links["forbidden"].to_numpy()
        | (links["against"].to_numpy() <= CONTRADICTION)
    )


def _smallest_per_group(group: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per record, the smallest record index in its group (the group's new label)."""
    low = pd.Series(labels).groupby(group).transform("min").to_numpy()
    return low.astype(np.int64)
