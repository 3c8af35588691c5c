"""Rich rendering of library results that are more than a table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def render_story(console: Console, story: dict) -> None:
    golden = story.get("golden", {})
    metrics = story.get("metrics", {})
    name = golden.get("full_name") or " ".join(
        p for p in (golden.get("first_name"), golden.get("last_name")) if p
    )
    console.print(f"{story['customer_id']}  {name or '(no name)'}", markup=False)
    for key in ("email", "phone", "city", "country"):
        if golden.get(key):
            console.print(f"  {key}: {golden[key]}", markup=False)
    for key in (
        "segment",
        "rfm_segment",
        "net_revenue",
        "orders",
        "abc_class",
        "p_alive",
        "expected_value",
        "acquisition_channel",
    ):
        if metrics.get(key) is not None:
            console.print(f"  {key}: {_text(metrics[key])}", markup=False)
    records = Table(title="Linked records")
    for col in ("source", "source_record_id", "email", "phone", "full_name", "rule", "match_score"):
        records.add_column(col)
    for r in story["records"]:
        records.add_row(
            *[
                _text(r.get(c))
                for c in (
                    "source",
                    "source_record_id",
                    "email",
                    "phone",
                    "full_name",
                    "rule",
                    "match_score",
                )
            ]
        )
    console.print(records)
    if story["links"]:
        links = Table(title="Why they were linked")
        for col in ("record a", "record b", "score", "decision", "evidence"):
            links.add_column(col)
        for link in story["links"]:
            evidence = link.get("evidence")
            if isinstance(evidence, dict):
                evidence = ", ".join(
                    f"{k}: {v.get('status') if isinstance(v, dict) else v}"
                    for k, v in evidence.items()
                )
            links.add_row(
                f"{link.get('source_a')}:{link.get('record_id_a')}",
                f"{link.get('source_b')}:{link.get('record_id_b')}",
                _text(link.get("score")),
                _text(link.get("decision")),
                _text(evidence),
            )
        console.print(links)
    if story["orders"]:
        orders = Table(title=f"{len(story['orders'])} order(s)")
        for col in ("source", "order_id", "order_date", "total", "refunded", "status", "channel"):
            orders.add_column(col)
        for o in story["orders"]:
            orders.add_row(
                *[
                    _text(o.get(c))
                    for c in (
                        "source",
                        "order_id",
                        "order_date",
                        "total",
                        "refunded",
                        "status",
                        "channel",
                    )
                ]
            )
        console.print(orders)
    if story["interactions"]:
        tickets = Table(title=f"{len(story['interactions'])} interaction(s)")
        for col in ("source", "type", "occurred_at", "status", "score", "subject"):
            tickets.add_column(col)
        for i in story["interactions"]:
            tickets.add_row(
                *[
                    _text(i.get(c))
                    for c in ("source", "type", "occurred_at", "status", "score", "subject")
                ]
            )
        console.print(tickets)
