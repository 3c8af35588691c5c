"""Data subjects' rights: erasure (`eclp forget`) and access (`eclp export-subject`) (spec §8).

Both work table by table over the whole store, so a table a later version adds (build
snapshots such as golden_customers or identity_links) is covered by its columns: any table
with a customer id, a (source, record id) pair or a person-record reference is searched.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from eclp.delivery.subject import SubjectMatch, find_subject
from eclp.delivery.suppression import add_suppressions, scalar, suppression_mask
from eclp.store import Store

__all__ = ["ForgetReport", "export_subject", "find_subject", "forget", "suppression_mask"]

# Tables that hold no one's personal data (or only the suppression hashes themselves).
NOT_PERSONAL = frozenset({"meta", "suppression", "batches", "builds", "spend", "costs", "content"})
# Rejected rows and values blanked in kept rows carry no person key: matched by file row or value.
BY_ROW_OR_VALUE = (
    "((t.file, t.row) IN (SELECT (file, row) FROM _subj_rows) "
    "OR lower(trim(t.value)) IN (SELECT value FROM _subj_values))"
)
# Fixed rules for the canonical tables; every other table is matched by its columns.
FIXED_RULES = {
    "person_records": "(t.source, t.source_record_id) IN (SELECT (source, source_record_id) FROM _subj_records)",
    "orders": "(t.source, t.person_record_id) IN (SELECT (source, source_record_id) FROM _subj_records)",
    "interactions": "(t.source, t.person_record_id) IN (SELECT (source, source_record_id) FROM _subj_records)",
    "order_lines": "(t.source, t.order_id) IN (SELECT (source, order_id) FROM _subj_orders)",
    "rejects": BY_ROW_OR_VALUE,
    "blanked_values": BY_ROW_OR_VALUE,
}
PAIR_SUFFIXES = ("", "_a", "_b", "_1", "_2", "_left", "_right", "_l", "_r", "_x", "_y")
CUSTOMER_COLUMNS = ("customer_id", "other_customer_id", "customer_id_a", "customer_id_b")


@dataclass(frozen=True)
class ForgetReport:
    """What `forget` removed, and what it could not reach (files outside the store)."""

    subject: SubjectMatch
    removed: dict[str, int]  # table -> rows deleted
    suppressed: int  # identifier hashes added to the suppression list
    files: tuple[str, ...] = field(default=())  # export files their records came from

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def describe(self) -> str:
        counts = ", ".join(f"{n} from {t}" for t, n in self.removed.items() if n)
        lines = [
            f"Erased {self.subject.describe()}: {self.total} rows ({counts or 'none'}).",
            f"{self.suppressed} identifier hash(es) added to the suppression list: "
            "re-ingesting an old export will not bring them back.",
            "Outside the store: workbooks and CSVs already in out/ still hold them until "
            "the next `eclp build` replaces them (delete older copies and sent emails by hand).",
        ]
        if self.files:
            lines.append("Their data came from these exports: " + ", ".join(self.files))
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "subject": self.subject.as_dict(),
            "removed": dict(self.removed),
            "total": self.total,
            "suppressed": self.suppressed,
            "files": list(self.files),
        }


def forget(store: Store, query: str) -> ForgetReport:
    """Erase one person from every table and suppress their identifiers; one transaction."""
    subject = find_subject(store, query)
    removed: dict[str, int] = {}
    with store.transaction() as con, _subject_relations(con, subject):
        files = _lineage_files(con)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _subj_person_rows AS SELECT * FROM person_records t "
            f"WHERE {FIXED_RULES['person_records']}"
        )
        suppressed = add_suppressions(store, "_subj_person_rows")
        con.execute("DROP TABLE _subj_person_rows")
        # Order lines before orders: their rule reads the subject's orders captured up front.
        for table, where in _table_rules(con):
            removed[table] = int(scalar(con, f'DELETE FROM "{table}" t WHERE {where}'))
    return ForgetReport(subject, removed, suppressed, files)


def export_subject(store: Store, query: str, out: Path) -> list[Path]:
    """Everything held about one person, as JSON and as an xlsx (one sheet per table).

    `out` names the files: PATH.json and PATH.xlsx (a folder gets subject-<id>.json/.xlsx).
    """
    subject = find_subject(store, query)
    with _subject_relations(store.con, subject):
        tables = {
            table: store.con.execute(f'SELECT * FROM "{table}" t WHERE {where}').df()
            for table, where in _table_rules(store.con)
        }
        batches = store.con.execute(
            "SELECT batch_id, file_name, source, profile, kind, started_at FROM batches "
            "WHERE batch_id IN (SELECT batch_id FROM _subj_batches) ORDER BY batch_id"
        ).df()
    tables = {"files": batches, **{t: f for t, f in tables.items()}}
    json_path, xlsx_path = _output_paths(out, subject)
    _write_json(json_path, subject, tables)
    _write_xlsx(xlsx_path, subject, tables)
    return [json_path, xlsx_path]


@contextmanager
def _subject_relations(con: duckdb.DuckDBPyConnection, subject: SubjectMatch) -> Iterator[None]:
    """Register the subject's keys, orders, rows and identifier values as relations for SQL."""
    records = subject.keys_frame()
    con.register("_subj_records", records)
    orders = con.execute(
        f"SELECT DISTINCT t.source, t.order_id FROM orders t WHERE {FIXED_RULES['orders']}"
    ).df()
    con.register("_subj_orders", orders)
    rows = con.execute(
        "SELECT file, row, batch_id FROM person_records t WHERE "
        f"{FIXED_RULES['person_records']} UNION SELECT file, row, batch_id FROM orders t WHERE "
        f"{FIXED_RULES['orders']} UNION SELECT file, row, batch_id FROM interactions t WHERE "
        f"{FIXED_RULES['interactions']} UNION SELECT file, row, batch_id FROM order_lines t "
        f"WHERE {FIXED_RULES['order_lines']}"
    ).df()
    con.register("_subj_rows", rows[["file", "row"]])
    con.register("_subj_batches", rows[["batch_id"]].drop_duplicates())
    values = pd.DataFrame(
        {"value": sorted({v.lower() for v in (*subject.emails, *subject.phones) if v})},
        dtype="string",
    )
    con.register("_subj_values", values)
    con.register(
        "_subj_customers", pd.DataFrame({"customer_id": list(subject.customer_ids)}, dtype="string")
    )
    try:
        yield
    finally:
        for name in (
            "_subj_records",
            "_subj_orders",
            "_subj_rows",
            "_subj_batches",
            "_subj_values",
            "_subj_customers",
        ):
            con.unregister(name)


def _lineage_files(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    rows = con.execute(
        "SELECT DISTINCT file_name FROM batches WHERE batch_id IN "
        "(SELECT batch_id FROM _subj_batches) AND file_name IS NOT NULL ORDER BY 1"
    ).fetchall()
    return tuple(r[0] for r in rows)


def _table_rules(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, WHERE clause over alias t) for every table that can hold the subject's data."""
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_catalog, table_schema, table_name) "
        "WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' "
        "AND c.table_catalog = current_database()"
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    rules = []
    # order_lines first: deleting orders would not change its rule (captured up front), but
    # keeping the canonical order makes reports read in pipeline order.
    order = ["person_records", "orders", "order_lines", "interactions", "rejects", "blanked_values"]
    for table in sorted(columns, key=lambda t: (order.index(t) if t in order else len(order), t)):
        if table in NOT_PERSONAL or table.startswith("_subj"):
            continue
        where = FIXED_RULES.get(table) or _generic_rule(columns[table])
        if where:
            rules.append((table, where))
    return rules


def _generic_rule(cols: set[str]) -> str | None:
    """A WHERE clause from whichever identifying columns a table has, or None."""
    tests = [
        f't."{c}" IN (SELECT customer_id FROM _subj_customers)'
        for c in CUSTOMER_COLUMNS
        if c in cols
    ]
    for sfx in PAIR_SUFFIXES:
        source = f"source{sfx}"
        if source not in cols:
            continue
        for ident in (f"source_record_id{sfx}", f"record_id{sfx}", "person_record_id"):
            if ident in cols:
                tests.append(
                    f'(t."{source}", CAST(t."{ident}" AS VARCHAR)) IN '
                    "(SELECT (source, source_record_id) FROM _subj_records)"
                )
                break
    return " OR ".join(tests) or None


def _output_paths(out: Path, subject: SubjectMatch) -> tuple[Path, Path]:
    out = Path(out)
    if out.is_dir():
        slug = re.sub(
            r"[^A-Za-z0-9_-]+", "-", subject.customer_ids[0] if subject.customer_ids else "subject"
        )
        out = out / f"subject-{slug.strip('-')}"
    if out.suffix.lower() in (".json", ".xlsx"):
        out = out.with_suffix("")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.with_name(out.name + ".json"), out.with_name(out.name + ".xlsx")


def _write_json(path: Path, subject: SubjectMatch, tables: dict[str, pd.DataFrame]) -> None:
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "subject": subject.as_dict(),
        "tables": {name: _rows(frame) for name, frame in tables.items()},
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=_json_value), encoding="utf-8"
    )
    tmp.replace(path)


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if value is pd.NA:
        return None
    return value


def _write_xlsx(path: Path, subject: SubjectMatch, tables: dict[str, pd.DataFrame]) -> None:
    """One sheet per table; text from exports stays text (never a formula or a link)."""
    tmp = path.with_name(path.name + ".tmp.xlsx")
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        about = pd.DataFrame(
            [
                (k, ", ".join(map(str, v)) if isinstance(v, list) else str(v))
                for k, v in subject.as_dict().items()
            ],
            columns=["field", "value"],
        )
        about.to_excel(writer, sheet_name="subject", index=False)
        for name, frame in tables.items():
            _excel_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
    tmp.replace(path)


def _excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Timezone-aware timestamps cannot go into Excel: write them as naive UTC."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC").dt.tz_localize(None)
    return out
