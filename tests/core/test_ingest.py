"""The ingest pipeline: every row accounted for, idempotent, one file = one transaction."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eclp.config import Config
from eclp.ingest import ingest_files, prepare_file
from eclp.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def ingest(ws, *names, **kw):
    return ingest_files(ws, [FIXTURES / n for n in names], config=Config(), **kw)


def table(ws, name):
    with Store.open(ws.store_path, read_only=True) as store:
        return store.frame(name)


def test_line_item_rows_become_orders_with_lines(workspace):
    [report] = ingest(workspace, "orders_export_1.csv")
    assert report.profile == "shopify_orders" and report.error is None
    orders = table(workspace, "orders").set_index("order_id")
    assert sorted(orders.index) == ["#1001", "#1002", "#1005"]
    first = orders.loc["#1001"]
    assert first["total"] == pytest.approx(66.45)
    # 17:09:34 at -0300 is 20:09:34 UTC
    assert first["order_date"] == pd.Timestamp("2025-10-02 20:09:34")
    assert first["units"] == 3
    lines = table(workspace, "order_lines")
    assert sorted(lines.loc[lines["order_id"] == "#1001", "sku"]) == ["MG-003", "TS-001"]
    assert orders.loc["#1002", "refunded"] == pytest.approx(94.56)


def test_every_row_is_accepted_or_rejected_with_a_reason(workspace):
    [report] = ingest(workspace, "orders_export_1.csv")
    assert report.rows == 6
    assert report.accepted + report.rejected == report.rows
    assert report.rejected == 2
    rejects = pd.read_csv(report.rejects_file)
    assert set(rejects.columns) >= {"file", "row", "column", "value", "reason"}
    by_row = rejects.groupby("row")["reason"].first()
    assert "order_id" in by_row.loc[5]  # the row with a blank order number
    assert "order_date" in by_row.loc[6]  # "31/31/2025 99:00"
    stored = table(workspace, "rejects")
    assert sorted(stored["row"].unique()) == [5, 6]


def test_the_same_file_twice_is_skipped_and_changes_nothing(workspace):
    ingest(workspace, "orders_export_1.csv")
    before = {t: len(table(workspace, t)) for t in ("orders", "order_lines", "person_records")}
    [again] = ingest(workspace, "orders_export_1.csv")
    assert again.skipped
    after = {t: len(table(workspace, t)) for t in ("orders", "order_lines", "person_records")}
    assert after == before
    assert len(table(workspace, "batches")) == 1


def test_a_newer_snapshot_replaces_records_without_double_counting(workspace):
    [v1] = ingest(workspace, "customers_v1.csv")
    assert (v1.new, v1.updated) == (3, 0)
    [v2] = ingest(workspace, "customers_v2.csv")
    assert (v2.new, v2.updated) == (1, 3)
    people = table(workspace, "person_records").set_index("source_record_id")
    assert len(people) == 4
    assert people.loc["8779761975522", "email"] == "robert.stone@work-mail.com"


def test_a_failed_ingest_leaves_the_store_unchanged(workspace, monkeypatch):
    ingest(workspace, "customers_v1.csv")
    before = table(workspace, "person_records").sort_values("source_record_id")
    import eclp.ingest as pipeline

    real = pipeline.upsert
    calls = {"n": 0}

    def failing(con, name, frame, key, **kw):
        calls["n"] += 1
        if name == "orders":  # person records of the file were already written in the transaction
            raise RuntimeError("disk full")
        return real(con, name, frame, key, **kw)

    monkeypatch.setattr(pipeline, "upsert", failing)
    with pytest.raises(RuntimeError):
        ingest(workspace, "orders_export_1.csv")
    assert calls["n"] >= 2
    after = table(workspace, "person_records").sort_values("source_record_id")
    pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))
    assert table(workspace, "orders").empty
    assert len(table(workspace, "batches")) == 1


def test_unrecognised_and_binary_files_are_refused_with_their_name(workspace):
    reports = ingest(workspace, "mystery.csv", "not_really.csv", "customers_v1.csv")
    mystery, binary, good = reports
    assert mystery.error and "mystery.csv" in mystery.error and "eclp map" in mystery.error
    assert binary.error and "not_really.csv" in binary.error
    assert good.error is None and good.accepted == 3
    assert "\n" not in mystery.error


def test_dry_run_stores_nothing_but_reports_counts(workspace):
    [report] = ingest(workspace, "customers_v1.csv", dry_run=True)
    assert (report.profile, report.rows, report.accepted, report.new) == (
        "shopify_customers",
        3,
        3,
        3,
    )
    assert table(workspace, "person_records").empty
    assert table(workspace, "batches").empty


def test_prepare_file_normalises_identity_fields():
    [prepared] = prepare_file(FIXTURES / "customers_v1.csv")
    people = prepared.tables["person_records"].set_index("source_record_id")
    ana = people.loc["8779761975521"]
    assert ana["phone"] == "+16175550101"
    assert ana["postcode"] == "02139"
    assert ana["full_name"] == "Ana Lima"
    dev = people.loc["8779761975523"]
    assert dev["country"] == "GB" and dev["phone"] == "+442079460958"
