"""inbox/ housekeeping for `eclp run`: which files to take, and moving them out atomically.

Moves are `os.replace` within the workspace (one filesystem: atomic), followed by an fsync of
the folder so a crash right after cannot resurrect the file in inbox/. A name already taken
in archive/ by different content gets a timestamp; identical content simply replaces it.
"""

from __future__ import annotations

import filecmp
import os
from datetime import UTC, datetime
from pathlib import Path

from eclp.workspace import Workspace

# Files that are not exports, or not finished yet: Excel owner files, partial downloads.
SKIP_PREFIXES = (".", "~$")
SKIP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".swp")
REASON_SUFFIX = ".reason.txt"


def inbox_files(ws: Workspace) -> list[Path]:
    """Export files waiting in inbox/, oldest first (sub-folders such as rejected/ are ignored)."""
    if not ws.inbox.is_dir():
        return []
    files = [
        p
        for p in ws.inbox.iterdir()
        if p.is_file()
        and not p.name.startswith(SKIP_PREFIXES)
        and not p.name.lower().endswith(SKIP_SUFFIXES)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def archive_file(ws: Workspace, path: Path) -> Path:
    """Move an ingested file to archive/; returns where it went."""
    return _move(path, ws.archive)


def reject_file(ws: Workspace, path: Path, reason: str) -> Path:
    """Move a refused file to inbox/rejected/ with a `<name>.reason.txt` note beside it."""
    target = _free_name(ws.rejected_dir, path)
    ws.rejected_dir.mkdir(parents=True, exist_ok=True)
    note = target.with_name(target.name + REASON_SUFFIX)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    _write_atomic(note, f"{stamp} eclp run refused {path.name}:\n{reason}\n")
    os.replace(path, target)
    _fsync_dir(ws.rejected_dir)
    _fsync_dir(path.parent)
    return target


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists() and not filecmp.cmp(path, target, shallow=False):
        target = _free_name(folder, path)
    os.replace(path, target)
    _fsync_dir(folder)
    _fsync_dir(path.parent)
    return target


def _free_name(folder: Path, path: Path) -> Path:
    """folder/name, or name-<UTC time>[-n].ext when that is taken."""
    target = folder / path.name
    if not target.exists():
        return target
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for n in range(1, 1000):
        suffix = f"-{stamp}" + (f"-{n}" if n > 1 else "")
        candidate = folder / f"{path.stem}{suffix}{path.suffix}"
        if not candidate.exists():
            return candidate
    raise FileExistsError(f"no free name for {path.name} in {folder}")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
