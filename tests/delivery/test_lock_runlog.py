"""One run at a time per workspace, and a run log that survives crashes (spec §8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from eclp.delivery.lock import lock_holder, workspace_lock
from eclp.delivery.runlog import append_run, last_good_run, last_runs
from eclp.errors import EXIT_LOCKED, LockedError
from eclp.workspace import Workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    ws.ensure_dirs()
    return ws


def test_a_second_holder_is_refused_with_who_holds_it(ws):
    with workspace_lock(ws, command="run"):
        with pytest.raises(LockedError) as err, workspace_lock(ws, command="ingest"):
            pass
        holder = lock_holder(ws)
    assert err.value.exit_code == EXIT_LOCKED == 4
    message = str(err.value)
    assert message.startswith(f"another eclp run (pid {os.getpid()}, started ")
    assert "holds the workspace lock" in message and "\n" not in message
    assert holder is not None and holder.command == "run" and holder.pid == os.getpid()
    assert lock_holder(ws) is None  # released
    with workspace_lock(ws, command="build"):  # and free to take again
        pass


def test_a_lock_held_by_another_process_is_refused(ws):
    code = (
        "import sys, time; from pathlib import Path\n"
        "from eclp.workspace import Workspace\n"
        "from eclp.delivery.lock import workspace_lock\n"
        "with workspace_lock(Workspace(Path(sys.argv[1])), command='run'):\n"
        "    print('locked', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(ws.root)], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"locked"
        with (
            pytest.raises(LockedError, match=f"pid {child.pid}"),
            workspace_lock(ws, command="run"),
        ):
            pass
    finally:
        child.kill()  # SIGKILL: no cleanup runs in the child
        child.wait()
    # The kernel released the dead holder's lock: the stale file does not block anyone.
    assert lock_holder(ws) is None
    with workspace_lock(ws, command="run"):
        info = json.loads(ws.lock_path.read_text())
    assert info["pid"] == os.getpid() and info["command"] == "run"


def test_run_log_keeps_the_latest_record_of_each_run(ws):
    append_run(ws, {"run_id": "a", "pid": os.getpid(), "outcome": "running"})
    append_run(ws, {"run_id": "a", "outcome": "ok", "exit_code": 0, "workbook": "out/a.xlsx"})
    append_run(ws, {"run_id": "b", "outcome": "failed", "exit_code": 1})
    runs = last_runs(ws)
    assert [(r["run_id"], r["outcome"]) for r in runs] == [("a", "ok"), ("b", "failed")]
    assert last_good_run(ws)["workbook"] == "out/a.xlsx"
    assert [r["run_id"] for r in last_runs(ws, n=1)] == ["b"]


def test_a_run_killed_mid_way_shows_as_interrupted_and_a_torn_line_is_skipped(ws):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    append_run(ws, {"run_id": "x", "pid": dead.pid, "outcome": "running"})
    with ws.runlog_path.open("ab") as fh:
        fh.write(b'{"run_id": "y", "outc')  # the writer died mid-line
    append_run(ws, {"run_id": "z", "outcome": "ok"})
    runs = last_runs(ws)
    assert [(r["run_id"], r["outcome"]) for r in runs] == [("x", "interrupted"), ("z", "ok")]
    assert ws.runlog_path.read_text().count("\n") == 3  # z started on a fresh line


def test_no_run_log_yet_means_no_runs(ws):
    assert last_runs(ws) == [] and last_good_run(ws) is None
