"""Excel exports read as the analyst sees them: the right sheet, the real header, cells as displayed text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eclp.errors import SourceError
from eclp.sources.excel import cell_text
from eclp.sources.reader import read_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reader"


def records(table) -> list[list[str | None]]:
    return table.frame.to_numpy().tolist()


def test_loyalty_workbook_with_two_title_rows():
    table = read_table(FIXTURES / "loyalty_titles.xlsx")
    assert (table.sheet, table.header_row, table.encoding, table.delimiter) == (
        "Members",
        3,
        None,
        None,
    )
    assert table.preamble == ("Loyalty members – Store 12", "Exported 2024-03-05")
    assert list(table.frame.columns) == [
        "Card No",
        "Name",
        "Mobile",
        "Postcode",
        "Joined",
        "Points",
        "Spend",
    ]
    assert records(table) == [
        [
            "8779761975521",
            "Jürgen Müller",
            "447700900123",
            "02139",
            "2024-03-05 14:30:00",
            "120",
            "12.5",
        ],
        ["1002", "'0123 Ann", "'07700 900124", None, "2024-03-05", "0", "1234.56"],
        ["1003", "Bob Lee", None, None, "2024-03-05", None, "12,50"],
    ]
    assert table.rows.tolist() == [4, 5, 6]
    assert table.footer == ("Total 120 1259.06",)


def test_default_sheet_is_the_first_with_data():
    table = read_table(FIXTURES / "multi_sheet.xlsx")
    assert (table.sheet, records(table)) == ("Orders", [["#1", "ann@example.com", "10"]])


def test_sheet_by_name_case_insensitive():
    table = read_table(FIXTURES / "multi_sheet.xlsx", sheet="people")
    assert (table.sheet, list(table.frame.columns), records(table)) == (
        "People",
        ["Email", "Name"],
        [["bob@example.com", "Bob"]],
    )


def test_missing_sheet_names_the_sheets_that_exist():
    with pytest.raises(SourceError) as caught:
        read_table(FIXTURES / "multi_sheet.xlsx", sheet="Customers")
    assert str(caught.value) == (
        "multi_sheet.xlsx: no sheet named 'Customers'; the workbook has 'Cover', 'Orders', 'People'"
    )


def test_password_protected_xlsx_is_refused():
    with pytest.raises(SourceError, match="password-protected"):
        read_table(FIXTURES / "password.xlsx")


def test_corrupt_xlsx_is_refused_in_one_line():
    with pytest.raises(SourceError) as caught:
        read_table(FIXTURES / "corrupt.xlsx")
    assert str(caught.value).startswith("corrupt.xlsx: the Excel file is corrupt or unreadable")
    assert "\n" not in str(caught.value)


def test_legacy_xls():
    table = read_table(FIXTURES / "legacy.xls")
    assert (table.sheet, records(table)) == (
        "Export",
        [["ann@example.com", "447700900123", "2024-03-05"]],
    )


def test_xlsx_bytes_from_a_zip_member():
    table = read_table((FIXTURES / "multi_sheet.xlsx").read_bytes(), name="a.zip/orders.xlsx")
    assert (table.name, table.sheet) == ("a.zip/orders.xlsx", "Orders")


def test_explicit_header_row_and_data_starting_off_a1(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "Email", "Name"
    ws["B4"], ws["C4"] = "ann@example.com", "Ann"
    wb.save(tmp_path / "offset.xlsx")
    table = read_table(tmp_path / "offset.xlsx", header_row=3)
    assert list(table.frame.columns) == ["Column 1", "Email", "Name"]
    assert (records(table), table.rows.tolist()) == ([[None, "ann@example.com", "Ann"]], [4])
    assert read_table(tmp_path / "offset.xlsx").header_row == 3


def test_empty_workbook_is_an_empty_table(tmp_path):
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    table = read_table(tmp_path / "blank.xlsx")
    assert table.frame.empty and table.header_row == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8779761975521.0, "8779761975521"),
        (2.0, "2"),
        (12.5, "12.5"),
        (1e-05, "0.00001"),
        (True, "TRUE"),
        (dt.datetime(2024, 3, 5), "2024-03-05"),
        (dt.datetime(2024, 3, 5, 14, 30), "2024-03-05 14:30:00"),
        (dt.date(2024, 3, 5), "2024-03-05"),
        (dt.time(14, 30), "14:30:00"),
        ("", None),
        ("   ", None),
        ("'0123", "'0123"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integral_floats_never_gain_a_decimal_point(number):
    assert cell_text(float(number)) == str(number)
