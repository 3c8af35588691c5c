"""`eclp show QUERY`: one customer's story from the store and the last build."""

from __future__ import annotations

import contextlib
import json
import re

import pandas as pd

from eclp.errors import EclpError, NotFoundError
from eclp.store import Store
from eclp.workspace import Workspace

BUILD_TABLES = ("identity_map", "golden_customers", "identity_links")


def _has_table(store: Store, name: str) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(row[0][0])


def find_customer_ids(store: Store, query: str) -> list[str]:
    """Customers whose id, email, phone or name matches the query (last build's assignment)."""
    q = query.strip()
    if re.fullmatch(r"C\d+", q, flags=re.IGNORECASE):
        where, params = "m.customer_id = ?", [q.upper()]
    elif "@" in q:
        where, params = "lower(r.email) = ? OR lower(r.email_raw) = ?", [q.lower(), q.lower()]
    elif re.fullmatch(r"[+\d][\d\s().-]{5,}", q):
        digits = re.sub(r"\D", "", q)
        where, params = "regexp_replace(r.phone, '\\D', '', 'g') LIKE ?", [f"%{digits[-9:]}"]
    else:
        where = "lower(r.full_name) = ? OR lower(r.first_name || ' ' || r.last_name) = ?"
        params = [q.lower(), q.lower()]
    sql = (
        "SELECT DISTINCT m.customer_id FROM person_records r JOIN customer_ids m "
        "ON m.source = r.source AND m.source_record_id = r.source_record_id "
        f"WHERE {where} ORDER BY 1"
    )
    return [row[0] for row in store.con.execute(sql, params).fetchall()]


def customer_story(ws: Workspace, query: str) -> dict:
    with Store.open(ws.store_path, read_only=True) as store:
        if not all(_has_table(store, t) for t in BUILD_TABLES):
            raise EclpError("no build yet: run `eclp build` before `eclp show`")
        ids = find_customer_ids(store, query)
        if not ids:
            raise NotFoundError(f"no customer matches {query!r}")
        if len(ids) > 1:
            raise NotFoundError(
                f"{len(ids)} customers match {query!r}: {', '.join(ids[:10])} "
                "(show one by its customer id)"
            )
        return _story(store, ids[0])


def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict(orient="records")


def _story(store: Store, cid: str) -> dict:
    con = store.con
    golden = con.execute("SELECT * FROM golden_customers WHERE customer_id = ?", [cid]).df()
    records = con.execute(
        "SELECT m.source, m.source_record_id, m.file, m.row, m.match_score, m.rule, r.email, "
        "r.phone, r.full_name, r.city, r.postcode, r.email_status, r.channel "
        "FROM identity_map m LEFT JOIN person_records r USING (source, source_record_id) "
        "WHERE m.customer_id = ? ORDER BY m.source, m.source_record_id",
        [cid],
    ).df()
    keys = set(zip(records["source"], records["source_record_id"], strict=True))
    links = con.execute("SELECT * FROM identity_links").df()
    if not links.empty:
        inside = [
            ((a, b) in keys) and ((c, d) in keys)
            for a, b, c, d in zip(
                links["source_a"],
                links["record_id_a"],
                links["source_b"],
                links["record_id_b"],
                strict=True,
            )
        ]
        links = links[inside]
    orders = con.execute(
        "SELECT o.* EXCLUDE (batch_id) FROM orders o JOIN identity_map m "
        "ON m.source = o.source AND m.source_record_id = o.person_record_id "
        "WHERE m.customer_id = ? ORDER BY o.order_date",
        [cid],
    ).df()
    interactions = con.execute(
        "SELECT i.* EXCLUDE (batch_id) FROM interactions i JOIN identity_map m "
        "ON m.source = i.source AND m.source_record_id = i.person_record_id "
        "WHERE m.customer_id = ? ORDER BY i.occurred_at",
        [cid],
    ).df()
    metrics = (
        con.execute("SELECT * FROM customer_metrics WHERE customer_id = ?", [cid]).df()
        if _has_table(store, "customer_metrics")
        else pd.DataFrame()
    )
    link_rows = _records(links)
    for link in link_rows:
        if isinstance(link.get("evidence"), str):
            with contextlib.suppress(ValueError):
                link["evidence"] = json.loads(link["evidence"])
    return {
        "customer_id": cid,
        "golden": _records(golden)[0] if not golden.empty else {},
        "metrics": _records(metrics)[0] if not metrics.empty else {},
        "records": _records(records),
        "links": link_rows,
        "orders": _records(orders),
        "interactions": _records(interactions),
    }
