"""The store: all-or-nothing transactions and keyed upserts where newer wins."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.store import Store, upsert

KEY = ("source", "source_record_id")


def people(ids, emails, updated):
    return pd.DataFrame({
        "source": "crm", "source_record_id": ids, "email": emails,
        "updated_at": pd.to_datetime(updated), "file": "f.csv", "row": range(2, 2 + len(ids)),
        "batch_id": 1,
    })  # fmt: skip


def test_upsert_counts_new_and_updated_and_replaces():
    with Store.open(None) as store:
        assert upsert(store.con, "person_records", people(["1", "2"], ["a@x.io", "b@x.io"],
                      ["2024-01-01"] * 2), KEY) == (2, 0)  # fmt: skip
        assert upsert(store.con, "person_records", people(["2", "3"], ["b2@x.io", "c@x.io"],
                      ["2024-02-01"] * 2), KEY) == (1, 1)  # fmt: skip
        stored = store.frame("person_records").set_index("source_record_id")["email"]
        assert stored.to_dict() == {"1": "a@x.io", "2": "b2@x.io", "3": "c@x.io"}


def test_an_older_snapshot_does_not_roll_a_record_back():
    with Store.open(None) as store:
        upsert(store.con, "person_records", people(["1"], ["new@x.io"], ["2024-06-01"]), KEY,
               newer_column="updated_at")  # fmt: skip
        upsert(store.con, "person_records", people(["1"], ["old@x.io"], ["2024-01-01"]), KEY,
               newer_column="updated_at")  # fmt: skip
        assert store.frame("person_records")["email"].tolist() == ["new@x.io"]


def test_a_failed_transaction_changes_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store.open(path) as store:
        upsert(store.con, "person_records", people(["1"], ["a@x.io"], ["2024-01-01"]), KEY)
        with pytest.raises(RuntimeError), store.transaction() as con:
            upsert(con, "person_records", people(["1", "2"], ["z@x.io", "b@x.io"],
                   ["2024-02-01"] * 2), KEY)  # fmt: skip
            raise RuntimeError("crash mid-file")
    with Store.open(path, read_only=True) as store:
        assert store.frame("person_records")["email"].tolist() == ["a@x.io"]
