"""Delimited text (CSV/TSV/semicolon/pipe) into a RawTable.

The hot path is one pyarrow parse of the whole body; the layout (title lines, header row,
footers) is decided from the first and last 64 KB, and row numbers come from a streaming scan
of record boundaries (`encoding.scan_records`), so a 350 MB export costs two sequential passes.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from eclp.errors import SourceError
from eclp.sources.encoding import (
    SAMPLE_BYTES,
    ByteSource,
    decode_sample,
    detect_encoding,
    is_ascii_compatible,
    looks_binary,
    scan_records,
)
from eclp.sources.layout import Cell, _cells, find_header, is_footer, unique_headers
from eclp.sources.raw import RawTable, RowReject, empty_table

DELIMITERS = (",", ";", "\t", "|")
_REJECT_TEXT_CHARS = 200
_BLOCK_BYTES = 16 * 1024 * 1024

# One cell can hold a megabyte of notes; the csv module's default limit is 128 KB.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class _Layout:
    """Where the table sits in a delimited file, decided from its first and last KB."""

    header: list[Cell]
    header_row: int  # 1-based physical line of the header
    body_first_line: int  # 1-based physical line where the body starts
    body_start: int  # byte offsets of the body within the file
    body_stop: int
    preamble: tuple[str, ...]
    footer: tuple[str, ...]


def read_delimited(
    blob: ByteSource,
    name: str,
    header_row: int | None,
    delimiter: str | None,
    encoding: str | None,
    hints: frozenset[str],
) -> RawTable:
    head = blob.read(0, SAMPLE_BYTES)
    found, bom = detect_encoding(head)
    try:
        encoding = codecs.lookup(encoding).name if encoding else found  # "UTF8" → "utf-8"
    except LookupError as error:
        raise SourceError(f"unknown encoding {encoding!r}", file=name) from error
    bom = (
        bom
        if found == encoding or encoding.lower().replace("_", "-") in ("utf-8-sig", "utf-8")
        else 0
    )
    reported = encoding
    if not is_ascii_compatible(encoding):
        # UTF-16/32 (Google Ads "Excel CSV"): transcode once so quotes and newlines are single bytes.
        blob = ByteSource(blob.read(bom, blob.size).decode(encoding).encode("utf-8"))
        encoding, bom = "utf-8", 0
    elif encoding in ("utf-8-sig",):
        encoding = "utf-8"
    head = blob.read(bom, bom + SAMPLE_BYTES)
    if looks_binary(decode_sample(head, encoding)):
        raise SourceError("not a CSV or Excel file", file=name)
    if b"\r" in head and b"\n" not in head:  # old Mac line endings: pyarrow and the scan want "\n"
        blob = ByteSource(blob.read(bom, blob.size).replace(b"\r", b"\n"))
        bom = 0
        head = blob.read(0, SAMPLE_BYTES)
    whole = bom + len(head) >= blob.size
    lines = head.splitlines(keepends=True)
    if not whole and len(lines) > 1:
        lines = lines[:-1]  # the sample cut the last line short
    texts = [line.decode(encoding, errors="replace") for line in lines]
    delimiter = delimiter or _sniff_delimiter(texts)
    layout = _find_layout(
        blob, bom, texts, lines, whole, delimiter, encoding, header_row, hints, name
    )
    if layout is None:
        return empty_table(name, encoding=reported, delimiter=delimiter)
    frame, rows, rejects, used = _parse_body(blob, layout, delimiter, encoding, name)
    reported = reported if used == encoding else used  # a late non-UTF-8 byte switched to cp1252
    return RawTable(
        name=name,
        frame=frame,
        rows=rows,
        header_row=layout.header_row,
        preamble=layout.preamble,
        footer=layout.footer,
        rejects=rejects,
        encoding=reported,
        delimiter=delimiter,
        sheet=None,
    )


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most sample lines into one consistent field count above one."""
    sample = [line for line in lines[:200] if line.strip() and not line.startswith("#")]
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        counts: dict[int, int] = {}
        for fields in csv.reader(sample, delimiter=candidate):
            counts[len(fields)] = counts.get(len(fields), 0) + 1
        width, rows = max(counts.items(), key=lambda item: (item[1], item[0]), default=(0, 0))
        score = (rows if width > 1 else 0, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _parse_sample(
    texts: list[str], delimiter: str, whole: bool
) -> list[tuple[int, int, list[Cell]]]:
    """Records of the sample as (first line index, line index after it, fields); blank lines give []."""
    reader = csv.reader(iter(texts), delimiter=delimiter)
    records: list[tuple[int, int, list[Cell]]] = []
    before = 0
    for fields in reader:
        records.append((before, reader.line_num, list(fields)))
        before = reader.line_num
    if not whole and records and "".join(texts[records[-1][0] :]).count('"') % 2:
        records.pop()  # a quoted cell the sample cut short
    return records


def _find_layout(
    blob: ByteSource,
    bom: int,
    texts: list[str],
    lines: list[bytes],
    whole: bool,
    delimiter: str,
    encoding: str,
    header_row: int | None,
    hints: frozenset[str],
    name: str,
) -> _Layout | None:
    records = _parse_sample(texts, delimiter, whole)
    if header_row is not None:
        matches = [i for i, (first, _, _) in enumerate(records) if first + 1 == header_row]
        if not matches:
            raise SourceError(
                f"header_row {header_row} is not the start of a row in the first lines", file=name
            )
        index: int | None = matches[0]
    else:
        index = find_header([fields for _, _, fields in records], hints, exact_width=True)
    if index is None:
        return None
    first, after, header = records[index]
    offsets = np.concatenate([[0], np.cumsum([len(line) for line in lines])]).astype(np.int64)
    body_start = bom + int(offsets[after]) if after < len(offsets) else blob.size
    preamble = tuple(_line_text(t, delimiter) for t in texts[:first] if t.strip())
    stop, after_footer = blob.size, ()
    if any(line.lstrip().startswith("#") for line in preamble):
        stop, after_footer = _comment_block(blob, body_start, encoding)
    stop, trailing = _trailing_footer(blob, body_start, stop, delimiter, encoding, len(header))
    return _Layout(
        header=list(header),
        header_row=first + 1,
        body_first_line=after + 1,
        body_start=body_start,
        body_stop=stop,
        preamble=preamble,
        footer=trailing + after_footer,
    )


def _line_text(line: str, delimiter: str) -> str:
    """A title or footer line as text: one quoted field loses its quotes, anything else stays as found."""
    line = line.rstrip("\r\n")
    fields = next(csv.reader([line], delimiter=delimiter), [])
    return fields[0] if len(fields) == 1 else line


def _comment_block(blob: ByteSource, start: int, encoding: str) -> tuple[int, tuple[str, ...]]:
    """GA4 puts further tables after another "#" block: stop the body there, keep the rest as footer."""
    carry = b"\n"
    position = start
    for chunk in blob.chunks(start, blob.size):
        found = (carry + chunk).find(b"\n#")
        if found >= 0:
            stop = position + found - len(carry) + 1
            rest = blob.read(stop, stop + SAMPLE_BYTES).decode(encoding, errors="replace")
            return stop, tuple(line.rstrip("\r") for line in rest.split("\n") if line.strip())
        position += len(chunk)
        carry = chunk[-1:]
    return blob.size, ()


def _trailing_footer(
    blob: ByteSource, body_start: int, stop: int, delimiter: str, encoding: str, width: int
) -> tuple[int, tuple[str, ...]]:
    """Walk back from the end over blank, total and footer lines; return the new end and the footer text."""
    tail_start = max(body_start, stop - SAMPLE_BYTES)
    lines = blob.read(tail_start, stop).splitlines(keepends=True)
    offsets = tail_start + np.concatenate([[0], np.cumsum([len(line) for line in lines])])
    complete_from = 1 if tail_start > body_start else 0
    footer: list[str] = []
    for index in range(len(lines) - 1, complete_from - 1, -1):
        text = lines[index].decode(encoding, errors="replace").rstrip("\r\n")
        if text.strip():
            if text.count('"') % 2:
                break
            fields = next(csv.reader([text], delimiter=delimiter), [])
            if not is_footer(fields, width, structural=True):
                break
            footer.insert(0, _line_text(text, delimiter))
        stop = int(offsets[index])
    return stop, tuple(footer)


@dataclass(frozen=True)
class _BadRow:
    number: int | None  # 1-based record index in the body, as pyarrow counts (blank lines skipped)
    fields: int
    text: str


def _parse_body(
    blob: ByteSource, layout: _Layout, delimiter: str, encoding: str, name: str
) -> tuple[pd.DataFrame, np.ndarray, tuple[RowReject, ...], str]:
    names = unique_headers(layout.header)
    width = len(names)
    if layout.body_stop <= layout.body_start:  # a header-only file is an empty table, not an error
        empty = pd.DataFrame({name: pd.Series([], dtype=object) for name in names})
        return empty, np.empty(0, dtype=np.int64), (), encoding
    scan = scan_records(blob.chunks(layout.body_start, layout.body_stop))
    lines = scan.lines + layout.body_first_line - 1
    table, bad, encoding = _arrow_parse(blob, layout, delimiter, encoding, width, threads=True)
    if bad:  # pyarrow numbers bad rows only when parsing on one thread
        table, bad, encoding = _arrow_parse(blob, layout, delimiter, encoding, width, threads=False)
    if table.num_rows + len(bad) != len(lines):
        # Stray quotes inside unquoted cells (5" screen) fool the parity scan; pyarrow reads them literally.
        scan = scan_records(blob.chunks(layout.body_start, layout.body_stop), quoting=False)
        lines = scan.lines + layout.body_first_line - 1
    if table.num_rows + len(bad) != len(lines):
        raise SourceError("cannot tell where rows start: the file has unbalanced quotes", file=name)
    if scan.open_quote and len(lines):
        raise SourceError(
            "a quoted cell is never closed; the rest of the file would be one cell",
            file=name,
            row=int(lines[-1]),
        )
    keep = np.ones(len(lines), dtype=bool)
    keep[[b.number - 1 for b in bad]] = False  # type: ignore[operator]
    rows = lines[keep]
    rejects: list[RowReject] = []
    padded: list[tuple[int, list[Cell]]] = []
    for row in bad:
        number = int(lines[row.number - 1])  # type: ignore[operator]
        fields: list[Cell] = next(csv.reader([row.text], delimiter=delimiter), [])
        if len(fields) > width and _cells(fields[width:]):
            reason = f"ragged row: {len(fields)} fields, header has {width}"
            rejects.append(RowReject(number, reason, row.text[:_REJECT_TEXT_CHARS]))
        else:
            padded.append((number, fields[:width] + [None] * (width - len(fields))))
    if padded:
        extra = pa.table(
            {f"c{i}": pa.array([f[i] for _, f in padded], pa.string()) for i in range(width)}
        )
        rows = np.concatenate([rows, np.array([n for n, _ in padded], dtype=np.int64)])
        order = np.argsort(rows, kind="stable")
        table, rows = pa.concat_tables([table, extra]).take(order), rows[order]
    table = _clean(table, scan.has_nul)
    blank_rows = _all_null(table)
    if blank_rows is not None:
        table, rows = (
            table.filter(pc.invert(blank_rows)),
            rows[~blank_rows.to_numpy(zero_copy_only=False)],
        )
    frame = table.to_pandas(self_destruct=True, split_blocks=True, memory_pool=_pool())
    frame.columns = pd.Index(names, dtype=object)
    return frame, rows.astype(np.int64), tuple(rejects), encoding


def _arrow_parse(
    blob: ByteSource, layout: _Layout, delimiter: str, encoding: str, width: int, *, threads: bool
) -> tuple[pa.Table, list[_BadRow], str]:
    """Parse the body as text columns; rows with the wrong field count are collected, not parsed."""
    block = _BLOCK_BYTES
    body_bytes = layout.body_stop - layout.body_start
    names = [f"c{i}" for i in range(width)]
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    while True:
        bad: list[_BadRow] = []

        def collect(row: pacsv.InvalidRow, bad: list[_BadRow] = bad) -> str:
            bad.append(_BadRow(row.number, row.actual_columns, row.text))
            return "skip"

        read = pacsv.ReadOptions(
            column_names=names, block_size=block, use_threads=threads, encoding=encoding
        )
        parse = pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=collect
        )
        try:
            with blob.stream(layout.body_start, layout.body_stop) as stream:
                table = pacsv.read_csv(
                    stream,
                    read_options=read,
                    parse_options=parse,
                    convert_options=convert,
                    memory_pool=_pool(),
                )
            return table, bad, encoding
        except pa.ArrowInvalid as error:
            if "straddling" in str(error) and block <= body_bytes:
                block = min(block * 8, body_bytes + 1)  # a cell bigger than a block: grow it
                continue
            if "invalid UTF8" in str(error) and encoding == "utf-8":
                encoding = "cp1252"  # UTF-8 at the top, a Windows code page further down
                continue
            raise


def _clean(table: pa.Table, has_nul: bool) -> pa.Table:
    """Whitespace-only cells become null; NUL characters (from broken exporters) are dropped."""
    columns = []
    for column in table.columns:
        if has_nul:
            column = pc.replace_substring(column, "\x00", "")
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        blank = pc.utf8_is_space(column)
        if pc.any(blank).as_py():
            column = pc.if_else(blank, pa.scalar(None, pa.string()), column)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _all_null(table: pa.Table) -> pa.ChunkedArray | None:
    """Mask of rows where every cell is blank (",,,," lines), or None when there are none."""
    if table.num_columns == 0 or table.num_rows == 0:
        return None
    mask = pc.is_null(table.column(0))
    for column in table.columns[1:]:
        if not pc.any(mask).as_py():
            return None
        mask = pc.and_(mask, pc.is_null(column))
    return mask if pc.any(mask).as_py() else None


def _pool() -> pa.MemoryPool:
    """jemalloc returns freed parse buffers to the OS; mimalloc kept ~400 MB more at peak on 1M rows."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()
