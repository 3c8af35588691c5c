"""`eclp run` semantics with the ingest and build stages stubbed: moves, idempotence, logging.

The stubs store into a real store (one transaction per file, keyed by content hash, like the
real pipeline) and write a real workbook atomically; end-to-end runs through the CLI are in
test_run_cli.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from eclp.config import Config
from eclp.delivery import run as run_module
from eclp.delivery.run import run, store_fingerprint
from eclp.delivery.runlog import last_runs
from eclp.delivery.settings import EmailSettings
from eclp.errors import DeliveryError, EclpError, LockedError
from eclp.store import Store
from eclp.workspace import Workspace

AS_OF = date(2026, 11, 23)


@dataclass(frozen=True)
class Report:
    file: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    skipped: bool = False
    error: str | None = None


class FakePipeline:
    """Ingest: each line of a file is a person record; a file named bad* is refused."""

    def __init__(self) -> None:
        self.ingested: list[str] = []
        self.builds = 0
        self.fail_build = False

    def ingest(self, ws: Workspace, path: Path, config: Config) -> list[Report]:
        self.ingested.append(path.name)
        if path.name.startswith("bad"):
            return [Report(path.name, error=f"{path.name}: row 1, column 'Email': not a header")]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines = path.read_text().splitlines()
        with Store.open(ws.store_path) as store:
            done = store.con.execute(
                "SELECT count(*) FROM batches WHERE content_hash = ?", [digest]
            ).fetchall()[0][0]
            if done:
                return [Report(path.name, skipped=True)]
            with store.transaction() as con:
                batch = con.execute("SELECT nextval('batch_seq')").fetchall()[0][0]
                for i, line in enumerate(lines):
                    con.execute(
                        "INSERT INTO person_records (source, source_record_id, email, file, row, "
                        "batch_id) VALUES ('shop', ?, ?, ?, ?, ?)",
                        [line, line, path.name, i + 2, batch],
                    )
                con.execute(
                    "INSERT INTO batches (batch_id, file_name, content_hash, status) "
                    "VALUES (?, ?, ?, 'ok')",
                    [batch, path.name, digest],
                )
        rejected = sum("@" not in line for line in lines)
        return [Report(path.name, len(lines), len(lines) - rejected, rejected, len(lines))]

    def build(self, ws: Workspace, config: Config, as_of: date) -> tuple[Path, dict]:
        if self.fail_build:
            raise EclpError("identity resolution failed: out of memory")
        self.builds += 1
        with Store.open(ws.store_path, read_only=True) as store:
            customers = store.count("person_records")
        target = ws.out / f"customer-dashboard-{as_of.isoformat()}.xlsx"
        tmp = target.with_name(target.name + ".tmp")
        book = xlsxwriter.Workbook(str(tmp))
        book.add_worksheet("Overview").write_row(0, 0, ["Customers", customers])
        book.close()
        tmp.replace(target)
        summary = {
            "customers": customers,
            "revenue": 10.0 * customers,
            "currency": "EUR",
            "segments": {"Champions": customers},
        }
        return target, summary


@pytest.fixture
def pipeline(monkeypatch) -> FakePipeline:
    fake = FakePipeline()
    monkeypatch.setattr(run_module, "_ingest", fake.ingest)
    monkeypatch.setattr(run_module, "_build", fake.build)
    return fake


@pytest.fixture
def ws(tmp_path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    ws.ensure_dirs()
    return ws


def drop(ws: Workspace, name: str, text: str) -> Path:
    path = ws.inbox / name
    path.write_text(text)
    return path


def tree(ws: Workspace) -> dict[str, bytes]:
    return {
        str(p.relative_to(ws.root)): p.read_bytes()
        for p in sorted(ws.root.rglob("*"))
        if p.is_file() and ".eclp" not in p.parts
    }


def test_run_ingests_archives_builds_and_logs(ws, pipeline):
    drop(ws, "customers.csv", "ana@x.example\nbob@x.example\n")
    drop(ws, "bad_export.csv", "garbage\n")
    result = run(ws, config=Config(), as_of=AS_OF)

    assert result.exit_code == 3 and result.outcome == "partial"  # one file refused
    assert sorted(p.name for p in ws.archive.iterdir()) == ["customers.csv"]
    assert sorted(p.name for p in ws.rejected_dir.iterdir()) == [
        "bad_export.csv",
        "bad_export.csv.reason.txt",
    ]
    note = (ws.rejected_dir / "bad_export.csv.reason.txt").read_text()
    assert "row 1, column 'Email': not a header" in note
    assert [p.name for p in ws.inbox.iterdir() if p.is_file()] == []
    assert result.counts["stored"] == 1 and result.counts["refused"] == 1
    assert result.counts["accepted"] == 2 and result.built and not result.sent
    assert result.workbook == ws.out / "customer-dashboard-2026-11-23.xlsx"
    (record,) = last_runs(ws)
    assert record["outcome"] == "partial" and record["exit_code"] == 3
    assert record["files"][1]["moved_to"] == "inbox/rejected/bad_export.csv"
    assert record["counts"]["new"] == 2 and record["summary"]["customers"] == 2


def test_a_second_run_over_the_same_inbox_changes_nothing(ws, pipeline):
    drop(ws, "customers.csv", "ana@x.example\nbob@x.example\n")
    run(ws, config=Config(), as_of=AS_OF)
    before, fingerprint = tree(ws), store_fingerprint(ws)

    again = run(ws, config=Config(), as_of=AS_OF)

    assert again.exit_code == 0 and again.files == () and not again.built
    assert tree(ws) == before and store_fingerprint(ws) == fingerprint
    assert pipeline.builds == 1
    assert "Nothing new since the last run" in again.describe()


def test_a_file_already_stored_is_archived_without_a_rebuild(ws, pipeline):
    """The crash window between commit and move: the next run sees the hash and archives it."""
    drop(ws, "customers.csv", "ana@x.example\n")
    run(ws, config=Config(), as_of=AS_OF)
    drop(ws, "customers-copy.csv", "ana@x.example\n")  # same content, as if never moved
    result = run(ws, config=Config(), as_of=AS_OF)
    assert [f.outcome for f in result.files] == ["skipped"]
    assert (ws.archive / "customers-copy.csv").is_file()
    assert pipeline.builds == 1 and store_fingerprint(ws)["person_records"] == 1


def test_archive_keeps_both_files_when_a_name_comes_back_with_new_content(ws, pipeline):
    drop(ws, "customers.csv", "ana@x.example\n")
    run(ws, config=Config(), as_of=AS_OF)
    drop(ws, "customers.csv", "ana@x.example\ncid@x.example\n")
    result = run(ws, config=Config(), as_of=AS_OF)
    names = sorted(p.name for p in ws.archive.iterdir())
    assert len(names) == 2 and "customers.csv" in names
    (renamed,) = [n for n in names if n != "customers.csv"]
    assert renamed.startswith("customers-2026") and renamed.endswith(".csv")
    assert (ws.archive / renamed).read_text() == "ana@x.example\ncid@x.example\n"
    assert result.built and pipeline.builds == 2


def test_unfinished_and_hidden_files_are_left_alone(ws, pipeline):
    for name in ("~$loyalty.xlsx", ".DS_Store", "orders.csv.crdownload", "big.csv.part"):
        drop(ws, name, "x")
    result = run(ws, config=Config(), as_of=AS_OF)
    assert result.files == () and pipeline.ingested == []
    assert len([p for p in ws.inbox.iterdir() if p.is_file()]) == 4


def test_files_are_taken_oldest_first(ws, pipeline):
    import os

    for age, name in ((30, "c.csv"), (10, "a.csv"), (20, "b.csv")):
        path = drop(ws, name, f"{name}@x.example\n")
        os.utime(path, (1_700_000_000 - age, 1_700_000_000 - age))
    run(ws, config=Config(), as_of=AS_OF)
    assert pipeline.ingested == ["c.csv", "b.csv", "a.csv"]


def test_a_failed_build_is_logged_and_the_next_run_builds(ws, pipeline):
    drop(ws, "customers.csv", "ana@x.example\n")
    pipeline.fail_build = True
    with pytest.raises(EclpError, match="out of memory"):
        run(ws, config=Config(), as_of=AS_OF)
    (record,) = last_runs(ws)
    assert record["outcome"] == "failed" and record["stage"] == "build"
    assert record["exit_code"] == 1 and (ws.archive / "customers.csv").is_file()
    pipeline.fail_build = False
    result = run(ws, config=Config(), as_of=AS_OF)
    assert result.built and result.exit_code == 0


def test_a_concurrent_run_gets_locked_error_and_is_logged(ws, pipeline):
    from eclp.delivery.lock import workspace_lock

    drop(ws, "customers.csv", "ana@x.example\n")
    with workspace_lock(ws, command="run"), pytest.raises(LockedError) as err:
        run(ws, config=Config(), as_of=AS_OF)
    assert err.value.exit_code == 4
    assert (ws.inbox / "customers.csv").is_file() and pipeline.ingested == []
    assert last_runs(ws)[-1]["outcome"] == "locked"


def email_config(server, **overrides) -> Config:
    values = {
        "smtp_host": server.host,
        "smtp_port": server.port,
        "security": "none",
        "from_addr": "reports@shop.example",
        "to": ("owner@shop.example",),
        "retries": 0,
        "timeout": 10.0,
        **overrides,
    }
    settings = EmailSettings(**values)
    return Config(shop_name="Acme", email=settings)


def test_run_sends_once_and_says_what_changed(ws, pipeline, smtp_server):
    import email as email_lib
    import email.policy

    server = smtp_server("none")
    config = email_config(server, subject="{shop} dashboard {date}")
    drop(ws, "customers.csv", "ana@x.example\n")
    first = run(ws, config=config, as_of=AS_OF)
    drop(ws, "more.csv", "bob@x.example\ncid@x.example\n")
    second = run(ws, config=config, as_of=AS_OF)
    third = run(ws, config=config, as_of=AS_OF)  # nothing new: no second copy of the same

    assert (first.sent, second.sent, third.sent) == (True, True, False)
    assert len(server.inbox.messages) == 2
    message = email_lib.message_from_bytes(server.inbox.messages[1][2], policy=email.policy.default)
    assert message["Subject"].startswith("Acme dashboard ")
    body = message.get_body(("plain",)).get_content()
    assert "Customers: 3" in body and "Since the last run: +2 customers" in body
    (part,) = list(message.iter_attachments())
    assert part.get_payload(decode=True) == second.workbook.read_bytes()


def test_a_failed_send_is_retried_by_the_next_run_without_rebuilding(ws, pipeline, smtp_server):
    server = smtp_server("none")
    drop(ws, "customers.csv", "ana@x.example\n")
    broken = email_config(server, max_attachment_mb=0.000001)
    with pytest.raises(DeliveryError, match=r"over email\.max_attachment_mb"):
        run(ws, config=broken, as_of=AS_OF)
    assert last_runs(ws)[-1]["outcome"] == "send-failed"
    result = run(ws, config=email_config(server), as_of=AS_OF)
    assert result.sent and not result.built and pipeline.builds == 1
    assert len(server.inbox.messages) == 1


def test_no_secret_reaches_the_run_log(ws, pipeline, smtp_server, monkeypatch):
    from .conftest import SMTP_PASSWORD, SMTP_USER

    monkeypatch.setenv("ECLP_TEST_USER", SMTP_USER)
    monkeypatch.setenv("ECLP_TEST_PASSWORD", "wrong-" + SMTP_PASSWORD)
    server = smtp_server("ssl", auth=True)
    config = email_config(
        server,
        security="ssl",
        ca_file=str(server.ca_file),
        username_env="ECLP_TEST_USER",
        password_env="ECLP_TEST_PASSWORD",
    )
    drop(ws, "customers.csv", "ana@x.example\n")
    with pytest.raises(DeliveryError) as err:
        run(ws, config=config, as_of=AS_OF)
    log = ws.runlog_path.read_text()
    assert "SMTP login" in log and "ECLP_TEST_PASSWORD" in log
    for secret in (SMTP_PASSWORD, SMTP_USER):
        assert secret not in log and secret not in str(err.value)
