"""The dashboard workbook read back: sheets, tables, formats, charts, answers, safety."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest

from eclp.workbook import sheet_plan, write_customer_tables, write_workbook

SHEETS = ["Overview", "Customers", "RFM", "Channels", "Cohorts", "Customer groups", "Content",
          "Data quality", "Review", "Models"]  # fmt: skip


def _rows(ws, first=1, last=None):
    return list(ws.iter_rows(min_row=first, max_row=last or ws.max_row, values_only=True))


def test_sheets_in_order(book):
    assert book.sheetnames == SHEETS


def test_content_sheet_only_when_content_exists(dashboard, make_dashboard):
    empty = make_dashboard()
    object.__setattr__(empty, "content", dashboard.content.iloc[0:0])
    assert "Content" not in sheet_plan(empty)


def test_customers_is_a_table_with_typed_cells(book):
    ws = book["Customers"]
    assert list(ws.tables) == ["Customers"] and ws.tables["Customers"].ref == "A1:AN7"
    assert ws.freeze_panes == "B2"
    header = _rows(ws, 1, 1)[0]
    assert header[:3] == ("Customer ID", "Name", "Email") and "Segment" in header
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in _rows(ws, 2)}
    alice = rows["C1"]
    assert (alice["Orders"], alice["Net revenue"], alice["Segment"], alice["ABC"]) == (
        3,
        600,
        "Potential Loyalists",
        "A",
    )
    assert alice["First order"] == dt.datetime(2025, 1, 10, 10, 0)
    assert alice["Email consent"] is True
    assert rows["C4"]["Segment"] is None and rows["C4"]["Orders"] == 0
    cell = ws.cell(row=2, column=header.index("Net revenue") + 1)
    assert "#,##0.00" in cell.number_format and "$" in cell.number_format
    assert ws.cell(row=2, column=header.index("First order") + 1).number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=header.index("P(alive)") + 1).number_format == "0.0%"
    assert ws.column_dimensions["C"].width > 20


def test_text_that_looks_like_a_formula_stays_text(book, workbook_path):
    rows = {r[0]: r for r in _rows(book["Customers"], 2)}
    eve = rows["C5"]
    assert eve[1] == "+1+1 @SUM(A1)" and eve[2] == '=HYPERLINK("http://x")' and eve[8] == "-2+3"
    quality = [v for r in _rows(book["Data quality"]) for v in r if v is not None]
    assert "=1+2" in quality  # a rejected value shown as the text it was
    with zipfile.ZipFile(workbook_path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) for n in sheets)


def test_overview_kpis_answers_and_charts(book, dashboard):
    ws = book["Overview"]
    assert [ws.cell(4, c).value for c in range(2, 9)] == [
        "Customers", "Buyers", "Net revenue", "Orders", "AOV", "Repeat rate", "Predicted value"]  # fmt: skip
    assert [ws.cell(5, c).value for c in range(2, 7)] == [6, 4, 780, 6, 130]
    answers = [ws.cell(r, 4).value for r in (8, 9, 10)]
    assert answers == [dashboard.answers[k] for k in ("channels", "groups", "content")]
    assert answers[0].startswith("Most profitable channel: Email")
    assert len(ws._charts) == 3
    notes = [r[1] for r in _rows(ws, 12, 20) if r[1]]
    assert "1 payment records duplicating a shop order were folded into it." in notes


def test_rfm_and_cohort_heat_maps_have_conditional_formats(book):
    for name in ("RFM", "Cohorts", "Channels", "Data quality"):
        assert len(book[name].conditional_formatting) >= 1, name
    rfm = book["RFM"]
    assert rfm.cell(3, 1).value == "Potential Loyalists" and rfm.cell(3, 4).value == 600
    assert "Segments" in rfm.tables and "AbcClasses" in rfm.tables


def test_channels_and_models_sheets(book):
    channels = book["Channels"]
    header = [c.value for c in channels[2]]
    first = dict(zip(header, [c.value for c in channels[3]], strict=True))
    assert (first["Channel"], first["Profit after ads & fulfilment"], first["ROAS"]) == (
        "Email",
        281,
        60,
    )
    models = {(r[0], r[1]) for r in _rows(book["Models"], 3) if r[0]}
    assert ("BG/NBD", "r") in models and ("Gamma-Gamma", "p") in models


def test_review_sheet_lists_queued_pairs(book):
    rows = _rows(book["Review"], 2)
    assert rows[0][:2] == ("A customer id", "B customer id") and rows[1][:3] == ("C2", "C3", 0.71)
    assert rows[1][5] == "@bob"


def test_same_input_same_bytes(dashboard, workbook_path, tmp_path):
    again = write_workbook(dashboard, tmp_path / "again.xlsx")
    assert again.read_bytes() == workbook_path.read_bytes()


def test_a_failed_write_leaves_the_previous_workbook(dashboard, tmp_path, monkeypatch):
    target = tmp_path / "dashboard.xlsx"
    target.write_bytes(b"last good workbook")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("eclp.workbook.bigsheet.finish", crash)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(dashboard, target)
    assert target.read_bytes() == b"last good workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["dashboard.xlsx"]


def test_more_customers_than_the_row_limit_split_over_sheets(tmp_path, make_dashboard):
    import openpyxl

    dash = make_dashboard(max_excel_rows=4)
    path = write_workbook(dash, tmp_path / "split.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1:3] == ["Customers", "Customers 2"]
    first, second = book["Customers"], book["Customers 2"]
    assert [r[0] for r in _rows(first, 2)] == ["C1", "C2", "C3", "C4"]
    assert [r[0] for r in _rows(second, 2)] == ["C5", "C6"]
    assert second.tables["Customers2"].ref == "A1:AN3"
    notes = " ".join(str(r[1]) for r in _rows(book["Overview"]) if r[1])
    assert "split over Customers, Customers 2" in notes


def test_customer_tables_hold_everyone(dashboard, tmp_path):
    csv_path, parquet_path = write_customer_tables(dashboard, tmp_path)
    csv = pd.read_csv(csv_path)
    parquet = pd.read_parquet(parquet_path)
    assert (
        csv["customer_id"].tolist()
        == parquet["customer_id"].tolist()
        == ["C1", "C2", "C3", "C4", "C5", "C6"]
    )
    assert parquet.set_index("customer_id").loc["C1", "net_revenue"] == 600.0
    # Excel would run the formula in a CSV: it is quoted there, exact in the Parquet copy.
    assert csv.set_index("customer_id").loc["C5", "email"] == '\'=HYPERLINK("http://x")'
    assert parquet.set_index("customer_id").loc["C5", "email"] == '=HYPERLINK("http://x")'


def test_masked_outputs_hide_emails_and_phones(dashboard, tmp_path):
    import openpyxl

    path = write_workbook(dashboard, tmp_path / "masked.xlsx", mask_pii=True)
    rows = {r[0]: r for r in _rows(openpyxl.load_workbook(path)["Customers"], 2)}
    assert rows["C1"][2:4] == ("a***@example.com", "+44*******001")
    csv = pd.read_csv(write_customer_tables(dashboard, tmp_path, mask_pii=True)[0])
    assert csv.loc[0, "email"] == "a***@example.com"
    with zipfile.ZipFile(path) as z:
        assert not any(re.search(rb"alice@example\.com", z.read(n)) for n in z.namelist())


def test_empty_dashboard_writes_a_valid_workbook(tmp_path):
    import openpyxl

    from eclp.metrics import MetricsInputs, MetricsSettings, compute_dashboard

    dash = compute_dashboard(MetricsInputs(), as_of=dt.date(2025, 1, 1), settings=MetricsSettings())
    book = openpyxl.load_workbook(write_workbook(dash, tmp_path / "empty.xlsx"))
    assert book["Customers"].tables["Customers"].ref == "A1:AN2"
    assert book["Overview"].cell(5, 2).value == 0


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed"
)
def test_libreoffice_converts_the_workbook(workbook_path, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(workbook_path)],
                   check=True, timeout=180, capture_output=True)  # fmt: skip
    text = (tmp_path / "dashboard.csv").read_text(encoding="utf-8", errors="replace")
    assert "Customer dashboard" in text


def test_every_part_is_well_formed_xml_even_with_control_characters(make_dashboard, tmp_path):
    from xml.etree import ElementTree

    import openpyxl

    dashboard = make_dashboard()
    customers = dashboard.customers.copy()
    customers.loc[0, "full_name"] = "\x00Ann\x0b & <Bo> "
    object.__setattr__(dashboard, "customers", customers)  # a private copy, not the shared fixture
    path = write_workbook(dashboard, tmp_path / "odd.xlsx")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))
    assert openpyxl.load_workbook(path)["Customers"]["B2"].value == "Ann & <Bo> "
