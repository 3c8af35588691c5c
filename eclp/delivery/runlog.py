"""The run log: one JSON line per run event in .eclp/runs.jsonl, append-only and fsync'd.

A run appends a `running` record when it starts and its full record when it ends, both with
the same `run_id`; readers keep the latest record per run, so a run killed half-way shows up
as `interrupted` instead of vanishing. A line torn by a crash mid-write is skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from eclp.delivery.lock import pid_alive
from eclp.workspace import Workspace

RUNNING = "running"
INTERRUPTED = "interrupted"


def append_run(ws: Workspace, record: Mapping[str, Any]) -> None:
    """Append one record as a JSON line and fsync it (one write: atomic for O_APPEND)."""
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(dict(record), default=str, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(ws.runlog_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        # A torn line from a killed writer would glue onto ours: start on a fresh line.
        if os.fstat(fd).st_size and not _ends_with_newline(ws):
            line = b"\n" + line
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def last_runs(ws: Workspace, n: int = 10) -> list[dict[str, Any]]:
    """The last n runs, oldest first; the latest record of each run wins."""
    runs: dict[str, dict[str, Any]] = {}
    for record in _records(ws):
        key = str(record.get("run_id") or f"line-{len(runs)}")
        runs.pop(key, None)  # re-insert so dict order follows each run's latest event
        runs[key] = record
    out = list(runs.values())[-n:] if n > 0 else []
    return [_with_liveness(r) for r in out]


def last_good_run(ws: Workspace) -> dict[str, Any] | None:
    """The latest run that built a workbook (outcome ok or partial), or None."""
    for record in reversed(last_runs(ws, n=1000)):
        if record.get("workbook") and record.get("outcome") in ("ok", "partial", "send-failed"):
            return record
    return None


def _records(ws: Workspace) -> list[dict[str, Any]]:
    try:
        raw = ws.runlog_path.read_bytes()
    except FileNotFoundError:
        return []
    out = []
    for line in raw.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # torn by a crash mid-write
        if isinstance(record, dict):
            out.append(record)
    return out


def _with_liveness(record: dict[str, Any]) -> dict[str, Any]:
    # A run still `running` whose process is gone was killed: say so.
    if record.get("outcome") == RUNNING:
        pid = record.get("pid")
        if not (isinstance(pid, int) and pid_alive(pid)):
            return {**record, "outcome": INTERRUPTED}
    return record


def _ends_with_newline(ws: Workspace) -> bool:
    with ws.runlog_path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"
