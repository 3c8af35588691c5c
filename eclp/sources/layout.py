"""Where a table sits in a sheet of rows: the header row, comment and title lines, footers.

Pure functions over rows of cells, shared by the delimited and the Excel paths of the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Cell = str | None
_HEADER_SEARCH_ROWS = 50

_TOTAL_RE = re.compile(r"^(grand\s+)?(sub)?totals?\b", re.IGNORECASE)
_FOOTER_PHRASE_RE = re.compile(
    r"^(copyright|©|\(c\)|confidential|all rights reserved|generated (by|on|at)|report generated|powered by)",
    re.IGNORECASE,
)
_NUMBERISH_RE = re.compile(r"^[-+]?[\s$€£¥%()+\-.,:/'0-9]*[0-9][\s$€£¥%()+\-.,:/'0-9a-zA-Z]{0,3}$")
_CURRENCY_CODE_RE = re.compile(r"^[A-Z]{3}$")


def find_header(
    rows: Sequence[Sequence[Cell]], hints: frozenset[str], *, exact_width: bool
) -> int | None:
    """Index of the header among the first rows: the best match to known headers, else the first text row.

    A generic header is mostly non-empty, mostly non-numeric, distinct text, and the rows after it
    have its width (exactly, for CSV; at most, for Excel whose trailing blanks are trimmed).
    """
    candidates = [
        i
        for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS])
        if _cells(row) and not _is_comment(row)
    ]
    if not candidates:
        return None
    hits = {i: sum(_hint_key(c) in hints for c in _cells(rows[i])) for i in candidates}
    best = max(hits.values())
    if best >= 2 or (best == 1 and all(len(_cells(rows[i])) == 1 for i in candidates)):
        return min(i for i in candidates if hits[i] == best)
    widths = [len(rows[i]) for i in candidates]
    multi_column = max(set(widths), key=widths.count) > 1
    for i in candidates:
        if multi_column and len(_cells(rows[i])) < 2:
            continue  # a title line above a table
        if _looks_like_header(rows[i], _rows_below(rows, i), exact_width):
            return i
    return candidates[0]


def is_footer(fields: Sequence[Cell], width: int, *, structural: bool) -> bool:
    """True for a trailing total or footer line: "Total: account,--,1240", "Grand Totals (5700 records)", "Copyright …".

    structural: the fields come from a CSV line, so a single field where the header has several
    means a line without delimiters (a note, not data).
    """
    cells = _cells(fields)
    if not cells:
        return True
    first, rest = cells[0], cells[1:]
    if _TOTAL_RE.match(first) and all(_is_summary_value(c) for c in rest):
        return True
    if _FOOTER_PHRASE_RE.match(first) and not rest:
        return True
    if structural:
        return len(fields) == 1 and width > 1
    return not rest and fields[0] is not None and len(first.split()) >= 3 and "@" not in first


def unique_headers(cells: Sequence[Cell]) -> list[str]:
    """Header names made unique case-insensitively ("Item Cost", "Item Cost (2)"); a blank is "Column 7"."""
    names: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells, start=1):
        base = (cell or "").replace("\ufeff", "").strip() or f"Column {position}"
        candidate, copy = base, 2
        while candidate.casefold() in seen:
            candidate, copy = f"{base} ({copy})", copy + 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names


def _rows_below(rows: Sequence[Sequence[Cell]], index: int, limit: int = 5) -> list[Sequence[Cell]]:
    """The rows right under a header candidate, up to a blank or comment line (GA4 stacks tables)."""
    below: list[Sequence[Cell]] = []
    for row in rows[index + 1 : index + 1 + limit]:
        if not _cells(row) or _is_comment(row):
            break
        below.append(row)
    return below


def _cells(row: Sequence[Cell]) -> list[str]:
    return [c.strip() for c in row if c is not None and c.strip()]


def _hint_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").lower().split())


def _is_comment(row: Sequence[Cell]) -> bool:
    cells = _cells(row)
    return (
        bool(cells)
        and cells[0].startswith("#")
        and len(cells) <= 2
        and (row[0] or "").startswith("#")
    )


def _is_numberish(cell: str) -> bool:
    return bool(_NUMBERISH_RE.match(cell))


def _is_summary_value(cell: str) -> bool:
    return _is_numberish(cell) or cell in ("--", "-", "—") or bool(_CURRENCY_CODE_RE.match(cell))


def _looks_like_header(
    row: Sequence[Cell], following: list[Sequence[Cell]], exact_width: bool
) -> bool:
    cells = _cells(row)
    width = len(row)
    if len(cells) < 2 and not (width == 1 and all(len(f) == 1 for f in following)):
        return False
    if len(cells) < 0.5 * width or sum(_is_numberish(c) for c in cells) > 0.25 * len(cells):
        return False
    if len({c.casefold() for c in cells}) < 0.8 * len(cells):  # WooCommerce repeats "Item Cost"
        return False
    if not following:
        return True
    fits = [len(f) == width if exact_width else len(f) <= width for f in following]
    return sum(fits) * 2 >= len(fits)


# --- Excel -------------------------------------------------------------------------------------
