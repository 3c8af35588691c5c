"""Builders of small person-record frames, shaped like the store's person_records table."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.sources.tables import PERSON_COLUMNS

# The store's person_records columns, plus lineage.
COLUMNS = [*PERSON_COLUMNS, "file", "row", "batch_id"]


def people(*rows: dict) -> pd.DataFrame:
    """Person records from dicts; unnamed fields are blank, ids default to r1, r2, …"""
    filled = []
    for i, row in enumerate(rows, start=1):
        rec = dict.fromkeys(COLUMNS)
        rec.update(source="shop", source_record_id=f"r{i}", kind="people", file="f.csv", row=i + 1)
        rec.update(row)
        filled.append(rec)
    frame = pd.DataFrame(filled, columns=COLUMNS)
    for col in ("birth_date", "created_at", "updated_at"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def filler(count: int) -> list:
    """Other customers, so a value's frequency is judged against a real population."""
    return [
        {
            "source": "shopify",
            "source_record_id": f"f{i}",
            "email": f"person{i}@example.com",
            "first_name": ["Anna", "Tom", "Priya", "Lee"][i % 4],
            "last_name": f"Surname{i % 97}",
            "address1": f"{i} Station Road",
            "postcode": f"{1000 + i}",
        }
        for i in range(count)
    ]


def customer_of(resolution, source: str, record_id: str) -> str:
    """The customer id a record landed in."""
    imap = resolution.identity_map
    hit = imap[(imap["source"] == source) & (imap["source_record_id"] == record_id)]
    assert len(hit) == 1
    return hit["customer_id"].iloc[0]


def same_customer(resolution, *keys: tuple[str, str]) -> bool:
    """Whether all (source, record id) keys are one customer."""
    return len({customer_of(resolution, s, r) for s, r in keys}) == 1


@pytest.fixture
def build():
    return people
