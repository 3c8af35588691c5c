"""Cohorts sheet: retention and cumulative revenue per customer, first-order month × months since."""

from __future__ import annotations

import pandas as pd

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import HEAT, HEAT_BLUE, Column


def _columns(frame: pd.DataFrame, kind: str) -> list[Column]:
    months = [c for c in frame.columns if c not in ("cohort", "customers")]
    return [Column("cohort", "Cohort", "text", 10), Column("customers", "Customers", "int", 10),
            *(Column(m, f"M{m}", kind, 8) for m in months)]  # fmt: skip


def write(ctx: Context) -> None:
    """Two heat maps; blank cells are months that have not happened yet."""
    ws, st, dash = ctx.sheets["Cohorts"], ctx.styles, ctx.dashboard
    ws.write_string(
        0, 0, "Retention: share of each first-order cohort buying in month k", st.heading
    )
    cols = _columns(dash.cohorts_retention, "percent")
    top, _, last, last_col = write_frame(ws, dash.cohorts_retention, cols, st, top=1)
    if len(dash.cohorts_retention) and last_col >= 2:
        ws.conditional_format(top + 1, 2, last, last_col, HEAT)
        ctx.ranges["retention_months"] = ("Cohorts", top, 2, top, last_col)
    row = last + 3
    ws.write_string(row, 0, "Cumulative net revenue per cohort customer", st.heading)
    cols = _columns(dash.cohorts_revenue, "money")
    top, _, last, last_col = write_frame(
        ws, dash.cohorts_revenue, cols, st, top=row + 1, widths=False
    )
    if len(dash.cohorts_revenue) and last_col >= 2:
        ws.conditional_format(top + 1, 2, last, last_col, HEAT_BLUE)
    ws.freeze_panes(0, 2)
