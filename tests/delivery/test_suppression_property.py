"""Property: the suppression mask drops exactly the rows carrying a suppressed identifier."""

from __future__ import annotations

import duckdb
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from eclp.delivery.suppression import add_suppressions, suppression_mask
from eclp.schema import DDL
from eclp.store import Store

emails = st.sampled_from([None, "ana@x.example", "bob@y.example", "cid@z.example", "dee@x.example"])
phones = st.sampled_from([None, "+16175550101", "+442079460958", "+4915112345678"])
ids = st.sampled_from(["1", "2", "3", "4", "5", "6"])
rows = st.lists(st.tuples(ids, emails, phones), min_size=1, max_size=12)


_STORES: list[Store] = []


def _store() -> Store:
    """One in-memory store for all examples (creating the schema costs more than a check)."""
    if not _STORES:
        store = Store(duckdb.connect(":memory:"), None)
        store.con.execute(DDL)
        _STORES.append(store)
    return _STORES[0]


@settings(max_examples=40, deadline=None)
@given(forgotten=rows, incoming=rows)
def test_mask_is_true_exactly_for_rows_sharing_a_forgotten_identifier(forgotten, incoming):
    def frame(items):
        return pd.DataFrame(
            [("shop", i, e, p) for i, e, p in items],
            columns=["source", "source_record_id", "email", "phone"],
        )

    gone, new = frame(forgotten), frame(incoming)
    store = _store()
    store.con.execute("DELETE FROM suppression")
    store.con.register("gone", gone)
    add_suppressions(store, "gone")
    store.con.unregister("gone")
    mask = suppression_mask(store, new)
    expected = (
        new["source_record_id"].isin(set(gone["source_record_id"]))
        | new["email"].isin(set(gone["email"].dropna()))
        | new["phone"].isin(set(gone["phone"].dropna()))
    )
    assert mask.tolist() == expected.tolist()
