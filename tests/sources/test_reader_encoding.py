"""Bytes-level helpers of the reader: file kinds, encodings and the record-boundary scan."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclp.sources.encoding import detect_encoding, scan_records, sniff_kind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n....", "binary"),
        (b"%PDF-1.7\n", "binary"),
        (b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml", "xlsx"),
        (b"PK\x03\x04....subscribed.csv", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Workbook", "xls"),
        (b"Email,Name\n", "text"),
    ],
)
def test_sniff_kind(head, kind):
    assert sniff_kind(head) == kind


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Name\nMüller\n".encode(), ("utf-8", 0)),
        ("\ufeffName\n".encode(), ("utf-8", 3)),
        ("\ufeffName\tCity\n".encode("utf-16-le"), ("utf-16-le", 2)),
        ("\ufeffName\n".encode("utf-16-be"), ("utf-16-be", 2)),
        ("Name;Firma\nMüller;Café 5 €\n".encode("cp1252"), ("cp1252", 0)),
        ("Price\n£5.00\n".encode("cp1252"), ("cp1252", 0)),
        ("Имя,Город\nИван Петров,Москва\nОльга,Санкт-Петербург\n".encode("cp1251"), ("cp1251", 0)),
    ],
)
def test_detect_encoding(data, expected):
    assert detect_encoding(data) == expected


def test_a_multibyte_character_cut_by_the_sample_is_still_utf8():
    assert detect_encoding("Name\nMüller".encode()[:-5]) == ("utf-8", 0)


def _csv_bytes(rows: list[list[str]], terminator: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=terminator).writerows(rows)
    return out.getvalue().encode()


_cells = st.text(alphabet=st.sampled_from('ab ,"\n'), max_size=6)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.lists(_cells, min_size=2, max_size=3), min_size=1, max_size=6),
    terminator=st.sampled_from(["\n", "\r\n"]),
    chunk=st.integers(min_value=1, max_value=9),
)
def test_scan_finds_the_line_each_record_starts_on_whatever_the_chunking(rows, terminator, chunk):
    data = _csv_bytes(rows, terminator)
    whole = scan_records(iter([data]))
    pieces = scan_records(iter([data[i : i + chunk] for i in range(0, len(data), chunk)]))
    assert whole.lines.tolist() == pieces.lines.tolist()
    assert whole.offsets.tolist() == pieces.offsets.tolist()
    expected, line = [], 1
    for row in rows:
        text = _csv_bytes([row], terminator).decode()
        if text.strip("\r\n"):  # csv writes [""] as "" plus newline: a blank line, not a record
            expected.append(line)
        line += text.count("\n")
    assert whole.lines.tolist() == expected
    assert not whole.open_quote


def test_scan_reports_a_quote_left_open():
    assert scan_records(iter([b'a,"b\nc\n'])).open_quote
