"""One eclp writer at a time per workspace: an OS file lock on .eclp/lock (spec §8).

`fcntl.flock` is released by the kernel when the holding process dies, so a run killed with
kill -9 never leaves a lock behind: the stale file's contents are just overwritten by the next
holder. The file is never deleted (deleting would let two processes lock two different inodes).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from eclp.errors import LockedError
from eclp.workspace import Workspace


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) the lock, as written into the lock file."""

    pid: int | None
    command: str | None
    started: str | None  # ISO time, UTC

    def describe(self) -> str:
        parts = []
        if self.pid is not None:
            parts.append(f"pid {self.pid}")
        if self.started:
            parts.append(f"started {self.started[:16].replace('T', ' ')} UTC")
        who = f"eclp {self.command}" if self.command else "eclp command"
        return f"another {who} ({', '.join(parts)})" if parts else f"another {who}"


@contextmanager
def workspace_lock(ws: Workspace, *, command: str) -> Iterator[None]:
    """Hold the workspace lock for the block; raise LockedError at once if someone else has it."""
    ws.state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(ws.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            raise LockedError(
                f"{holder.describe()} holds the workspace lock {ws.lock_path}; "
                "try again when it has finished"
            ) from None
        _write_holder(fd, command)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # released cleanly: nobody holds it now
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(ws: Workspace) -> LockHolder | None:
    """Who holds the workspace lock now, or None when it is free (for `eclp status`).

    Reads the lock file rather than probing the lock, so it can never make a starting run
    fail; a holder whose pid is dead was killed and its lock is already free.
    """
    try:
        fd = os.open(ws.lock_path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        holder = _read_holder(fd)
    finally:
        os.close(fd)
    if holder.pid is None or not pid_alive(holder.pid):
        return None
    return holder


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_holder(fd: int, command: str) -> None:
    info = {
        "pid": os.getpid(),
        "command": command,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)


def _read_holder(fd: int) -> LockHolder:
    # The holder may be between truncate and write: an unreadable file is an unknown holder.
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (ValueError, OSError):
        info = {}
    pid = info.get("pid")
    return LockHolder(
        pid=pid if isinstance(pid, int) else None,
        command=info.get("command"),
        started=info.get("started"),
    )
