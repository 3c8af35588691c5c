"""Read any CSV/TSV/Excel/ZIP export into a clean table of text with row numbers, or refuse it clearly.

The hot path for delimited text is one pyarrow parse of the whole body; the layout (title lines,
header row, footers) is decided from the first and last 64 KB, and row numbers come from a
streaming scan of record boundaries (`encoding.scan_records`), so a 350 MB export costs two
sequential passes. Excel goes through python-calamine (`excel.read_sheet_rows`).
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from eclp.errors import SourceError
from eclp.sources.delimited import read_delimited
from eclp.sources.encoding import (
    SAMPLE_BYTES,
    ByteSource,
    sniff_kind,
)
from eclp.sources.excel import read_sheet_rows
from eclp.sources.layout import (
    Cell,
    _cells,
    find_header,
    is_footer,
    unique_headers,
)
from eclp.sources.raw import RawTable, empty_table

TABULAR_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".xlsx", ".xlsm", ".xls", ".ods")

_HTML_START = (b"<!doctype", b"<html", b"<?xml", b"<table", b"<head")


def read_inputs(path: Path) -> list[tuple[str, bytes | Path]]:
    """Expand a .zip into its CSV/Excel members (Mailchimp exports one CSV per status); a plain file is itself."""
    if not path.is_file():
        raise SourceError("file not found", file=str(path))
    if path.suffix.lower() != ".zip":
        return [(path.name, path)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                m for m in archive.infolist() if _is_tabular_member(m.filename) and not m.is_dir()
            ]
            if any(m.flag_bits & 0x1 for m in members):
                raise SourceError("the ZIP archive is password-protected", file=path.name)
            found = [(f"{path.name}/{m.filename}", archive.read(m)) for m in members]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise SourceError(
            f"the ZIP archive is corrupt or unreadable ({error})", file=path.name
        ) from error
    if not found:
        raise SourceError("the ZIP archive holds no CSV or Excel files", file=path.name)
    return sorted(found, key=lambda item: item[0])


def read_table(
    source: Path | bytes,
    *,
    name: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    header_hints: frozenset[str] = frozenset(),
) -> RawTable:
    """Read one CSV/TSV/Excel export (a path, or a ZIP member's bytes) into a RawTable.

    Raises SourceError naming the file for anything that is not a readable table.
    """
    blob = ByteSource(source)
    name = name or (source.name if isinstance(source, Path) else "<data>")
    if header_row is not None and header_row < 1:
        raise SourceError(f"header_row must be 1 or more, not {header_row}", file=name)
    try:
        head = blob.read(0, SAMPLE_BYTES)
        kind = sniff_kind(head)
        if kind in ("xlsx", "xls", "ods"):
            return _read_excel(source, name, sheet, header_row, header_hints)
        if kind == "encrypted":
            raise SourceError(
                "the Excel file is password-protected; save a copy without a password", file=name
            )
        if kind in ("zip", "binary") or head.lstrip()[:16].lower().startswith(_HTML_START):
            raise SourceError("not a CSV or Excel file", file=name)
        return read_delimited(blob, name, header_row, delimiter, encoding, header_hints)
    except OSError as error:
        raise SourceError(f"cannot read the file ({error.strerror or error})", file=name) from error
    except (UnicodeError, LookupError) as error:
        raise SourceError(f"cannot decode the file ({error})", file=name) from error
    except (pa.ArrowException, csv.Error) as error:
        raise SourceError(f"cannot parse the file ({error})", file=name) from error


# --- Layout: header row, footers, names -----------------------------------------------------


def _read_excel(
    source: Path | bytes,
    name: str,
    sheet: str | None,
    header_row: int | None,
    hints: frozenset[str],
) -> RawTable:
    sheet_name, sheet_rows = read_sheet_rows(source, name=name, sheet=sheet)
    rows = [_trim(row) for row in sheet_rows]
    if header_row is not None:
        if header_row > len(rows):
            raise SourceError(
                f"header_row {header_row} is below the last row ({len(rows)})", file=name
            )
        header_index: int | None = header_row - 1
    else:
        header_index = find_header(rows, hints, exact_width=False)
    if header_index is None:
        return empty_table(name, sheet=sheet_name)
    body = [(i + 1, row) for i, row in enumerate(rows) if i > header_index and _cells(row)]
    width = max([len(rows[header_index]), *(len(row) for _, row in body)])
    footer: list[str] = []
    while body and is_footer(body[-1][1], width, structural=False):
        footer.insert(0, _row_text(body.pop()[1]))
    names = unique_headers(list(rows[header_index]) + [None] * (width - len(rows[header_index])))
    frame = pd.DataFrame(
        [row + [None] * (width - len(row)) for _, row in body], columns=names, dtype=object
    )
    return RawTable(
        name=name,
        frame=frame if body else pd.DataFrame({n: pd.Series([], dtype=object) for n in names}),
        rows=np.array([number for number, _ in body], dtype=np.int64),
        header_row=header_index + 1,
        preamble=tuple(_row_text(row) for row in rows[:header_index] if _cells(row)),
        footer=tuple(footer),
        rejects=(),
        encoding=None,
        delimiter=None,
        sheet=sheet_name,
    )


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _row_text(row: Sequence[Cell]) -> str:
    return " ".join(_cells(row))


def _is_tabular_member(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    return (
        not member.startswith("__MACOSX/")
        and not base.startswith(".")
        and base.lower().endswith(TABULAR_SUFFIXES)
    )
