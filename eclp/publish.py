"""`eclp send`: email the latest (or a given) workbook with the last build's summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from eclp.build import latest_workbook
from eclp.config import Config
from eclp.errors import ConfigError, NotFoundError
from eclp.store import Store
from eclp.workspace import Workspace


def last_summary(ws: Workspace) -> dict | None:
    with Store.open(ws.store_path, read_only=True) as store:
        text = store.meta_get("last_build_summary")
    return json.loads(text) if text else None


def send_latest(
    ws: Workspace, *, config: Config, path: Path | None = None, to: Sequence[str] | None = None
):
    from eclp.delivery.mail import send_workbook

    if config.email is None:
        raise ConfigError("email is not configured: add an `email:` section to eclp.yaml")
    workbook = ws.resolve(path) if path else latest_workbook(ws)
    if workbook is None or not workbook.is_file():
        raise NotFoundError(
            f"no workbook to send{f' at {workbook}' if workbook else ''} (run `eclp build` first)"
        )
    return send_workbook(
        workbook, config.email, to=list(to) if to else None, summary=last_summary(ws)
    )
