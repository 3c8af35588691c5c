"""The reader turns real-world CSV exports into text tables with row numbers, or refuses them in one line."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eclp.errors import SourceError
from eclp.sources.raw import RowReject
from eclp.sources.reader import read_inputs, read_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "reader"


def read(name: str, **options):
    return read_table(FIXTURES / name, **options)


def records(table) -> list[list[str | None]]:
    return table.frame.to_numpy().tolist()


# --- encodings ----------------------------------------------------------------------------------


def test_utf8_without_bom_keeps_accents():
    table = read("utf8.csv")
    assert table.encoding == "utf-8"
    assert list(table.frame.columns) == ["First Name", "Last Name", "City"]
    assert records(table) == [["Jürgen", "Müller", "Köln"], ["Zoë", "Łukasiewicz", "Kraków"]]


def test_utf8_bom_is_not_part_of_the_first_header():
    table = read("utf8_bom.csv")
    assert list(table.frame.columns) == ["Email", "First Name"]
    assert records(table) == [["ann@example.com", "Ann"]]


def test_utf16le_tab_google_ads_excel_csv():
    table = read("utf16le_bom_tab.csv")
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-16-le", "\t", 3)
    assert table.preamble == ("Campaign performance", "September 29, 2025 - September 29, 2025")
    assert records(table)[1] == ["Shoes – Müller", "Paused", "--", "--", "USD", "--"]
    assert table.footer == ("Total: account\t\t1,240\t50,000\tUSD\t$3,200.00",)
    assert table.rows.tolist() == [4, 5]


def test_utf16be_with_bom():
    table = read("utf16be_bom.csv")
    assert table.encoding == "utf-16-be"
    assert records(table)[0][:2] == ["#1001", "ann@example.com"]


def test_cp1252_is_detected_and_decoded():
    table = read("cp1252.csv")
    assert table.encoding == "cp1252"
    assert records(table) == [
        ["Müller", "Café Zürich", "12,50 €"],
        ["José Peña", "Crème brûlée", "3,00 €"],
    ]


def test_explicit_encoding_wins_over_detection(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Name\nGroß\n".encode("latin-1"))
    assert records(read_table(path, encoding="latin-1")) == [["Groß"]]


def test_encoding_names_are_normalised_and_unknown_ones_refused(tmp_path):
    path = tmp_path / "named.csv"
    path.write_bytes("Name\nGroß\n".encode())
    assert read_table(path, encoding="UTF8").encoding == "utf-8"
    with pytest.raises(SourceError, match="unknown encoding 'klingon'"):
        read_table(path, encoding="klingon")


def test_utf8_top_with_cp1252_further_down_is_still_read(tmp_path):
    path = tmp_path / "late.csv"
    ascii_rows = "".join(f"user{i}@example.com,Plain\n" for i in range(8000))
    path.write_bytes(("Email,Name\n" + ascii_rows + "last@example.com,Müller\n").encode("cp1252"))
    table = read_table(path)
    assert records(table)[-1] == ["last@example.com", "Müller"]
    assert (table.rows[-1], table.encoding) == (8002, "cp1252")


# --- delimiters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "delimiter", "first"),
    [
        ("comma.csv", ",", ["#1001", "ann@example.com", "19.99", "2025-10-02 17:09:34 -0300"]),
        ("semicolon.csv", ";", ["ann@example.com", "1.234,56", "Lyon"]),
        ("tab.tsv", "\t", ["ann@example.com", "3.50"]),
        ("pipe.txt", "|", ["ann@example.com", "+44 7700 900123", "a, b"]),
    ],
)
def test_delimiter_is_sniffed(name, delimiter, first):
    table = read(name)
    assert table.delimiter == delimiter
    assert records(table)[0] == first


def test_decimal_commas_stay_text():
    assert [r[1] for r in records(read("semicolon.csv"))] == ["1.234,56", "0,99"]


def test_given_delimiter_is_used(tmp_path):
    path = tmp_path / "both.csv"
    path.write_bytes(b"a;b,c\n1;2,3\n")
    assert list(read_table(path).frame.columns) == ["a;b", "c"]
    table = read_table(path, delimiter=";")
    assert (table.delimiter, list(table.frame.columns), records(table)) == (
        ";",
        ["a", "b,c"],
        [["1", "2,3"]],
    )


# --- layout: titles, comments, header, footers --------------------------------------------------


def test_google_ads_title_lines_and_total_rows():
    table = read("google_ads_titles.csv")
    assert table.header_row == 3
    assert table.preamble == ("Campaign performance", "September 29, 2025 - September 29, 2025")
    assert [r[0] for r in records(table)] == ["Brand", "Retargeting"]
    assert [line.split(",")[0] for line in table.footer] == [
        "Total: account",
        "Total: Search campaigns",
    ]
    assert table.rows.tolist() == [4, 5]


def test_ga4_comment_block_and_second_table_goes_to_footer():
    table = read("ga4_comments.csv")
    assert table.header_row == 9
    assert table.preamble[-2:] == ("# Start date: 20260501", "# End date: 20260531")
    assert table.frame.columns[0] == "Session primary channel group (Default Channel Group)"
    assert records(table) == [
        ["Organic Search", "1200", "1500", "3400.50"],
        ["Paid Search", "800", "950", "2100"],
    ]
    assert "Page path and screen class,Views" in table.footer
    assert table.footer[-1] == "/shop,1200"


def test_shopify_order_names_starting_with_hash_are_data_not_comments():
    assert [r[0] for r in records(read("comma.csv"))] == ["#1001", "#1002"]


def test_salesforce_footers_go_but_a_data_row_named_total_stays():
    table = read("salesforce_footer.csv")
    assert records(table) == [
        ["Ann", "Lee", "ann@example.com"],
        ["Total", "Gym", "gym@example.com"],
    ]
    assert table.footer == (
        "Grand Totals (2 records)",
        "Confidential Information - Do Not Distribute",
        "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
    )


def test_header_row_detected_below_title_and_blank_lines():
    table = read("header_detect.csv")
    assert table.header_row == 4
    assert list(table.frame.columns) == ["Email", "Phone", "Joined"]
    assert table.rows.tolist() == [5, 6]


def test_header_hints_pick_the_known_header(tmp_path):
    path = tmp_path / "hinted.csv"
    path.write_bytes(b"Report,Shop A\nEmail Address,First Name\nann@example.com,Ann\n")
    assert read_table(path).header_row == 1
    hinted = read_table(path, header_hints=frozenset({"email address", "first name"}))
    assert hinted.header_row == 2
    assert records(hinted) == [["ann@example.com", "Ann"]]


def test_explicit_header_row(tmp_path):
    path = tmp_path / "explicit.csv"
    path.write_bytes(b"a,b\nc,d\ne,f\n")
    table = read_table(path, header_row=2)
    assert (list(table.frame.columns), records(table), table.preamble) == (
        ["c", "d"],
        [["e", "f"]],
        ("a,b",),
    )


def test_duplicate_and_blank_headers_are_made_unique():
    table = read("duplicate_headers.csv")
    assert list(table.frame.columns) == [
        "Order Number",
        "Item Cost",
        "Item Cost (2)",
        "Column 4",
        "item cost (3)",
    ]
    assert records(table) == [["1", "2.00", "3.00", "x", "4"]]


# --- cells and rows -----------------------------------------------------------------------------


def test_apostrophe_prefixes_are_kept_for_the_normalisers():
    assert records(read("shopify_customers_apostrophe.csv")) == [
        ["'8779761975521", "Ann", "ann@example.com", "'+8801912010701", "'02139"]
    ]


def test_blank_cells_are_none_and_blank_rows_are_dropped():
    table = read("blank_cells.csv")
    assert records(table) == [["ann@example.com", None, None], ["bob@example.com", "Bob", None]]
    assert table.rows.tolist() == [2, 5]
    assert table.frame.dtypes.tolist() == [object, object, object]


def test_quoted_fields_with_newlines_delimiters_and_quotes():
    table = read("quoted_newlines.csv")
    assert records(table) == [
        ["1", "line one\nline two, with comma", "a"],
        ["2", 'say "hi"; bye', "b"],
        ["3", "plain", "c"],
    ]
    assert table.rows.tolist() == [2, 4, 5]


def test_a_one_megabyte_cell(tmp_path):
    path = tmp_path / "large_field.csv"
    big = "x" * 1_000_000 + ', "quoted"\nnewline'
    path.write_text(
        'Id,Notes,Tag\n1,"' + big.replace('"', '""') + '",a\n2,short,b\n', encoding="utf-8"
    )
    table = read_table(path)
    assert records(table)[0][1] == big
    assert records(table)[1] == ["2", "short", "b"]
    assert table.rows.tolist() == [2, 4]  # the cell's own newline puts the next record on line 4


def test_a_cell_larger_than_the_parse_block(tmp_path, monkeypatch):
    monkeypatch.setattr("eclp.sources.delimited._BLOCK_BYTES", 1024)
    path = tmp_path / "straddle.csv"
    path.write_text("Id,Notes\n1," + "y" * 20_000 + "\n2,short\n", encoding="utf-8")
    table = read_table(path)
    assert [len(r[1]) for r in records(table)] == [20_000, 5]


def test_ragged_rows_long_rejected_short_padded():
    table = read("ragged.csv")
    assert records(table) == [
        ["1", "2", "3"],
        ["8", "9", None],
        ["10", "11", "12"],
        ["13", "14", "15"],
    ]
    assert table.rows.tolist() == [2, 4, 5, 6]
    assert table.rejects == (RowReject(3, "ragged row: 4 fields, header has 3", "4,5,6,7"),)


def test_row_numbers_survive_blank_lines_multiline_cells_and_ragged_rows():
    table = read_table(b'a,b\n1,2\n\n\n"x\ny",3\n4,5,6\n\n7\n8,9\n', name="mixed.csv")
    assert records(table) == [["1", "2"], ["x\ny", "3"], ["7", None], ["8", "9"]]
    assert table.rows.tolist() == [2, 5, 9, 10]
    assert [r.row for r in table.rejects] == [7]


def test_every_line_is_a_kept_row_a_reject_or_layout(tmp_path):
    lines = ["a,b"] + [f"{i},{i}" if i % 7 else f"{i},{i},{i}" for i in range(1, 200)]
    path = tmp_path / "accounting.csv"
    path.write_text("\n".join(lines) + "\n")
    table = read_table(path)
    assert len(table.frame) + len(table.rejects) == 199
    assert sorted([*table.rows.tolist(), *(r.row for r in table.rejects)]) == list(range(2, 201))
    assert {r.row for r in table.rejects} == {i + 1 for i in range(7, 200, 7)}


def test_nul_byte_is_dropped():
    table = read("nul_byte.csv")
    assert records(table) == [["ann@example.com", "Ann"], ["bob@example.com", "Bob"]]


def test_crlf_with_blank_line_keeps_file_line_numbers():
    table = read("crlf.csv")
    assert records(table) == [["ann@example.com", "Ann"], ["bob@example.com", "Bob"]]
    assert table.rows.tolist() == [2, 4]


def test_old_mac_cr_line_endings():
    table = read("mac_cr.csv")
    assert records(table) == [["ann@example.com", "Ann"], ["bob@example.com", "Bob"]]
    assert table.rows.tolist() == [2, 3]


def test_stray_inch_quote_in_an_unquoted_cell(tmp_path):
    path = tmp_path / "inches.csv"
    path.write_bytes(b'Sku,Name\nA1,5" screen\nA2,cable\n')
    table = read_table(path)
    assert records(table) == [["A1", '5" screen'], ["A2", "cable"]]
    assert table.rows.tolist() == [2, 3]


@pytest.mark.parametrize("data", [b'a,b\n"1,2\n3,4\n', b'a,b\n1,2\n"3,4'])
def test_a_quote_never_closed_is_refused_with_its_row(data):
    with pytest.raises(SourceError) as caught:
        read_table(data, name="q.csv")
    assert str(caught.value).startswith("q.csv, row ")
    assert "quoted cell is never closed" in str(caught.value)


def test_empty_file_is_an_empty_table():
    table = read("empty.csv")
    assert table.frame.empty and table.header_row == 0 and len(table.rows) == 0


def test_header_only_file_is_an_empty_table_with_columns():
    table = read("header_only.csv")
    assert list(table.frame.columns) == ["Email", "First Name", "Last Name"]
    assert len(table.frame) == 0 and table.rows.dtype == np.int64


def test_bytes_source_needs_no_file():
    table = read_table(b"Email\nann@example.com\n", name="upload.csv")
    assert (table.name, records(table)) == ("upload.csv", [["ann@example.com"]])


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["png_renamed.csv", "pdf_renamed.csv"])
def test_binary_files_are_refused_by_name(name):
    with pytest.raises(SourceError) as caught:
        read(name)
    assert str(caught.value) == f"{name}: not a CSV or Excel file"


def test_random_binary_is_refused(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(SourceError, match="not a CSV or Excel file"):
        read_table(path)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        read_inputs(tmp_path / "nope.csv")


# --- zip ----------------------------------------------------------------------------------------


def test_mailchimp_zip_expands_to_its_csv_members():
    inputs = read_inputs(FIXTURES / "mailchimp_export.zip")
    assert [name for name, _ in inputs] == [
        "mailchimp_export.zip/subscribed_members_export_abc.csv",
        "mailchimp_export.zip/unsubscribed_members_export_abc.csv",
    ]
    tables = [read_table(data, name=name) for name, data in inputs]
    assert [records(t) for t in tables] == [
        [["ann@example.com", "Ann", "2"]],
        [["bob@example.com", "Bob", "2015-03-16 14:40:47"]],
    ]


def test_plain_file_is_its_own_input():
    path = FIXTURES / "comma.csv"
    assert read_inputs(path) == [("comma.csv", path)]


def test_corrupt_zip_is_a_source_error(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(SourceError, match=r"broken\.zip: the ZIP archive is corrupt"):
        read_inputs(path)


def test_utf16_without_bom_is_detected(tmp_path):
    path = tmp_path / "nobom.csv"
    path.write_bytes("Email\tName\nann@example.com\tAnn\n".encode("utf-16-le"))
    table = read_table(path)
    assert (table.encoding, records(table)) == ("utf-16-le", [["ann@example.com", "Ann"]])


def test_fixture_boms_are_what_the_names_say():
    assert (FIXTURES / "utf16le_bom_tab.csv").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert (FIXTURES / "utf8_bom.csv").read_bytes().startswith(codecs.BOM_UTF8)


# --- property: what csv writes, the reader reads back ---------------------------------------------

_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(',;"\n'),
    max_size=12,
).filter(lambda s: s.strip() != "" and s.strip() == s)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=8))
def test_round_trip_of_csv_written_rows(tmp_path_factory, rows):
    assume(
        not rows[-1][0].lower().startswith(("total", "grand", "sub"))
    )  # a trailing total is a footer
    path = tmp_path_factory.mktemp("rt") / "rt.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Email", "First Name", "Notes"])
        writer.writerows(rows)
    table = read_table(path, header_row=1, delimiter=",")
    assert records(table) == rows
    newlines_before = [sum(cell.count("\n") for cell in row) for row in rows]
    assert table.rows.tolist() == list(
        2 + np.arange(len(rows)) + np.cumsum([0, *newlines_before[:-1]])
    )
