"""The embedded DuckDB store: schema, transactions, and whole-table reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from eclp.errors import EclpError, LockedError
from eclp.schema import DDL, SCHEMA_VERSION


class Store:
    """One open DuckDB file. Writers hold the workspace lock; readers may open read-only."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path

    @classmethod
    @contextmanager
    def open(cls, path: Path | None, read_only: bool = False) -> Iterator[Store]:
        """Open (creating when writable) the store at path; None opens an in-memory store."""
        con = _connect(path, read_only)
        try:
            store = cls(con, path)
            if not read_only:
                store._migrate()
            yield store
        finally:
            con.close()

    def _migrate(self) -> None:
        self.con.execute(DDL)
        version = self.meta_get("schema_version")
        if version is None:
            self.meta_set("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            raise EclpError(
                f"the store was written by a newer eclp (schema {version}); upgrade eclp"
            )

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: an exception inside rolls every change back."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def frame(self, table: str, where: str = "", params: list | None = None) -> pd.DataFrame:
        """A whole table (optionally filtered) as a DataFrame."""
        sql = f'SELECT * FROM "{table}"' + (f" WHERE {where}" if where else "")
        return self.con.execute(sql, params or []).df()

    def count(self, table: str) -> int:
        return int(self.con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0])

    def meta_get(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else None

    def meta_set(self, key: str, value: str) -> None:
        self.con.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def _connect(path: Path | None, read_only: bool) -> duckdb.DuckDBPyConnection:
    if path is None:
        return duckdb.connect(":memory:")
    if read_only and not path.exists():
        con = duckdb.connect(":memory:")
        con.execute(DDL)
        return con
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise LockedError(f"the store {path} is in use by another eclp process") from exc
        raise EclpError(f"cannot open the store {path}: {exc}") from exc


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    key: tuple[str, ...],
    *,
    newer_column: str | None = None,
    dry_run: bool = False,
) -> tuple[int, int]:
    """Replace rows sharing key with the incoming ones; returns (new, updated) key counts.

    With newer_column, a stored row whose value there is later than the incoming row's is kept
    (re-ingesting last month's snapshot after this week's does not roll a record back).
    """
    if frame.empty:
        return 0, 0
    con.register("incoming", frame)
    try:
        on = " AND ".join(f't."{k}" IS NOT DISTINCT FROM i."{k}"' for k in key)
        keys = ", ".join(f'"{k}"' for k in key)
        if newer_column:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE incoming_kept AS SELECT i.* FROM incoming i "
                f'WHERE NOT EXISTS (SELECT 1 FROM "{table}" t WHERE {on} '
                f'AND t."{newer_column}" > i."{newer_column}")'
            )
        else:
            con.execute("CREATE OR REPLACE TEMP TABLE incoming_kept AS SELECT * FROM incoming")
        total, updated = con.execute(
            f"SELECT (SELECT count(*) FROM (SELECT DISTINCT {keys} FROM incoming)), "
            f"(SELECT count(*) FROM (SELECT DISTINCT {keys} FROM incoming) i "
            f'WHERE EXISTS (SELECT 1 FROM "{table}" t WHERE {on}))'
        ).fetchall()[0]
        if not dry_run:
            con.execute(f'DELETE FROM "{table}" t USING incoming_kept i WHERE {on}')
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_kept')
        con.execute("DROP TABLE IF EXISTS incoming_kept")
    finally:
        con.unregister("incoming")
    return int(total) - int(updated), int(updated)
