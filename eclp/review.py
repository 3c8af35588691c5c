"""`eclp review`: the queue of uncertain links from the last build, and analysts' decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from eclp.store import Store
from eclp.workspace import Workspace


def review_queue(ws: Workspace) -> pd.DataFrame:
    with Store.open(ws.store_path, read_only=True) as store:
        exists = store.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'review_queue'"
        ).fetchall()[0][0]
        if not exists:
            return pd.DataFrame()
        queue = store.frame("review_queue")
        decided = store.frame("review_decisions")
    if queue.empty or decided.empty:
        return queue
    done = {
        frozenset({(a, b), (c, d)})
        for a, b, c, d in zip(
            decided["source_a"],
            decided["record_id_a"],
            decided["source_b"],
            decided["record_id_b"],
            strict=True,
        )
    }
    keep = [
        frozenset({(a, b), (c, d)}) not in done
        for a, b, c, d in zip(
            queue["source_a"],
            queue["record_id_a"],
            queue["source_b"],
            queue["record_id_b"],
            strict=True,
        )
    ]
    return queue[keep].reset_index(drop=True)


def export_queue(ws: Workspace, path: Path) -> tuple[Path, int]:
    from eclp.identity.review import export_review

    queue = review_queue(ws)
    target = export_review(queue, ws.resolve(path))
    return target, len(queue)


def apply_decisions(ws: Workspace, path: Path) -> int:
    """Store same/different decisions; a later decision on the same pair replaces the earlier."""
    from eclp.identity.review import read_decisions

    decisions = read_decisions(ws.resolve(path))
    if decisions.empty:
        return 0
    decisions = decisions[
        ["source_a", "record_id_a", "source_b", "record_id_b", "decision"]
    ].assign(decided_at=datetime.now(UTC).replace(tzinfo=None), note=str(path))
    with Store.open(ws.store_path) as store, store.transaction() as con:
        con.register("incoming", decisions)
        con.execute(
            "DELETE FROM review_decisions d USING incoming i WHERE "
            "(d.source_a = i.source_a AND d.record_id_a = i.record_id_a AND "
            " d.source_b = i.source_b AND d.record_id_b = i.record_id_b) OR "
            "(d.source_a = i.source_b AND d.record_id_a = i.record_id_b AND "
            " d.source_b = i.source_a AND d.record_id_b = i.record_id_a)"
        )
        con.execute("INSERT INTO review_decisions BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    return len(decisions)
