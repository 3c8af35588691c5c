"""Workspaces are found from --workspace, $ECLP_WORKSPACE, or the nearest parent."""

from __future__ import annotations

import pytest

from eclp.errors import WorkspaceError
from eclp.workspace import find_workspace, init_workspace


def test_init_creates_config_and_folders(tmp_path):
    ws = init_workspace(tmp_path / "shop", "shop: {}\n")
    for folder in (ws.inbox, ws.archive, ws.out, ws.state_dir):
        assert folder.is_dir()
    assert ws.config_path.read_text() == "shop: {}\n"


def test_init_refuses_to_overwrite(tmp_path):
    init_workspace(tmp_path, "shop: {}\n")
    with pytest.raises(WorkspaceError, match="already exists"):
        init_workspace(tmp_path, "other: {}\n")
    assert (tmp_path / "eclp.yaml").read_text() == "shop: {}\n"


def test_found_from_a_subfolder(tmp_path, monkeypatch):
    monkeypatch.delenv("ECLP_WORKSPACE", raising=False)
    ws = init_workspace(tmp_path / "shop", "")
    deep = ws.root / "out" / "x"
    deep.mkdir(parents=True)
    assert find_workspace(cwd=deep).root == ws.root


def test_environment_variable_wins_over_cwd(tmp_path, monkeypatch):
    a = init_workspace(tmp_path / "a", "")
    b = init_workspace(tmp_path / "b", "")
    monkeypatch.setenv("ECLP_WORKSPACE", str(b.root))
    assert find_workspace(cwd=a.root).root == b.root
    assert find_workspace(a.root).root == a.root  # --workspace wins over both


def test_no_workspace_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ECLP_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceError, match="eclp init"):
        find_workspace(cwd=tmp_path)
    with pytest.raises(WorkspaceError, match="not an eclp workspace"):
        find_workspace(tmp_path)
