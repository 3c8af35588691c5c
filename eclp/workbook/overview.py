"""Overview sheet: KPI tiles, the three answers in plain words, notes and native charts."""

from __future__ import annotations

from eclp.workbook import charts
from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import Column

TILES = (
    ("Customers", "customers", "int"),
    ("Buyers", "buyers", "int"),
    ("Net revenue", "net_revenue", "money"),
    ("Orders", "orders", "int"),
    ("AOV", "aov", "money"),
    ("Repeat rate", "repeat_rate", "percent"),
    ("Predicted value", "predicted_value", "money"),
)
QUESTIONS = (
    ("Which marketing channels are most profitable?", "channels"),
    ("Which customer groups buy the most?", "groups"),
    ("Which website content engages customers most?", "content"),
)
MONTH_COLUMNS = (
    Column("month", "Month", "text", 9),
    Column("orders", "Orders", "int", 9),
    Column("customers", "Buyers", "int", 9),
    Column("revenue", "Net revenue", "money", 13),
)
MONTH_LEFT = 14  # column O: the chart data block sits right of the charts


def write(ctx: Context) -> None:
    """Written last, after the other sheets recorded the ranges its charts point at."""
    ws, st, dash = ctx.sheets["Overview"], ctx.styles, ctx.dashboard
    ws.set_column(0, 0, 2)
    ws.set_column(1, 12, 17)
    ws.write_string(0, 1, "Customer dashboard", st.title)
    horizon = dash.kpis.get("clv_horizon_months", 12)
    ws.write_string(1, 1, f"As of {dash.as_of.isoformat()} · amounts in {dash.currency} · "
                          f"predicted value over the next {horizon} months", st.subtitle)  # fmt: skip
    for j, (label, key, kind) in enumerate(TILES, start=1):
        ws.write_string(3, j, label, st.tile_label)
        ws.write_number(4, j, float(dash.kpis.get(key, 0.0) or 0.0), st.tile_value[kind])
    ws.set_row(4, 30)
    ws.write_string(6, 1, "The three answers", st.heading)
    for i, (question, key) in enumerate(QUESTIONS):
        row = 7 + i
        ws.set_row(row, 36)
        ws.write_string(row, 1, question, st.answer_label)
        ws.merge_range(row, 3, row, 11, "", st.answer)
        ws.write_string(row, 3, dash.answers.get(key, ""), st.answer)
    row = _notes(ctx, 11)
    _charts(ctx, row + 1)
    ws.activate()


def notes_for(ctx: Context) -> list[str]:
    """What the reader should know about how the numbers were counted."""
    k = ctx.dashboard.kpis
    notes = list(ctx.notes)
    if k.get("orders_folded"):
        notes.append(
            f"{k['orders_folded']:,} payment records duplicating a shop order were folded into it."
        )
    if k.get("void_orders"):
        notes.append(f"{k['void_orders']:,} cancelled, failed or fully refunded orders count zero.")
    if k.get("unlinked_orders"):
        notes.append(
            f"{k['unlinked_orders']:,} orders could not be linked to a customer and are left out."
        )
    if k.get("orders_after_as_of"):
        notes.append(f"{k['orders_after_as_of']:,} orders after the as-of date are ignored.")
    return notes


def _notes(ctx: Context, row: int) -> int:
    ws, st = ctx.sheets["Overview"], ctx.styles
    notes = notes_for(ctx)
    if not notes:
        return row
    ws.write_string(row, 1, "Notes", st.heading)
    for i, note in enumerate(notes, start=row + 1):
        ws.merge_range(i, 1, i, 11, "", st.note)
        ws.write_string(i, 1, note, st.note)
    return row + len(notes) + 1


def _charts(ctx: Context, row: int) -> None:
    ws, wb, st, dash, ranges = (
        ctx.sheets["Overview"],
        ctx.workbook,
        ctx.styles,
        ctx.dashboard,
        ctx.ranges,
    )
    if "channels" in ranges:
        chart = charts.bar_chart(wb, "Revenue and profit by acquisition channel", ranges["channels"],
                                 [("Revenue", ranges["channel_revenue"]), ("Profit", ranges["channel_profit"])])  # fmt: skip
        charts.place(ws, f"B{row + 1}", chart)
    if "segments" in ranges:
        chart = charts.bar_chart(wb, "Buyers by RFM segment", ranges["segments"],
                                 [("Customers", ranges["segment_customers"])], horizontal=True)  # fmt: skip
        charts.place(ws, f"H{row + 1}", chart)
    months = dash.revenue_by_month
    ws.write_string(row, MONTH_LEFT, "Revenue by month", st.heading)
    top, left, last, _ = write_frame(ws, months, MONTH_COLUMNS, st, top=row + 1, left=MONTH_LEFT)
    if len(months):
        chart = charts.bar_chart(wb, "Net revenue by month", ("Overview", top + 1, left, last, left),
                                 [("Net revenue", ("Overview", top + 1, left + 3, last, left + 3))])  # fmt: skip
        charts.place(ws, f"B{row + 17}", chart, width=1000)
