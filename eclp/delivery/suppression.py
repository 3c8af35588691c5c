"""The suppression list: salted hashes of forgotten people's identifiers (spec §8).

An erased person must not come back when an old export is ingested again, yet the store must
not keep their identifiers in clear. So `forget` stores sha256(salt + kind + ":" + value) of
each identifier, and ingest drops incoming rows whose identifiers hash to a stored value.
The salt is random per workspace, kept in the store's meta table: the hashes of one workspace
cannot be matched against another's or against a public list of hashed emails.
Hashing runs inside DuckDB (vectorised), the same function on both sides.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from eclp.store import Store

SALT_KEY = "privacy.salt"

# kind -> the columns whose values form the identifier (normalised as stored in the store).
IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "phone": ("phone",),
    "record": ("source", "source_record_id"),
    "customer_ref": ("source", "customer_ref"),
    "loyalty_id": ("loyalty_id",),
}


def salt(store: Store, *, create: bool = False) -> str | None:
    """The workspace's suppression salt; created (once) only when create is set."""
    rows = store.con.execute("SELECT value FROM meta WHERE key = ?", [SALT_KEY]).fetchall()
    value = rows[0][0] if rows else None
    if value is None and create:
        value = secrets.token_hex(16)
        store.meta_set(SALT_KEY, value)
    return value


def identifier_sql(kind: str, alias: str = "") -> str:
    """SQL for the normalised identifier text of a row (NULL when any part is blank)."""
    prefix = f"{alias}." if alias else ""
    parts = [
        f"nullif(lower(trim(CAST({prefix}\"{c}\" AS VARCHAR))), '')" for c in IDENTIFIERS[kind]
    ]
    # concat_ws would skip NULLs; || propagates them, so a half-blank key hashes to NULL.
    return " || chr(31) || ".join(parts)


def hash_sql(kind: str, alias: str = "") -> str:
    """SQL hashing the row's identifier of this kind with the salt bound as the first `?`."""
    return f"sha256(? || '{kind}:' || ({identifier_sql(kind, alias)}))"


def suppression_mask(store: Store, person_records: pd.DataFrame) -> pd.Series:
    """True for incoming rows that must be dropped: they carry an identifier of a forgotten person.

    Works on any frame holding some of the identifier columns (email, phone, source +
    source_record_id, source + customer_ref, loyalty_id); a frame of other tables' rows with
    `source, person_record_id` is checked as record keys too.
    """
    mask = pd.Series(False, index=person_records.index)
    if person_records.empty or _suppression_empty(store.con):
        return mask
    key = salt(store)
    if key is None:
        return mask
    frame = person_records.reset_index(drop=True)
    if "person_record_id" in frame.columns and "source_record_id" not in frame.columns:
        frame = frame.rename(columns={"person_record_id": "source_record_id"})
    kinds = [k for k, cols in IDENTIFIERS.items() if all(c in frame.columns for c in cols)]
    if not kinds:
        return mask
    needed = sorted({c for k in kinds for c in IDENTIFIERS[k]})
    probe = frame[needed].astype("string").assign(_pos=range(len(frame)))
    con = store.con
    con.register("_suppression_probe", probe)
    try:
        hit_positions = _hits(con, key, kinds)
    finally:
        con.unregister("_suppression_probe")
    values = mask.to_numpy().copy()
    values[hit_positions] = True
    return pd.Series(values, index=person_records.index)


def _hits(con: duckdb.DuckDBPyConnection, key: str, kinds: list[str]) -> list[int]:
    unions = " UNION ALL ".join(
        f"SELECT _pos, '{k}' AS kind, {hash_sql(k, 'p')} AS hash FROM _suppression_probe p"
        for k in kinds
    )
    sql = (
        f"SELECT DISTINCT h._pos FROM ({unions}) h "
        "JOIN suppression s ON s.kind = h.kind AND s.hash = h.hash"
    )
    return [int(r[0]) for r in con.execute(sql, [key] * len(kinds)).fetchall()]


def _suppression_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return scalar(con, "SELECT count(*) FROM suppression") == 0


def add_suppressions(store: Store, records_view: str) -> int:
    """Hash every identifier of the rows in `records_view` into `suppression`; returns how many
    new hashes were added (known ones are not repeated)."""
    key = salt(store, create=True)
    con = store.con
    now = datetime.now(UTC).replace(tzinfo=None)
    added = 0
    for kind in IDENTIFIERS:
        columns = _columns(con, records_view)
        if not all(c in columns for c in IDENTIFIERS[kind]):
            continue
        before = scalar(con, "SELECT count(*) FROM suppression")
        con.execute(
            f"INSERT INTO suppression SELECT DISTINCT '{kind}', h, CAST(? AS TIMESTAMP) "
            f"FROM (SELECT {hash_sql(kind, 'r')} AS h FROM {records_view} r) "
            "WHERE h IS NOT NULL AND h NOT IN "
            f"(SELECT hash FROM suppression WHERE kind = '{kind}')",
            [now, key],
        )
        added += scalar(con, "SELECT count(*) FROM suppression") - before
    return added


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """The one value a query returns; fetches the whole result (a half-read result blocks the
    connection for register() and the next statement)."""
    return con.execute(sql, params or []).fetchall()[0][0]


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> Iterable[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]
