"""Finding and creating workspaces, and the paths inside one (spec §1)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from eclp.errors import WorkspaceError

CONFIG_NAME = "eclp.yaml"
ENV_VAR = "ECLP_WORKSPACE"


@dataclass(frozen=True)
class Workspace:
    """A folder holding eclp.yaml, inbox/, archive/, out/ and the store under .eclp/."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def rejected_dir(self) -> Path:
        return self.inbox / "rejected"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def rejects_dir(self) -> Path:
        return self.out / "rejects"

    @property
    def state_dir(self) -> Path:
        return self.root / ".eclp"

    @property
    def store_path(self) -> Path:
        return self.state_dir / "eclp.duckdb"

    @property
    def lock_path(self) -> Path:
        return self.state_dir / "lock"

    @property
    def runlog_path(self) -> Path:
        return self.state_dir / "runs.jsonl"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    def resolve(self, path: str | Path) -> Path:
        """A config path made absolute: relative paths are relative to the workspace."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.root / p

    def ensure_dirs(self) -> None:
        for d in (self.inbox, self.archive, self.out, self.state_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)


def find_workspace(explicit: Path | None = None, *, cwd: Path | None = None) -> Workspace:
    """The workspace from --workspace, else $ECLP_WORKSPACE, else the nearest parent with eclp.yaml."""
    if explicit is not None:
        return _checked(Path(explicit), "--workspace")
    env = os.environ.get(ENV_VAR)
    if env:
        return _checked(Path(env), f"${ENV_VAR}")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder)
    raise WorkspaceError(
        f"no eclp workspace here: no {CONFIG_NAME} in {start} or its parents "
        "(create one with `eclp init DIR`, or pass --workspace DIR)"
    )


def _checked(path: Path, origin: str) -> Workspace:
    root = path.expanduser().resolve()
    if not (root / CONFIG_NAME).is_file():
        raise WorkspaceError(f"{origin} {root} is not an eclp workspace (no {CONFIG_NAME})")
    return Workspace(root)


def init_workspace(path: Path, config_text: str) -> Workspace:
    """Create a workspace with a commented config and its folders; never overwrite one."""
    root = path.expanduser().resolve()
    ws = Workspace(root)
    if ws.config_path.exists():
        raise WorkspaceError(f"{ws.config_path} already exists: refusing to overwrite a workspace")
    root.mkdir(parents=True, exist_ok=True)
    ws.ensure_dirs()
    ws.config_path.write_text(config_text, encoding="utf-8")
    return ws
