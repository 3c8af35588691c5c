"""Large tables at speed: XlsxWriter lays out the sheet, the rows are generated column-wise.

XlsxWriter spends ~5 µs per cell, too slow for 200k customers × 40 columns. So the big sheet is
written by XlsxWriter with its header, table, widths and one placeholder row carrying each
column's format; after XlsxWriter closes, the placeholder row is replaced by rows built with
pyarrow's vectorised string kernels (inline strings, so text can never become a formula) and
streamed into the final zip.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from eclp.workbook.frames import EXCEL_EPOCH
from eclp.workbook.styles import TABLE_STYLE, Column, Styles

CHUNK_ROWS = 50_000
MAX_CELL_CHARS = 32_767
# Characters XML 1.0 forbids; exports do contain them (NUL, form feeds from PDFs).
ILLEGAL_XML = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"
NUMBER_KINDS = frozenset({"int", "money", "number", "percent", "auto"})


@dataclass(frozen=True)
class BigTable:
    """A sheet whose data rows are injected after XlsxWriter has written the rest of the file."""

    sheet_number: int  # 1-based position of the worksheet, as in xl/worksheets/sheetN.xml
    table_name: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]

    @property
    def part(self) -> str:
        return f"xl/worksheets/sheet{self.sheet_number}.xml"


def lay_out(
    ws: Worksheet, frame: pd.DataFrame, columns: Sequence[Column], styles: Styles, table_name: str
) -> None:
    """Header, table, widths, frozen header and one placeholder row of formats (no data yet).

    The table covers only the placeholder row here (XlsxWriter walks every cell of a table's
    range, ~60 µs per row); `finish` stretches its range over the real rows.
    """
    ws.add_table(
        0, 0, 1, len(columns) - 1,
        {"name": table_name, "style": TABLE_STYLE,
         "columns": [{"header": c.header, "header_format": styles.header} for c in columns]},
    )  # fmt: skip
    for j, column in enumerate(columns):
        ws.set_column(j, j, column.width)
        ws.write_blank(1, j, None, styles.of(column.kind))
    ws.freeze_panes(1, 1)
    ws.set_row(0, 30)


def finish(xlsx: bytes, tables: Sequence[BigTable], target: Path) -> None:
    """Copy XlsxWriter's package to `target`, streaming each big table's rows into its sheet."""
    by_part = {t.part: t for t in tables}
    by_name = {t.table_name: t for t in tables}
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            table = by_part.get(info.filename)
            if info.filename.startswith("xl/tables/"):
                data = _stretch_table(data.decode("utf-8"), by_name).encode("utf-8")
            if table is None:
                out.writestr(_entry(info), data)
                continue
            head, styles, tail = _split_sheet(
                data.decode("utf-8"), len(table.columns), len(table.frame)
            )
            with out.open(_entry(info), "w", force_zip64=True) as stream:
                stream.write(head.encode("utf-8"))
                for chunk in _row_chunks(table.frame, table.columns, styles):
                    stream.write(chunk)
                stream.write(tail.encode("utf-8"))


def _stretch_table(xml: str, by_name: dict[str, BigTable]) -> str:
    """A big table's range (and its autofilter) extended from the placeholder row to the last row."""
    name = re.search(r'<table [^>]*\bname="([^"]+)"', xml)
    table = by_name.get(name.group(1)) if name else None
    if table is None:
        return xml
    last = max(len(table.frame), 1) + 1
    return re.sub(r'ref="A1:([A-Z]+)2"', lambda m: f'ref="A1:{m.group(1)}{last}"', xml)


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """The same name and fixed timestamp XlsxWriter used, so output is byte-for-byte repeatable."""
    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = info.external_attr
    return entry


def _split_sheet(xml: str, n_columns: int, n_rows: int) -> tuple[str, list[str], str]:
    """(everything up to the end of the header row, each column's style id, everything after the data)."""
    placeholder = re.search(r'<row r="2"[^>]*>(.*?)</row>', xml, flags=re.S)
    if placeholder is None:
        raise ValueError("big table sheet has no placeholder row")
    found = dict(re.findall(r'<c r="([A-Z]+)2"(?: s="(\d+)")?', placeholder.group(1)))
    styles = [found.get(xl_col_to_name(j), "") for j in range(n_columns)]
    last = f"{xl_col_to_name(n_columns - 1)}{max(n_rows, 1) + 1}"
    head = re.sub(
        r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml[: placeholder.start()]
    )
    return head, styles, xml[placeholder.end() :]


def _row_chunks(
    frame: pd.DataFrame, columns: Sequence[Column], styles: list[str]
) -> Iterator[bytes]:
    for start in range(0, len(frame), CHUNK_ROWS):
        part = frame.iloc[start : start + CHUNK_ROWS]
        rows = pa.array(np.arange(start + 2, start + 2 + len(part))).cast(pa.string())
        cells = [
            _cells(
                part[c.name] if c.name in part else pd.Series([None] * len(part)), c.kind, s, ref
            )
            for c, s, ref in zip(columns, styles, _references(len(columns), rows), strict=True)
        ]
        # Every cell carries its reference (optional in the schema, but Excel's own files have it).
        xml = pc.binary_join_element_wise(
            '<row r="',
            rows,
            '">',
            *cells,
            "</row>",
            "",
            null_handling="replace",
            null_replacement="",
        )
        yield _utf8_bytes(xml)


def _references(n_columns: int, rows: pa.Array) -> list[pa.Array]:
    """`<c r="B17"` openings for each column."""
    return [
        pc.binary_join_element_wise(f'<c r="{xl_col_to_name(j)}', rows, "")
        for j in range(n_columns)
    ]


def _cells(values: pd.Series, kind: str, style: str, ref: pa.Array) -> pa.Array:
    """One column's cell XML per row; null where the cell is blank."""
    s_attr = '"' + (f' s="{style}"' if style else "")  # closes r="…", then the style
    if kind in NUMBER_KINDS or kind in ("date", "datetime"):
        return pc.binary_join_element_wise(
            ref, f"{s_attr}><v>", _number_text(values, kind), "</v></c>", ""
        )
    if kind == "bool":
        flags = pd.array(values.astype(object).where(values.notna(), None), dtype="boolean")
        text = pa.array(flags, type=pa.bool_()).cast(pa.int8()).cast(pa.string())
        return pc.binary_join_element_wise(ref, f'{s_attr} t="b"><v>', text, "</v></c>", "")
    text = _escaped(values)
    # xml:space="preserve" only where leading/trailing whitespace would otherwise be dropped.
    spaced = pc.fill_null(pc.match_substring_regex(text, r"^\s|\s$"), False)
    opening = pc.if_else(
        spaced,
        pa.scalar(f'{s_attr} t="inlineStr"><is><t xml:space="preserve">'),
        pa.scalar(f'{s_attr} t="inlineStr"><is><t>'),
    )
    return pc.binary_join_element_wise(ref, opening, text, "</t></is></c>", "")


def _number_text(values: pd.Series, kind: str) -> pa.Array:
    if kind in ("date", "datetime"):
        stamps = pd.to_datetime(values, errors="coerce")
        numbers = ((stamps - EXCEL_EPOCH) / pd.Timedelta(days=1)).to_numpy(
            dtype=float, na_value=np.nan
        )
    else:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    numbers = np.where(np.isfinite(numbers), numbers, np.nan)
    return pa.array(numbers, from_pandas=True).cast(pa.string())


def _escaped(values: pd.Series) -> pa.Array:
    """Text for an inline string: trimmed to Excel's cell limit, XML-escaped, illegal chars dropped."""
    text = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    text = pc.utf8_slice_codeunits(text, 0, MAX_CELL_CHARS)
    text = pc.replace_substring_regex(text, ILLEGAL_XML, "")
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, entity)
    return text


def _utf8_bytes(array: pa.Array) -> memoryview:
    """The concatenated UTF-8 bytes of a string array, without building Python strings."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    return memoryview(array.buffers()[2])[offsets[0] : offsets[-1]]
