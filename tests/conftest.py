"""Shared fixtures: a fresh workspace in tmp_path, and the example exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclp.config_template import CONFIG_TEMPLATE
from eclp.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.delenv("ECLP_WORKSPACE", raising=False)
    return init_workspace(tmp_path / "ws", CONFIG_TEMPLATE)


@pytest.fixture
def example_exports() -> Path:
    return EXAMPLES / "exports"
