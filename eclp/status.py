"""`eclp status`: what the store holds, per source, and the last build and runs."""

from __future__ import annotations

from eclp.store import Store
from eclp.workspace import Workspace

COUNTED_TABLES = (
    "person_records",
    "orders",
    "order_lines",
    "interactions",
    "spend",
    "costs",
    "content",
    "batches",
    "rejects",
)


def workspace_status(ws: Workspace) -> dict:
    with Store.open(ws.store_path, read_only=True) as store:
        tables = {t: store.count(t) for t in COUNTED_TABLES}
        sources = store.con.execute(
            "SELECT source, string_agg(DISTINCT profile, ', ') AS profile, count(*) AS files, "
            "sum(rows) AS rows, sum(accepted) AS accepted, sum(rejected) AS rejected, "
            "max(finished_at) AS last_ingest FROM batches WHERE status = 'ok' "
            "GROUP BY source ORDER BY source"
        ).df()
        build = store.con.execute("SELECT * FROM builds ORDER BY build_id DESC LIMIT 1").df()
    runs = []
    try:
        from eclp.delivery.runlog import last_runs

        runs = last_runs(ws, 5)
    except (ImportError, OSError, ValueError):
        runs = []
    return {
        "workspace": str(ws.root),
        "tables": tables,
        "sources": [
            {
                **row,
                "rows": int(row["rows"]),
                "accepted": int(row["accepted"]),
                "rejected": int(row["rejected"]),
                "files": int(row["files"]),
            }
            for row in sources.to_dict(orient="records")
        ],
        "last_build": None if build.empty else build.iloc[0].to_dict(),
        "runs": runs,
    }
