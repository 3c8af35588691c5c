"""Writing small frames cell by cell with explicit types: text stays text, blanks stay blank."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from eclp.workbook.styles import TABLE_STYLE, Column, Styles

EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def is_blank(value: object) -> bool:
    """None, NaN, NaT and pd.NA are written as empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def write_value(
    ws: Worksheet, row: int, col: int, value: object, kind: str, styles: Styles
) -> None:
    """One cell by kind; text always through write_string so nothing becomes a formula."""
    if is_blank(value):
        return
    fmt = styles.of(kind)
    if isinstance(value, np.generic):
        value = value.item()
    if kind in ("date", "datetime") and isinstance(value, datetime | date | pd.Timestamp):
        ws.write_number(row, col, excel_serial(pd.Timestamp(value)), fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, styles.of("bool"))
    elif isinstance(value, int | float) and kind != "text":
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), styles.of("text"))


def excel_serial(stamp: pd.Timestamp) -> float:
    """Days since Excel's 1899-12-30 epoch, with the time as a fraction."""
    return (stamp - EXCEL_EPOCH) / pd.Timedelta(days=1)


def write_frame(
    ws: Worksheet,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    styles: Styles,
    *,
    top: int = 0,
    left: int = 0,
    table_name: str | None = None,
    widths: bool = True,
) -> tuple[int, int, int, int]:
    """Write `frame[columns]` with a header row at `top`; returns (first_row, first_col, last_row, last_col).

    With `table_name` the block becomes an Excel table (filters, banded rows); an empty
    frame still gets one blank data row because a table needs one.
    """
    last_row = top + max(len(frame), 1 if table_name else 0)
    last_col = left + len(columns) - 1
    for j, column in enumerate(columns):
        values = frame[column.name].tolist() if column.name in frame else [None] * len(frame)
        for i, value in enumerate(values, start=top + 1):
            write_value(ws, i, left + j, value, column.kind, styles)
        if widths:
            ws.set_column(left + j, left + j, column.width)
    if table_name:
        ws.add_table(
            top, left, last_row, last_col,
            {"name": table_name, "style": TABLE_STYLE,
             "columns": [{"header": c.header, "header_format": styles.header} for c in columns]},
        )  # fmt: skip
    else:
        for j, column in enumerate(columns):
            ws.write_string(top, left + j, column.header, styles.header)
    return top, left, last_row, last_col


def auto_columns(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> list[Column]:
    """Columns for a frame from its dtypes, with readable headers; `kinds` overrides by name."""
    kinds = kinds or {}
    out = []
    for name in frame.columns:
        kind = kinds.get(str(name)) or _kind_of(frame[name])
        header = str(name).replace("_", " ").capitalize() if isinstance(name, str) else str(name)
        out.append(
            Column(
                str(name) if isinstance(name, str) else name,
                header,
                kind,
                max(10, min(40, len(header) + 4)),
            )
        )
    return out


def _kind_of(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "text"
