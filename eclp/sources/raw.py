"""What reading an export yields: its table of text cells with row numbers, and the rows refused."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RowReject:
    """A row the reader could not turn into a record, with the reason and the text as found."""

    row: int
    reason: str
    value: str


@dataclass(frozen=True)
class RawTable:
    """One table read from an export: text cells (None for blank), each row's number in the file."""

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int  # 1-based; 0 when the file holds no header (an empty file)
    preamble: tuple[str, ...]
    footer: tuple[str, ...]
    rejects: tuple[RowReject, ...]
    encoding: str | None
    delimiter: str | None
    sheet: str | None


def empty_table(
    name: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    return RawTable(
        name=name,
        frame=pd.DataFrame(),
        rows=np.empty(0, dtype=np.int64),
        header_row=0,
        preamble=(),
        footer=(),
        rejects=(),
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
    )
