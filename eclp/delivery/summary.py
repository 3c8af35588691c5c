"""The short text summary an emailed workbook carries: customers, revenue, top segments, changes.

Input is a build's summary dict (customers, records, orders, revenue, currency, segments
{name: count}); an optional `previous` key holds the summary of the last delivered run, and
the text then says what changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TOP_SEGMENTS = 3


def summary_text(summary: Mapping[str, Any]) -> str:
    """A few plain-text lines fit for an email body."""
    currency = str(summary.get("currency") or "")
    lines = []
    for key, label in (("customers", "Customers"), ("orders", "Orders"), ("records", "Records")):
        if summary.get(key) is not None:
            lines.append(f"{label}: {_number(summary[key])}")
    if summary.get("revenue") is not None:
        lines.append(f"Net revenue: {_money(summary['revenue'], currency)}")
    segments = _top_segments(summary.get("segments"))
    if segments:
        lines.append("Top segments: " + ", ".join(f"{n} ({_number(c)})" for n, c in segments))
    previous = summary.get("previous")
    if isinstance(previous, Mapping):
        changes = _changes(summary, previous, currency)
        if changes:
            lines.append("Since the last run: " + ", ".join(changes))
    return "\n".join(lines)


def _top_segments(segments: Any) -> list[tuple[str, Any]]:
    if not isinstance(segments, Mapping):
        return []
    ranked = sorted(segments.items(), key=lambda kv: (-_as_float(kv[1]), str(kv[0])))
    return [(str(name), count) for name, count in ranked[:TOP_SEGMENTS] if _as_float(count) > 0]


def _changes(now: Mapping[str, Any], before: Mapping[str, Any], currency: str) -> list[str]:
    out = []
    for key, label in (("customers", "customers"), ("orders", "orders")):
        if now.get(key) is not None and before.get(key) is not None:
            delta = _as_float(now[key]) - _as_float(before[key])
            out.append(f"{_signed(delta)} {label}")
    if now.get("revenue") is not None and before.get("revenue") is not None:
        delta = _as_float(now["revenue"]) - _as_float(before["revenue"])
        sign = "+" if delta >= 0 else "-"
        out.append(f"{sign}{_money(abs(delta), currency)} revenue")
    return out


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _number(value: Any) -> str:
    number = _as_float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _signed(delta: float) -> str:
    return f"{delta:+,.0f}" if delta.is_integer() else f"{delta:+,.2f}"


def _money(value: Any, currency: str) -> str:
    text = f"{_as_float(value):,.2f}"
    return f"{text} {currency}" if currency else text
