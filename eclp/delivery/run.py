"""`eclp run`: the unattended job cron calls — ingest inbox/, build, send (spec §2, §8).

Crash safety comes from ordering, not from cleanup code a kill -9 would skip:
- each file is ingested in its own store transaction and moved out of inbox/ only after
  the commit; killed between the two, the next run finds its content hash stored, skips it
  and archives it;
- the build writes the workbook atomically, so the last good one is never half-replaced;
- the run log gets a `running` record first, so a killed run shows up as interrupted;
- sending happens last and is retried by the next run until one succeeds.
A second run finding nothing new (same store, same day, workbook present and sent) changes
nothing: no build, no email.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eclp.config import Config
from eclp.delivery.inbox import archive_file, inbox_files, reject_file
from eclp.delivery.lock import workspace_lock
from eclp.delivery.runlog import append_run, last_good_run
from eclp.errors import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, EclpError, LockedError
from eclp.workspace import Workspace

COUNT_KEYS = ("rows", "accepted", "rejected", "new", "updated")
SUMMARY_KEYS = ("customers", "orders", "records", "revenue", "currency", "segments")


@dataclass(frozen=True)
class FileOutcome:
    """What `run` did with one inbox file."""

    file: str
    outcome: str  # stored | skipped (already ingested) | refused
    moved_to: str
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "outcome": self.outcome,
            "moved_to": self.moved_to,
            **self.counts,
            "error": self.error,
        }


@dataclass(frozen=True)
class RunResult:
    """The outcome of one `eclp run`; exit_code 0 ok, 3 some files or rows refused."""

    run_id: str
    started: str
    finished: str
    exit_code: int
    outcome: str  # ok | partial
    files: tuple[FileOutcome, ...]
    counts: Mapping[str, int]
    workbook: Path | None
    built: bool
    sent: bool
    recipients: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "exit_code": self.exit_code,
            "outcome": self.outcome,
            "files": [f.as_dict() for f in self.files],
            "counts": dict(self.counts),
            "workbook": str(self.workbook) if self.workbook else None,
            "built": self.built,
            "sent": self.sent,
            "recipients": list(self.recipients),
            "notes": list(self.notes),
        }

    def describe(self) -> str:
        """A few lines for a person reading cron mail."""
        lines = [_files_line(self.files, self.counts)]
        lines += [f"  refused {f.file} -> {f.moved_to}: {f.error}" for f in self.files if f.error]
        if self.built and self.workbook:
            lines.append(f"Built {self.workbook}")
        if self.sent:
            lines.append(f"Sent to {', '.join(self.recipients)}")
        lines += list(self.notes)
        return "\n".join(lines)


def run(
    ws: Workspace,
    *,
    config: Config,
    send: bool = True,
    as_of: date | None = None,
    force_build: bool = False,
) -> RunResult:
    """Ingest every inbox file, build, send; one run at a time (LockedError otherwise)."""
    run_id = uuid.uuid4().hex[:12]
    started = _now()
    try:
        with workspace_lock(ws, command="run"):
            append_run(ws, _record(run_id, started, outcome="running"))
            return _locked_run(ws, config, run_id, started, send, as_of, force_build)
    except LockedError as exc:
        append_run(
            ws,
            _record(
                run_id,
                started,
                outcome="locked",
                exit_code=exc.exit_code,
                error=str(exc),
                finished=_now(),
            ),
        )
        raise


def _locked_run(
    ws: Workspace,
    config: Config,
    run_id: str,
    started: str,
    send: bool,
    as_of: date | None,
    force_build: bool,
) -> RunResult:
    files: list[FileOutcome] = []
    stage = "ingest"
    try:
        for path in inbox_files(ws):
            files.append(_take_file(ws, path, config))
        counts = _totals(files)
        stage = "build"
        as_of = as_of or datetime.now(UTC).date()
        previous = last_good_run(ws)
        fingerprint = store_fingerprint(ws)
        workbook, summary, built, notes = _build_if_needed(
            ws, config, as_of, previous, fingerprint, force_build or _stored_any(files)
        )
        stage = "send"
        sent, recipients = _send_if_due(ws, config, send, workbook, summary, built, previous)
    except BaseException as exc:
        # Logged, then re-raised: the CLI turns it into the one-line message and exit code.
        code = exc.exit_code if isinstance(exc, EclpError) else EXIT_FAILED
        outcome = "send-failed" if stage == "send" else "failed"
        append_run(
            ws,
            _record(
                run_id,
                started,
                outcome=outcome,
                exit_code=code,
                finished=_now(),
                stage=stage,
                error=_error_text(exc),
                files=[f.as_dict() for f in files],
                counts=_totals(files),
                workbook=str(workbook) if stage == "send" and workbook else None,
                fingerprint=fingerprint if stage == "send" else None,
                as_of=as_of.isoformat() if stage == "send" and as_of else None,
                summary=_small(summary) if stage == "send" else None,
            ),
        )
        raise
    partial = any(f.error for f in files) or counts.get("rejected", 0) > 0
    result = RunResult(
        run_id=run_id,
        started=started,
        finished=_now(),
        exit_code=EXIT_PARTIAL if partial else EXIT_OK,
        outcome="partial" if partial else "ok",
        files=tuple(files),
        counts=counts,
        workbook=workbook,
        built=built,
        sent=sent,
        recipients=recipients,
        notes=tuple(notes),
    )
    append_run(
        ws,
        _record(
            run_id,
            started,
            outcome=result.outcome,
            exit_code=result.exit_code,
            finished=result.finished,
            files=[f.as_dict() for f in files],
            counts=counts,
            workbook=str(workbook) if workbook else None,
            built=built,
            sent=sent,
            delivered=sent or bool(not built and previous and previous.get("delivered")),
            recipients=list(recipients),
            fingerprint=fingerprint,
            as_of=as_of.isoformat(),
            summary=_small(summary),
            notes=notes,
        ),
    )
    return result


def _take_file(ws: Workspace, path: Path, config: Config) -> FileOutcome:
    """Ingest one inbox file (its own transaction), then move it where it belongs."""
    reports = _ingest(ws, path, config)
    errors = [r.error for r in reports if r.error]
    counts = {k: sum(int(getattr(r, k) or 0) for r in reports) for k in COUNT_KEYS}
    if errors:
        moved = reject_file(ws, path, "; ".join(errors))
        return FileOutcome(path.name, "refused", _rel(ws, moved), counts, "; ".join(errors))
    moved = archive_file(ws, path)
    outcome = "skipped" if all(r.skipped for r in reports) else "stored"
    return FileOutcome(path.name, outcome, _rel(ws, moved), counts)


def _ingest(ws: Workspace, path: Path, config: Config) -> Sequence[Any]:
    from eclp.ingest import ingest_files

    return ingest_files(ws, [path], config=config)


def _build(ws: Workspace, config: Config, as_of: date) -> tuple[Path, dict]:
    from eclp.build import build

    result = build(ws, config=config, as_of=as_of)
    return result.workbook, dict(result.summary)


def _build_if_needed(
    ws: Workspace,
    config: Config,
    as_of: date,
    previous: Mapping[str, Any] | None,
    fingerprint: dict[str, int],
    changed: bool,
) -> tuple[Path | None, dict, bool, list[str]]:
    """Build unless the last good run already built this very store state today."""
    if fingerprint.get("person_records", 0) == 0:
        return None, {}, False, ["Nothing to build yet: the store holds no person records."]
    if not changed and previous and _same_state(previous, fingerprint, as_of):
        workbook = Path(previous["workbook"])
        note = f"Nothing new since the last run: {workbook.name} is up to date."
        return workbook, dict(previous.get("summary") or {}), False, [note]
    workbook, summary = _build(ws, config, as_of)
    return workbook, summary, True, []


def _same_state(previous: Mapping[str, Any], fingerprint: dict[str, int], as_of: date) -> bool:
    workbook = previous.get("workbook")
    return (
        previous.get("fingerprint") == fingerprint
        and previous.get("as_of") == as_of.isoformat()
        and bool(workbook)
        and Path(str(workbook)).is_file()
    )


def _send_if_due(
    ws: Workspace,
    config: Config,
    send: bool,
    workbook: Path | None,
    summary: dict,
    built: bool,
    previous: Mapping[str, Any] | None,
) -> tuple[bool, tuple[str, ...]]:
    """Send a new workbook, or one an earlier run built but failed to send."""
    if not send or config.email is None or workbook is None:
        return False, ()
    if not built and previous and previous.get("delivered"):
        return False, ()
    from eclp.delivery.mail import send_workbook

    before = previous.get("summary") if previous and built else None
    body_summary = {**summary, "previous": before} if before else summary
    result = send_workbook(workbook, config.email, summary=body_summary, shop=config.shop_name)
    return True, result.recipients


def store_fingerprint(ws: Workspace) -> dict[str, int]:
    """Cheap counts that change whenever the store's content does (ingest, forget, review)."""
    from eclp.store import Store

    queries = {
        "batches": "SELECT coalesce(max(batch_id), 0) FROM batches",
        "person_records": "SELECT count(*) FROM person_records",
        "orders": "SELECT count(*) FROM orders",
        "interactions": "SELECT count(*) FROM interactions",
        "suppression": "SELECT count(*) FROM suppression",
        "review_decisions": "SELECT count(*) FROM review_decisions",
    }
    with Store.open(ws.store_path, read_only=True) as store:
        return {k: int(store.con.execute(q).fetchall()[0][0]) for k, q in queries.items()}


def _stored_any(files: Sequence[FileOutcome]) -> bool:
    return any(f.outcome == "stored" for f in files)


def _totals(files: Sequence[FileOutcome]) -> dict[str, int]:
    totals = {k: sum(int(f.counts.get(k, 0)) for f in files) for k in COUNT_KEYS}
    totals["files"] = len(files)
    for outcome in ("stored", "skipped", "refused"):
        totals[outcome] = sum(f.outcome == outcome for f in files)
    return totals


def _small(summary: Mapping[str, Any] | None) -> dict[str, Any]:
    """The part of a build summary worth keeping in the run log (and comparing next time)."""
    return {k: summary[k] for k in SUMMARY_KEYS if summary and k in summary}


def _record(run_id: str, started: str, **fields: Any) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "command": "run",
        "pid": os.getpid(),
        "started": started,
        **{k: v for k, v in fields.items() if v is not None},
    }


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, EclpError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    # Internal errors: the type and a short message only; locals and data stay out of the log.
    return f"internal error: {type(exc).__name__}: {str(exc)[:200]}"


def _files_line(files: Sequence[FileOutcome], counts: Mapping[str, int]) -> str:
    if not files:
        return "Inbox empty: no new exports."
    return (
        f"Inbox: {len(files)} file(s): {counts.get('stored', 0)} stored, "
        f"{counts.get('skipped', 0)} already ingested, {counts.get('refused', 0)} refused; "
        f"rows {counts.get('rows', 0)}: {counts.get('accepted', 0)} accepted, "
        f"{counts.get('rejected', 0)} rejected ({counts.get('new', 0)} new, "
        f"{counts.get('updated', 0)} updated)."
    )


def _rel(ws: Workspace, path: Path) -> str:
    try:
        return str(path.relative_to(ws.root))
    except ValueError:
        return str(path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
