"""Hard conflicts judged against what a customer already accepts.

A pair with a different birth date (or first name) is vetoed unless a personal identifier
vouches for it (scoring._hard_conflicts). The veto is pairwise; a customer is not. When a
member id has vouched for a record whose birth date is a typo (1937 for 1962), that typo
conflicts with every other record of the person that has no member id in common, and one
stray record would keep the rest of the person's records out. So inside a group of merge
links, a conflict over the very disagreement that a vouched merge link already accepted
(the same two birth dates, or the same two first names on one birth date) no longer vetoes.

First names are forgiven only on an equal birth date, never on a member id alone: a card a
couple share must not make Mary and John one customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eclp.identity.cluster import components
from eclp.identity.scoring import AGREE, DISAGREE, FUZZY, conflict_parts


def forgive_accepted_conflicts(links: pd.DataFrame, features: pd.DataFrame) -> np.ndarray:
    """The conflict flag per link, cleared where a vouched merge link in the same group of
    merge links accepted the same disagreement (see the module docstring)."""
    conflict = links["conflict"].to_numpy(dtype=bool)
    if not conflict.any():
        return conflict
    a, b = links["a"].to_numpy(dtype=np.int64), links["b"].to_numpy(dtype=np.int64)
    edge = (links["merge"].to_numpy(dtype=bool) | links["forced"].to_numpy(dtype=bool)) & ~links[
        "forbidden"
    ].to_numpy(dtype=bool)
    comp = components(len(features), a[edge], b[edge])
    inside = comp[a] == comp[b]
    first_s, dob_s = links["s_first_name"].to_numpy(), links["s_birth_date"].to_numpy()
    member_s = links["s_loyalty_id"].to_numpy()
    id_ok = (member_s == AGREE) | (member_s == FUZZY)
    dob_ok = dob_s == AGREE
    first_off, dob_off = first_s == DISAGREE, dob_s == DISAGREE

    first_code = features["first_code"].to_numpy()
    dob = features["dob"].to_numpy()
    names = _Disagreements(comp[a], first_code[a], first_code[b])
    dates = _Disagreements(comp[a], dob[a], dob[b])
    accepted_names = names.keys(edge & inside & first_off & dob_ok)
    accepted_dates = dates.keys(edge & inside & dob_off & id_ok)

    judged = np.flatnonzero(conflict & inside)
    name_part, date_part = conflict_parts(first_s[judged], dob_s[judged], member_s[judged])
    name_ok = ~name_part | names.known(judged, accepted_names)
    date_ok = ~date_part | dates.known(judged, accepted_dates)
    out = conflict.copy()
    out[judged[name_ok & date_ok]] = False
    return out


class _Disagreements:
    """(group, smaller value, larger value) of each link's disagreement in one field."""

    def __init__(self, group: np.ndarray, x: np.ndarray, y: np.ndarray):
        self.group, self.low, self.high = group, np.minimum(x, y), np.maximum(x, y)

    def _index(self, rows: np.ndarray) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays([self.group[rows], self.low[rows], self.high[rows]])

    def keys(self, mask: np.ndarray) -> pd.MultiIndex:
        return self._index(np.flatnonzero(mask))

    def known(self, rows: np.ndarray, accepted: pd.MultiIndex) -> np.ndarray:
        if not len(rows) or not len(accepted):
            return np.zeros(len(rows), dtype=bool)
        return self._index(rows).isin(accepted)
