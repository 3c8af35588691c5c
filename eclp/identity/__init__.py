"""Identity resolution: the same person across sources becomes one golden customer (spec §5).

Pipeline: prepare (normalised keys) → blocking (candidate pairs) → scoring (log2 weights per
field with term frequencies) → clustering (no chaining) → stable ids → golden records.
"""

from __future__ import annotations

from eclp.identity.explain import explain_customer
from eclp.identity.resolve import Resolution, resolve
from eclp.identity.review import export_review, read_decisions
from eclp.identity.settings import IdentitySettings

__all__ = [
    "IdentitySettings",
    "Resolution",
    "explain_customer",
    "export_review",
    "read_decisions",
    "resolve",
]
