"""Identity resolution settings: every knob of blocking, scoring and clustering, with defaults."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class IdentitySettings:
    """The `identity:` section of eclp.yaml.

    Thresholds are match probabilities (0–1). A link's probability comes from its log2 Bayes
    factor (the sum of per-field weights) plus the log2 prior odds that two records are the
    same person, -log2(estimated people) with people ≈ records / 2 but at least
    `min_population` (so a tiny input is not judged as if it were the whole world).
    """

    auto_merge: float = 0.99  # at or above: the records merge
    review: float = 0.80  # at or above this but below auto_merge: queued for review
    # A link resting on a name alone joins its person at or above this when nothing in the
    # resulting customer contradicts it (see eclp.identity.attach); 1.0 turns that off.
    attach: float = 0.80
    source_priority: tuple[str, ...] = ()  # survivorship: earlier sources win
    max_cluster_size: int = 500  # a merge that would exceed this goes to review instead
    # Blocks larger than these are skipped: a value shared by that many records is weak evidence.
    max_block_size: int = 40  # on identifiers (email, phone, loyalty id)
    max_name_block_size: int = 20  # on name and place keys
    min_population: int = 1000  # floor of the estimated number of people behind the records
    records_per_person: float = 2.0  # used to estimate the people behind the records
    cluster_support: float = 0.5  # a merge needs the mean cross-cluster link probability ≥ this
    complete_component_limit: int = 300  # components up to this size get every pair scored
    keep_link_floor: float = 0.5  # rejected links at or above this probability are kept to explain

    def prior_weight(self, n_records: int) -> float:
        """log2 prior odds that two records are the same person, for an input of n records."""
        people = max(n_records / self.records_per_person, self.min_population, 2)
        return -math.log2(people)

    @property
    def auto_merge_weight(self) -> float:
        """The total log2 weight (prior included) at which a link auto-merges."""
        return logit2(self.auto_merge)

    @property
    def review_weight(self) -> float:
        """The total log2 weight (prior included) at which a link goes to review."""
        return logit2(self.review)


def logit2(p: float) -> float:
    """Base-2 log odds of a probability, clamped away from 0 and 1."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log2(p / (1 - p))
