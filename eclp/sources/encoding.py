"""Bytes-level facts about an export: what kind of file it is, its encoding, where its records start.

Everything here looks at a sample (the first KB) or streams the file in chunks, so a
350 MB export costs one sequential pass and no more memory than a chunk.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import numpy as np
import pyarrow as pa

SAMPLE_BYTES = 64 * 1024
_CHUNK_BYTES = 16 * 1024 * 1024

# Signatures of files analysts rename or pick by mistake; none of them is tabular text.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"BM",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"MZ",
    b"II*\x00",
    b"MM\x00*",
    b"SQLite format 3",
    b"PAR1",
    b"ARROW1",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Code pages shop exports really come in; charset-normalizer's full list guesses DOS pages on short text.
_NON_LATIN_RUN = re.compile(r"[\x80-\xff\u0152-\u2122]{3,}")
_LIKELY_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "iso8859_15", "mac_roman",
    "shift_jis", "gb18030", "big5", "euc_kr", "koi8_r",
]  # fmt: skip


def sniff_kind(head: bytes) -> str:
    """Classify a file by its first bytes: "xlsx", "ods", "xls", "encrypted", "zip", "binary" or "text".

    An encrypted xlsx is an OLE container holding an "EncryptedPackage" stream, so it looks like .xls.
    """
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis" in head[:200]:
            return "ods"
        if b"xl/" in head or b"[Content_Types].xml" in head:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in head:
            return "encrypted"
        return "xls"
    if head.startswith(_BINARY_MAGIC):
        return "binary"
    return "text"


def detect_encoding(head: bytes) -> tuple[str, int]:
    """Return (encoding, BOM length) for a text sample: BOM first, then UTF-8, then a likely code page."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom)
    bomless_utf16 = _bomless_utf16(head)
    if bomless_utf16:
        return bomless_utf16, 0
    if _is_utf8(head):
        return "utf-8", 0
    return _guess_code_page(head), 0


def is_ascii_compatible(encoding: str) -> bool:
    """True when newline, quote and delimiters are the same single bytes as in ASCII."""
    return not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def looks_binary(text: str) -> bool:
    """True when decoded text holds too many control characters to be a CSV (an image, a PDF, ...)."""
    if not text:
        return False
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f\v\x00")
    nuls = text.count("\x00")
    return controls > len(text) * 0.01 or nuls > max(4, len(text) * 0.01) or "\ufffd" * 4 in text


def decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a sample that may end in the middle of a multi-byte character."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(sample, final=False)


def iter_chunks(path: Path, start: int, stop: int) -> Iterator[bytes]:
    """Yield the bytes of path[start:stop] in chunks of a few MB."""
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = stop - start
        while remaining > 0:
            chunk = handle.read(min(_CHUNK_BYTES, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


@dataclass(frozen=True)
class RecordScan:
    """Where the records of a CSV body start, found without parsing the fields."""

    lines: (
        np.ndarray
    )  # int64: 1-based physical line (relative to the scanned range) of each non-blank record
    offsets: (
        np.ndarray
    )  # int64: byte offset (relative to the scanned range) of each record's first byte
    has_nul: bool
    open_quote: bool  # the range ends inside a quoted field


def scan_records(chunks: Iterator[bytes], *, quoting: bool = True) -> RecordScan:
    """Find record boundaries in CSV bytes: a newline ends a record when an even number of quotes precede it.

    Escaped quotes ("") count twice, so parity stays right; blank lines are not records. This is the
    row-number oracle for pyarrow's parse, which reports neither line numbers nor skipped blank lines.
    quoting=False treats every newline as a record end (for files with stray quotes and no multi-line cells).
    """
    ends: list[np.ndarray] = []
    end_lines: list[np.ndarray] = []
    end_after_cr: list[np.ndarray] = []
    base = lines_before = quotes_before = 0
    has_nul = False
    previous_byte = 10
    for chunk in chunks:
        if not chunk:
            continue
        has_nul = has_nul or b"\x00" in chunk
        buf = np.frombuffer(chunk, dtype=np.uint8)
        newlines = np.flatnonzero(buf == 10)
        line_index = np.arange(lines_before, lines_before + len(newlines), dtype=np.int64)
        lines_before += len(newlines)
        if quoting and b'"' in chunk:
            quote_pos = np.flatnonzero(buf == 34)
            parity = (np.searchsorted(quote_pos, newlines) + quotes_before) % 2
            quotes_before += len(quote_pos)
            newlines, line_index = newlines[parity == 0], line_index[parity == 0]
        elif quotes_before % 2:  # the whole chunk sits inside one quoted field
            newlines, line_index = newlines[:0], line_index[:0]
        before = np.where(newlines > 0, buf[np.maximum(newlines - 1, 0)], previous_byte)
        ends.append(newlines.astype(np.int64) + base)
        end_lines.append(line_index)
        end_after_cr.append(before == 13)
        base += len(chunk)
        previous_byte = int(buf[-1])
    terminators = np.concatenate([*ends, np.empty(0, np.int64)])
    starts = np.concatenate([[0], terminators + 1]).astype(np.int64)
    start_lines = np.concatenate([[0], np.concatenate([*end_lines, np.empty(0, np.int64)]) + 1])
    stops = np.concatenate([terminators, [base]])
    after_cr = np.concatenate([*end_after_cr, np.empty(0, bool), [False]])
    length = stops - starts
    # Blank: nothing between newlines, or a lone "\r" of a CRLF blank line; pyarrow skips both.
    nonblank = (length > 1) | ((length == 1) & ~after_cr)
    return RecordScan(
        lines=start_lines[nonblank] + 1,
        offsets=starts[nonblank],
        has_nul=has_nul,
        open_quote=bool(quotes_before % 2),
    )


def _is_utf8(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _bomless_utf16(head: bytes) -> str | None:
    """Spot UTF-16 without a BOM: ASCII text in it has a NUL in every other byte."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _guess_code_page(head: bytes) -> str:
    """Pick the code page of a non-UTF-8 sample: cp1252 unless the text reads as a non-Latin script.

    charset-normalizer alone guesses cp1250 or even shift_jis for short Western text ("Müller", "£5"),
    so it only decides when cp1252 would give runs of accented letters ("Èìÿ" is Cyrillic in cp1251).
    """
    cp1252 = _decode_or_none(head, "cp1252")
    if cp1252 is not None and not _NON_LATIN_RUN.search(cp1252):
        return "cp1252"
    best = charset_normalizer.from_bytes(head, cp_isolation=_LIKELY_ENCODINGS).best()
    if best is None:
        return "cp1252" if cp1252 is not None else "latin-1"
    return codecs.lookup(best.encoding).name


def _decode_or_none(head: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return None


class ByteSource:
    """Random access to a file or a byte string, without loading a file whole."""

    def __init__(self, source: Path | bytes) -> None:
        self.path = source if isinstance(source, Path) else None
        self.data = source if isinstance(source, bytes) else None
        self.size = self.path.stat().st_size if self.path is not None else len(self.data or b"")

    def read(self, start: int, stop: int) -> bytes:
        stop = min(stop, self.size)
        if self.data is not None:
            return self.data[start:stop]
        with self.path.open("rb") as handle:  # type: ignore[union-attr]
            handle.seek(start)
            return handle.read(max(0, stop - start))

    def chunks(self, start: int, stop: int) -> Iterator[bytes]:
        if self.data is not None:
            view = memoryview(self.data)
            for offset in range(start, stop, _CHUNK_BYTES):
                yield bytes(view[offset : min(stop, offset + _CHUNK_BYTES)])
            return
        yield from iter_chunks(self.path, start, stop)  # type: ignore[arg-type]

    def stream(self, start: int, stop: int) -> pa.NativeFile:
        if self.data is not None:
            return pa.BufferReader(pa.py_buffer(self.data).slice(start, stop - start))
        return pa.PythonFile(_Window(self.path, start, stop), mode="r")  # type: ignore[arg-type]


class _Window(io.RawIOBase):
    """A read-only view of path[start:stop], so pyarrow never sees title or footer lines."""

    def __init__(self, path: Path, start: int, stop: int) -> None:
        self._handle = path.open("rb")
        self._handle.seek(start)
        self._left = stop - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        size = min(len(buffer), self._left)
        got = self._handle.readinto(memoryview(buffer)[:size]) if size else 0
        self._left -= got or 0
        return got or 0

    def close(self) -> None:
        self._handle.close()
        super().close()
