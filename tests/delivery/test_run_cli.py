"""`eclp run` end to end through the real CLI in subprocesses: idempotence, the lock, kill -9.

Each test drops the bundled example exports into a fresh workspace's inbox/ and runs
`python -m eclp -w WS run`. Crash tests kill the process with SIGKILL at a chosen stage and
check that a clean run afterwards leaves exactly the store a never-interrupted run leaves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from eclp.delivery.lock import workspace_lock
from eclp.delivery.privacy import find_subject
from eclp.delivery.runlog import last_runs
from eclp.errors import NotFoundError
from eclp.store import Store
from eclp.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXPORTS = (
    "customers_export.csv",
    "orders_export_1.csv",
    "subscribed_members_export_4f1a.csv",
    "zendesk_tickets.csv",
    "loyalty_members.xlsx",
)
COUNTED = ("person_records", "orders", "order_lines", "interactions", "batches", "rejects")
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
ENV.pop("ECLP_WORKSPACE", None)


def new_workspace(root: Path) -> Workspace:
    ws = Workspace(root)
    ws.ensure_dirs()
    shutil.copy(EXAMPLES / "eclp.yaml", ws.config_path)
    return ws


def fill_inbox(ws: Workspace, names=EXPORTS) -> None:
    for age, name in enumerate(reversed(names)):
        target = ws.inbox / name
        shutil.copy(EXAMPLES / "exports" / name, target)
        os.utime(target, (time.time() - 100 - age, time.time() - 100 - age))


def eclp(ws: Workspace, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eclp", "-w", str(ws.root), *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=240,
    )


def start_run(ws: Workspace) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "eclp", "-w", str(ws.root), "run", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )


def counts(ws: Workspace) -> dict[str, int]:
    with Store.open(ws.store_path, read_only=True) as store:
        return {t: store.count(t) for t in COUNTED}


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> bool:
    """SIGKILL proc as soon as ready() holds; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.kill()
    raise AssertionError("the run neither reached the stage nor finished")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, int]:
    """Store counts after one uninterrupted run over the examples."""
    ws = new_workspace(tmp_path_factory.mktemp("reference") / "ws")
    fill_inbox(ws)
    done = eclp(ws, "run", "--quiet")
    assert done.returncode in (0, 3), done.stderr
    return counts(ws)


def test_two_runs_over_the_same_inbox_change_nothing_the_second_time(tmp_path, reference):
    ws = new_workspace(tmp_path / "ws")
    fill_inbox(ws)
    first = eclp(ws, "run", "--json")
    assert first.returncode in (0, 3), first.stderr
    result = json.loads(first.stdout)
    assert sorted(f["file"] for f in result["files"]) == sorted(EXPORTS)
    assert sorted(p.name for p in ws.archive.iterdir()) == sorted(EXPORTS)
    assert counts(ws) == reference
    workbook = Path(result["workbook"])
    assert "Customers" in load_workbook(workbook, read_only=True).sheetnames
    state = {
        p: p.read_bytes()
        for p in sorted(ws.root.rglob("*"))
        if p.is_file() and ".eclp" not in p.parts
    }

    second = eclp(ws, "run", "--quiet")

    assert second.returncode == 0 and second.stdout == "" and second.stderr == ""
    assert counts(ws) == reference
    after = {
        p: p.read_bytes()
        for p in sorted(ws.root.rglob("*"))
        if p.is_file() and ".eclp" not in p.parts
    }
    assert after == state
    runs = last_runs(ws)
    assert [r["outcome"] for r in runs] in (["ok", "ok"], ["partial", "ok"])


def test_a_second_run_while_one_holds_the_lock_exits_4(tmp_path):
    ws = new_workspace(tmp_path / "ws")
    fill_inbox(ws, EXPORTS[:2])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from eclp.workspace import Workspace\n"
            "from eclp.delivery.lock import workspace_lock\n"
            "with workspace_lock(Workspace(Path(sys.argv[1])), command='run'):\n"
            "    print('locked', flush=True); time.sleep(60)\n",
            str(ws.root),
        ],
        stdout=subprocess.PIPE,
        env=ENV,
    )
    try:
        assert holder.stdout.readline().strip() == b"locked"
        blocked = eclp(ws, "run", "--quiet")
    finally:
        holder.kill()
        holder.wait()
    assert blocked.returncode == 4
    assert blocked.stderr.count("\n") == 1
    assert blocked.stderr.startswith(f"eclp: another eclp run (pid {holder.pid}, started ")
    assert (ws.inbox / EXPORTS[0]).is_file()  # untouched
    # The holder died by SIGKILL: its lock is free again at once.
    with workspace_lock(ws, command="run"):
        pass


def test_kill_9_during_ingest_then_a_clean_run_loses_nothing(tmp_path, reference):
    ws = new_workspace(tmp_path / "ws")
    fill_inbox(ws)
    proc = start_run(ws)
    # Mid-ingest: at least one file archived, at least one still waiting.
    killed = kill_when(
        proc, lambda: any(ws.archive.iterdir()) and any(p.is_file() for p in ws.inbox.iterdir())
    )
    assert killed, "the run finished before it could be killed mid-ingest"
    done = eclp(ws, "run", "--quiet")
    assert done.returncode in (0, 3), done.stderr
    assert counts(ws) == reference
    assert sorted(p.name for p in ws.archive.iterdir()) == sorted(EXPORTS)
    with Store.open(ws.store_path, read_only=True) as store:
        hashes = store.con.execute(
            "SELECT content_hash, count(*) FROM batches GROUP BY 1 HAVING count(*) > 1"
        ).fetchall()
    assert hashes == []  # no file stored twice
    runs = last_runs(ws)
    assert [r["outcome"] for r in runs][-2:] == ["interrupted", runs[-1]["outcome"]]


def test_kill_9_during_build_keeps_the_last_good_workbook(tmp_path, reference):
    ws = new_workspace(tmp_path / "ws")
    fill_inbox(ws, EXPORTS[:-1])
    first = eclp(ws, "run", "--json")
    assert first.returncode in (0, 3), first.stderr
    workbook = Path(json.loads(first.stdout)["workbook"])
    good = workbook.read_bytes()
    fill_inbox(ws, EXPORTS[-1:])
    proc = start_run(ws)
    # Ingest done (inbox empty): the process is building.
    killed = kill_when(proc, lambda: not any(p.is_file() for p in ws.inbox.iterdir()))
    assert killed, "the run finished before it could be killed during the build"
    assert workbook.read_bytes() == good  # never a partial workbook where the good one was
    assert "Customers" in load_workbook(workbook, read_only=True).sheetnames
    done = eclp(ws, "run", "--quiet")
    assert done.returncode in (0, 3), done.stderr
    assert counts(ws) == reference
    assert "Customers" in load_workbook(workbook, read_only=True).sheetnames
    assert workbook.read_bytes() != good  # rebuilt with the loyalty members


def a_customer_with_orders() -> str:
    """An email present in both the customers and the orders example exports."""
    import pandas as pd

    customers = pd.read_csv(EXAMPLES / "exports" / "customers_export.csv", dtype=str)
    orders = pd.read_csv(EXAMPLES / "exports" / "orders_export_1.csv", dtype=str)
    both = customers["Email"].str.lower().dropna()
    return next(e for e in both if (orders["Email"].str.lower() == e).sum() >= 2)


def test_export_subject_then_forget_survives_reingest_of_the_original_exports(tmp_path):
    ws = new_workspace(tmp_path / "ws")
    names = ("customers_export.csv", "orders_export_1.csv")
    fill_inbox(ws, names)
    assert eclp(ws, "run", "--quiet").returncode in (0, 3)
    email = a_customer_with_orders()

    exported = eclp(ws, "export-subject", email, "--out", str(tmp_path / "request"))
    assert exported.returncode == 0, exported.stderr
    document = json.loads((tmp_path / "request.json").read_text(encoding="utf-8"))
    tables = document["tables"]
    assert any(r["email"] == email for r in tables["person_records"])
    assert len(tables["orders"]) >= 2 and len(tables["order_lines"]) >= len(tables["orders"])
    assert len(tables["customer_ids"]) == len(tables["person_records"])
    assert (tmp_path / "request.xlsx").is_file()
    keys = {(r["source"], r["source_record_id"]) for r in tables["person_records"]}

    forgot = eclp(ws, "forget", email, "--yes", "--json")
    assert forgot.returncode == 0, forgot.stderr
    report = json.loads(forgot.stdout)
    assert report["removed"]["person_records"] == len(keys)
    assert report["removed"]["orders"] == len(tables["orders"])

    # The analyst drops the same exports again, re-saved (so their content hash differs).
    for name in names:
        data = (ws.archive / name).read_bytes()
        (ws.inbox / name).write_bytes(data.rstrip(b"\r\n") + b"\r\n\r\n")
    again = eclp(ws, "run", "--quiet")
    assert again.returncode in (0, 3), again.stderr
    with Store.open(ws.store_path, read_only=True) as store:
        people = store.frame("person_records")
        orders = store.frame("orders")
    assert not (people["email"] == email).any()
    assert not any(
        k in keys for k in zip(people["source"], people["source_record_id"], strict=True)
    )
    order_keys = {(r["source"], r["order_id"]) for r in tables["orders"]}
    assert not any(k in order_keys for k in zip(orders["source"], orders["order_id"], strict=True))
    identity_map = (ws.out / "identity_map.csv").read_text(encoding="utf-8")
    assert email not in identity_map
    with Store.open(ws.store_path, read_only=True) as store, pytest.raises(NotFoundError):
        find_subject(store, email)
