"""`eclp build`: store → identity resolution → metrics → workbook and sidecar files (spec §5–7)."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from eclp.canonical import IDENTITY_MAP_COLUMNS
from eclp.config import Config
from eclp.csvfiles import write_csv
from eclp.errors import EclpError
from eclp.store import Store
from eclp.workspace import Workspace


@dataclass(frozen=True)
class BuildResult:
    workbook: Path
    identity_map: Path
    tables: tuple[Path, ...]
    summary: dict


def default_workbook_path(ws: Workspace, as_of: date) -> Path:
    return ws.out / f"customer-dashboard-{as_of.isoformat()}.xlsx"


def build(
    ws: Workspace, *, config: Config, out: Path | None = None, as_of: date | None = None
) -> BuildResult:
    """Resolve, measure and write; the store's identity state is updated only on success."""
    from eclp.identity import resolve
    from eclp.metrics import compute_dashboard
    from eclp.workbook import write_customer_tables, write_workbook

    as_of = as_of or datetime.now(UTC).date()
    started = datetime.now(UTC).replace(tzinfo=None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    with Store.open(ws.store_path) as store:
        records = store.frame("person_records")
        if records.empty:
            raise EclpError(
                "nothing to build: the store holds no person records yet "
                "(run `eclp ingest FILE...` first)"
            )
        previous = store.frame("customer_ids")[["source", "source_record_id", "customer_id"]]
        decisions = store.frame("review_decisions")
        resolution = resolve(
            records, previous_ids=previous, decisions=decisions, settings=config.identity
        )
        timings["identity"] = time.perf_counter() - clock
        inputs = _metrics_inputs(store, records, resolution)
    clock = time.perf_counter()
    settings = _metrics_settings(config)
    dashboard = compute_dashboard(inputs, as_of=as_of, settings=settings)
    timings["metrics"] = time.perf_counter() - clock
    clock = time.perf_counter()
    mask = bool(getattr(config.privacy, "mask_pii", False))
    target = ws.resolve(out) if out else default_workbook_path(ws, as_of)
    target.parent.mkdir(parents=True, exist_ok=True)
    ws.out.mkdir(parents=True, exist_ok=True)
    workbook = write_workbook(dashboard, target, mask_pii=mask)
    tables = tuple(write_customer_tables(dashboard, ws.out, mask_pii=mask))
    identity_map = write_identity_map(resolution.identity_map, ws.out / "identity_map.csv")
    timings["outputs"] = time.perf_counter() - clock
    summary = {
        **dashboard.summary(),
        "records": len(records),
        "workbook": str(workbook),
        "review": len(resolution.review),
        "timings": timings,
    }
    with Store.open(ws.store_path) as store, store.transaction() as con:
        _save_identity_state(con, resolution, started)
        _snapshot(con, "customer_metrics", dashboard.customers)
        con.execute(
            "INSERT INTO builds VALUES ((SELECT coalesce(max(build_id), 0) + 1 FROM builds), "
            "?, ?, ?, ?, ?, ?, 'ok')",
            [
                started,
                datetime.now(UTC).replace(tzinfo=None),
                as_of,
                len(records),
                summary.get("customers"),
                str(workbook),
            ],
        )
        store.meta_set("last_build_summary", json.dumps(summary, default=str))
    return BuildResult(workbook=workbook, identity_map=identity_map, tables=tables, summary=summary)


def _metrics_settings(config: Config):
    from eclp.metrics.settings import MetricsSettings

    settings = config.metrics or MetricsSettings()
    if settings.currency == MetricsSettings().currency and config.currency:
        settings = dataclasses.replace(settings, currency=config.currency)
    return settings


def _with_customer(frame: pd.DataFrame, idmap: pd.DataFrame) -> pd.DataFrame:
    """Attach customer_id through the person record (same source) each row points at."""
    keys = idmap[["source", "source_record_id", "customer_id"]].rename(
        columns={"source_record_id": "person_record_id"}
    )
    return frame.merge(keys, on=["source", "person_record_id"], how="left")


def _metrics_inputs(store: Store, records: pd.DataFrame, resolution):
    from eclp.metrics.inputs import MetricsInputs

    return MetricsInputs(
        customers=resolution.golden,
        identity_map=resolution.identity_map,
        orders=_with_customer(store.frame("orders"), resolution.identity_map),
        order_lines=store.frame("order_lines"),
        interactions=_with_customer(store.frame("interactions"), resolution.identity_map),
        spend=store.frame("spend"),
        costs=store.frame("costs"),
        content=store.frame("content"),
        person_records=records,
        batches=store.frame("batches"),
        rejects=store.frame("rejects"),
        blanked=store.frame("blanked_values"),
        review=resolution.review,
        identity_stats=dict(resolution.stats),
    )


def _save_identity_state(con, resolution, started: datetime) -> None:
    """Customer ids, links, review queue and golden records persist for the next build and `show`."""
    idmap = resolution.identity_map[["source", "source_record_id", "customer_id"]].assign(
        assigned_at=started
    )
    con.execute("DELETE FROM customer_ids")
    con.register("new_ids", idmap)
    con.execute("INSERT INTO customer_ids BY NAME SELECT * FROM new_ids")
    con.unregister("new_ids")
    build_id = con.execute("SELECT coalesce(max(build_id), 0) + 1 FROM builds").fetchall()[0][0]
    events = resolution.events.assign(build_id=build_id, happened_at=started)
    if not events.empty:
        con.register("new_events", events)
        con.execute("INSERT INTO identity_events BY NAME SELECT * FROM new_events")
        con.unregister("new_events")
    for name, frame in (
        ("identity_map", resolution.identity_map),
        ("identity_links", resolution.links),
        ("review_queue", resolution.review),
        ("golden_customers", resolution.golden),
    ):
        _snapshot(con, name, frame)


def _snapshot(con, name: str, frame: pd.DataFrame) -> None:
    """A build output kept as a table, so analysts can query it and `eclp show` can read it."""
    con.register("snapshot", frame)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM snapshot")
    con.unregister("snapshot")


def write_identity_map(identity_map: pd.DataFrame, path: Path) -> Path:
    """out/identity_map.csv: every person record exactly once, written atomically."""
    tmp = path.with_name(path.name + ".tmp")
    write_csv(identity_map[list(IDENTITY_MAP_COLUMNS)], tmp)
    tmp.replace(path)
    return path


def latest_workbook(ws: Workspace) -> Path | None:
    """The most recent dashboard workbook in out/."""
    candidates = sorted(ws.out.glob("customer-dashboard-*.xlsx"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None
