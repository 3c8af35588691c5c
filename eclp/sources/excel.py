"""Excel (.xlsx, .xlsm, .xls, .ods) sheets as rows of text, read with python-calamine."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import python_calamine

from eclp.errors import SourceError

Cell = str | None


def read_sheet_rows(
    source: Path | bytes, *, name: str, sheet: str | None
) -> tuple[str, list[list[Cell]]]:
    """Return (sheet name, rows) where row i is sheet row i + 1 and each cell is text or None.

    Default sheet: the first one holding any value. A missing sheet names the sheets that exist.
    """
    workbook = _open_workbook(source, name)
    names = list(workbook.sheet_names)
    try:
        if sheet is not None:
            chosen = _match_sheet(names, sheet, name)
            return chosen, _sheet_rows(workbook, chosen)
        for candidate in names:
            rows = _sheet_rows(workbook, candidate)
            if any(cell is not None for row in rows for cell in row):
                return candidate, rows
    except python_calamine.CalamineError as error:
        raise SourceError(f"cannot read Excel sheet: {error}", file=name) from error
    return (names[0] if names else ""), []


def cell_text(value: object) -> Cell:
    """Excel value as the text an analyst sees: integers without ".0", dates in ISO, blanks as None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _number_text(value: float) -> Cell:
    if math.isnan(value) or math.isinf(value):
        return None
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))  # ids, zips and phones: 8779761975521, not 8.77976e+12
    return np.format_float_positional(value, trim="-")


def _open_workbook(source: Path | bytes, name: str) -> python_calamine.CalamineWorkbook:
    try:
        if isinstance(source, Path):
            return python_calamine.CalamineWorkbook.from_path(str(source))
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
    except python_calamine.PasswordError as error:
        raise SourceError(
            "the Excel file is password-protected; save a copy without a password", file=name
        ) from error
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        raise SourceError(
            f"the Excel file is corrupt or unreadable ({error})", file=name
        ) from error


def _match_sheet(names: list[str], wanted: str, file: str) -> str:
    if wanted in names:
        return wanted
    folded = {n.strip().casefold(): n for n in names}
    if wanted.strip().casefold() in folded:
        return folded[wanted.strip().casefold()]
    listing = ", ".join(repr(n) for n in names)
    raise SourceError(f"no sheet named {wanted!r}; the workbook has {listing}", file=file)


def _sheet_rows(workbook: python_calamine.CalamineWorkbook, sheet: str) -> list[list[Cell]]:
    # skip_empty_area=False keeps row i at sheet row i + 1, so row numbers match what Excel shows.
    raw = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [[cell_text(value) for value in row] for row in raw]
