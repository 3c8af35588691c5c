"""The fixture exports and a minimal header reader, so detection tests need not the real reader."""

from __future__ import annotations

import csv
import io
from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def decode(raw: bytes) -> str:
    """Text of a fixture: UTF-16 with BOM, or UTF-8 with or without BOM."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def read_fixture(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """(headers, data rows, preamble lines): title and `#` lines above the header are preamble."""
    text = decode(path.read_bytes())
    delimiter = "\t" if text.split("\n", 3)[-1].count("\t") > 2 else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    start = 0
    while start < len(rows) and (
        len(rows[start]) < 3 or (rows[start] and rows[start][0].startswith("#"))
    ):
        start += 1
    preamble = [delimiter.join(r) for r in rows[:start]]
    return rows[start], [r for r in rows[start + 1 :] if r], preamble
