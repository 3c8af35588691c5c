"""What metrics are computed from: the store's frames plus identity's golden customers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eclp.canonical import (
    IDENTITY_MAP_COLUMNS,
    T_CONTENT,
    T_COSTS,
    T_INTERACTIONS,
    T_ORDER_LINES,
    T_ORDERS,
    T_SPEND,
)
from eclp.sources.tables import TABLE_COLUMNS

CUSTOMER_COLUMNS = (
    "customer_id", "email", "phone", "first_name", "last_name", "full_name", "company",
    "address1", "city", "region", "postcode", "country", "birth_date", "created_at", "channel",
    "email_consent", "sms_consent", "loyalty_id", "n_records", "sources",
)  # fmt: skip
# Store tables as sources.tables shapes them; orders and interactions carry customer_id from
# the identity map.
ORDER_COLUMNS = (*TABLE_COLUMNS[T_ORDERS], "customer_id")
ORDER_LINE_COLUMNS = TABLE_COLUMNS[T_ORDER_LINES]
INTERACTION_COLUMNS = (*TABLE_COLUMNS[T_INTERACTIONS], "customer_id")
SPEND_COLUMNS = TABLE_COLUMNS[T_SPEND]
COST_COLUMNS = TABLE_COLUMNS[T_COSTS]
CONTENT_COLUMNS = TABLE_COLUMNS[T_CONTENT]
PERSON_RECORD_COLUMNS = (
    "source",
    "source_record_id",
    "email",
    "phone",
    "email_status",
    "member_rating",
)
BATCH_COLUMNS = (
    "batch_id",
    "file_name",
    "source",
    "profile",
    "kind",
    "rows",
    "accepted",
    "rejected",
)
REJECT_COLUMNS = ("batch_id", "file", "row", "column", "value", "reason")
BLANKED_COLUMNS = REJECT_COLUMNS  # values blanked in kept rows: the rejects' shape

# Columns each frame must have for the metrics; missing ones are added as blanks.
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": CUSTOMER_COLUMNS,
    "identity_map": IDENTITY_MAP_COLUMNS,
    "orders": ORDER_COLUMNS,
    "order_lines": ORDER_LINE_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
    "spend": SPEND_COLUMNS,
    "costs": COST_COLUMNS,
    "content": CONTENT_COLUMNS,
    "person_records": PERSON_RECORD_COLUMNS,
    "batches": BATCH_COLUMNS,
    "rejects": REJECT_COLUMNS,
    "blanked": BLANKED_COLUMNS,
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass(frozen=True)
class MetricsInputs:
    """Frames as they come out of the store and identity resolution (see eclp/schema.py)."""

    customers: pd.DataFrame = field(default_factory=_empty)
    identity_map: pd.DataFrame = field(default_factory=_empty)
    orders: pd.DataFrame = field(default_factory=_empty)
    order_lines: pd.DataFrame = field(default_factory=_empty)
    interactions: pd.DataFrame = field(default_factory=_empty)
    spend: pd.DataFrame = field(default_factory=_empty)
    costs: pd.DataFrame = field(default_factory=_empty)
    content: pd.DataFrame = field(default_factory=_empty)
    person_records: pd.DataFrame = field(default_factory=_empty)
    batches: pd.DataFrame = field(default_factory=_empty)
    rejects: pd.DataFrame = field(default_factory=_empty)
    blanked: pd.DataFrame = field(default_factory=_empty)  # the store's blanked_values
    review: pd.DataFrame = field(default_factory=_empty)
    identity_stats: dict = field(default_factory=dict)

    def completed(self) -> MetricsInputs:
        """A copy where every frame has at least its required columns (absent ones blank)."""
        frames = {name: with_columns(getattr(self, name), cols) for name, cols in REQUIRED.items()}
        return MetricsInputs(**frames, review=self.review, identity_stats=dict(self.identity_stats))


def with_columns(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """The frame with any missing columns added as all-null (never mutates the input)."""
    frame = pd.DataFrame() if frame is None else frame
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return frame
    return frame.assign(**{c: np.full(len(frame), None, dtype=object) for c in missing})
