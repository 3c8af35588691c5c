"""Values blanked as invalid in rows that were kept: stored with file, row, column and reason,
shown on the Data quality sheet, and erased with the person they belong to."""

from __future__ import annotations

import json
import shutil
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from eclp.build import build
from eclp.config import Config, parse_config
from eclp.delivery.privacy import export_subject, forget
from eclp.ingest import ingest_files
from eclp.metrics.quality import blanked_table
from eclp.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
# Mailchimp audience export: Jane's email is not an email, Grace's phone is "12", and the last
# row has nothing but a junk phone (rejected: nobody, so its blanked phone is no warning).
MEMBERS = "subscribed_members_export_blanked.csv"
STORED = [
    (MEMBERS, 3, "email", "jane.doe(at)example.com", "invalid email"),
    (MEMBERS, 4, "phone", "12", "invalid phone"),
]


def ingest(ws, *names, config: Config | None = None, **kw):
    return ingest_files(ws, [FIXTURES / n for n in names], config=config or Config(), **kw)


def blanked(ws) -> list[tuple]:
    with Store.open(ws.store_path, read_only=True) as store:
        frame = store.frame("blanked_values").sort_values(["row", "column"])
    return [tuple(r) for r in frame[["file", "row", "column", "value", "reason"]].values]


def table(ws, name: str) -> pd.DataFrame:
    with Store.open(ws.store_path, read_only=True) as store:
        return store.frame(name)


def test_ingest_stores_each_blanked_value_with_file_row_column_and_reason(workspace):
    [report] = ingest(workspace, MEMBERS)
    assert (report.profile, report.rows, report.accepted, report.rejected) == ("mailchimp", 4, 3, 1)
    assert report.blanked == 2
    assert blanked(workspace) == STORED
    stored = table(workspace, "blanked_values")
    assert set(stored["batch_id"]) == {report.batch_id}
    # The rows were kept, with the invalid value blank and the raw text beside it.
    people = table(workspace, "person_records").set_index("row")
    assert people.loc[3, "email"] is None and people.loc[3, "email_raw"] == STORED[0][3]
    assert people.loc[4, "phone"] is None and people.loc[4, "phone_raw"] == "12"


def test_dry_run_counts_blanked_values_but_stores_none(workspace):
    [report] = ingest(workspace, MEMBERS, dry_run=True)
    assert report.blanked == 2 and report.batch_id is None
    assert blanked(workspace) == []


def test_a_failed_ingest_stores_no_blanked_values(workspace, monkeypatch):
    ingest(workspace, "customers_v1.csv")
    import eclp.ingest as pipeline

    real = pipeline._append

    def fail_after_blanked(con, name, frame):
        real(con, name, frame)
        if name == "blanked_values":  # written inside the transaction, then the disk fills up
            raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_append", fail_after_blanked)
    with pytest.raises(RuntimeError):
        ingest(workspace, MEMBERS)
    assert blanked(workspace) == []
    assert len(table(workspace, "batches")) == 1
    assert set(table(workspace, "person_records")["source"]) == {"shopify_customers"}


def test_blanked_table_counts_values_per_source_column_and_reason():
    issues = pd.DataFrame(
        [
            (1, "members.csv", 9, "email", "x@", "invalid email"),
            (1, "members.csv", 4, "email", "jo(at)mail.com", "invalid email"),
            (1, "members.csv", 4, "phone", "12", "invalid phone"),
            (2, "customers.csv", 2, "phone", "n.a.", "invalid phone"),
        ],
        columns=["batch_id", "file", "row", "column", "value", "reason"],
    )
    batches = pd.DataFrame({"batch_id": [1, 2], "source": ["mailchimp", "shopify"]})
    result = blanked_table(issues, batches)
    assert result.values.tolist() == [
        ["mailchimp", "members.csv", "email", "invalid email", 2, 4, "jo(at)mail.com"],
        ["mailchimp", "members.csv", "phone", "invalid phone", 1, 4, "12"],
        ["shopify", "customers.csv", "phone", "invalid phone", 1, 2, "n.a."],
    ]


def _section(workbook: Path) -> list[tuple]:
    """The rows of the Data quality sheet's "Values blanked (row kept)" table."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl drops data-bar extensions it does not know
        sheet = openpyxl.load_workbook(workbook)["Data quality"]
    cells = sheet[sheet.tables["Blanked"].ref]
    assert sheet.cell(cells[0][0].row - 1, 1).value == "Values blanked (row kept)"
    return [tuple(c.value for c in row) for row in cells]


@pytest.mark.parametrize(
    ("mask", "examples"),
    [(False, ["jane.doe(at)example.com", "12"]), (True, ["j***", "**"])],
)
def test_data_quality_sheet_shows_blanked_values_by_reason(workspace, mask, examples):
    config = parse_config(f"privacy:\n  mask_pii: {str(mask).lower()}\n")
    ingest(workspace, MEMBERS, config=config)
    result = build(workspace, config=config, as_of=date(2025, 10, 1))
    header, *rows = _section(result.workbook)
    assert header == ("Source", "File", "Column", "Reason", "Values", "Example row",
                      "Example value")  # fmt: skip
    assert rows == [
        ("mailchimp", MEMBERS, "email", "invalid email", 1, 3, examples[0]),
        ("mailchimp", MEMBERS, "phone", "invalid phone", 1, 4, examples[1]),
    ]


def test_export_subject_includes_their_blanked_values(workspace, tmp_path):
    ingest(workspace, MEMBERS)
    with Store.open(workspace.store_path, read_only=True) as store:
        json_path, _ = export_subject(store, "Jane Doe", tmp_path / "jane")
    held = json.loads(json_path.read_text())["tables"]["blanked_values"]
    assert [(r["row"], r["column"], r["value"]) for r in held] == [
        (3, "email", "jane.doe(at)example.com")
    ]


def test_forget_erases_their_blanked_values_and_keeps_everyone_elses(workspace, tmp_path):
    ingest(workspace, MEMBERS)
    with Store.open(workspace.store_path) as store:
        report = forget(store, "Jane Doe")
    assert report.removed["blanked_values"] == 1
    assert blanked(workspace) == STORED[1:]
    # An export re-read later (same rows, new file) brings back neither her row nor its warning.
    again = tmp_path / "subscribed_members_export_later.csv"
    shutil.copy(FIXTURES / MEMBERS, again)
    with again.open("a") as fh:
        fh.write("new.member@example.com,New,Member,,,,,2,,,,,,,,,,GB,,,,,,\n")
    [report] = ingest_files(workspace, [again], config=Config())
    assert report.blanked == 1
    later = [r for r in blanked(workspace) if r[0] == again.name]
    assert later == [(again.name, 4, "phone", "12", "invalid phone")]


def test_a_store_from_before_blanked_values_keeps_working(workspace, tmp_path):
    ingest(workspace, "customers_v1.csv")
    with Store.open(workspace.store_path) as store:
        store.con.execute("DROP TABLE blanked_values")  # as an older eclp left it
    with Store.open(workspace.store_path, read_only=True) as store:  # no migration read-only
        json_path, _ = export_subject(store, "Ana Lima", tmp_path / "ana")
    assert "blanked_values" not in json.loads(json_path.read_text())["tables"]
    [report] = ingest(workspace, MEMBERS)  # a writable open adds the table
    assert report.error is None and blanked(workspace) == STORED
