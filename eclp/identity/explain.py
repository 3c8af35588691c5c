"""Explaining a customer: its records by source and the links that hold it together."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from eclp.errors import NotFoundError

if TYPE_CHECKING:
    from eclp.identity.resolve import Resolution


def explain_customer(customer_id: str, resolution: Resolution) -> dict:
    """Structured explanation of one customer (the CLI renders it; nothing is printed here).

    Returns {"customer_id", "golden": {...}, "records": [{source, source_record_id, file, row,
    match_score, rule}], "links": [{a, b, score, weight, decision, rule, evidence: {...}}],
    "events": [...]}.
    """
    imap = resolution.identity_map
    mine = imap[imap["customer_id"] == customer_id]
    if mine.empty:
        raise NotFoundError(f"no customer {customer_id}")
    keys = set(zip(mine["source"], mine["source_record_id"], strict=True))
    links = resolution.links
    a_in = [k in keys for k in zip(links["source_a"], links["record_id_a"], strict=True)]
    b_in = [k in keys for k in zip(links["source_b"], links["record_id_b"], strict=True)]
    touching = links[[x or y for x, y in zip(a_in, b_in, strict=True)]]
    golden = resolution.golden[resolution.golden["customer_id"] == customer_id]
    events = resolution.events
    ev = events[
        (events["customer_id"] == customer_id) | (events["other_customer_id"] == customer_id)
    ]
    return {
        "customer_id": customer_id,
        "golden": _clean(golden.iloc[0].to_dict()) if len(golden) else {},
        "records": [
            _clean(r) for r in mine.sort_values(["source", "source_record_id"]).to_dict("records")
        ],
        "links": [
            {
                "a": f"{r['source_a']}:{r['record_id_a']}",
                "b": f"{r['source_b']}:{r['record_id_b']}",
                "score": float(r["score"]),
                "weight": float(r["weight"]),
                "decision": r["decision"],
                "rule": r.get("rule"),
                "evidence": json.loads(r["evidence"]),
            }
            for r in touching.sort_values("score", ascending=False).to_dict("records")
        ],
        "events": [_clean(r) for r in ev.to_dict("records")],
    }


def _clean(row: dict) -> dict:
    """NaN/NaT → None, so the result is plain data."""
    out = {}
    for k, v in row.items():
        try:
            missing = v is None or v != v  # NaN and NaT are not equal to themselves
        except (TypeError, ValueError):
            missing = False
        out[k] = None if missing else v
    return out
