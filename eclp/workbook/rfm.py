"""RFM sheet: the segment table, the R×F heat map, the segment map used, and ABC classes."""

from __future__ import annotations

import pandas as pd

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import HEAT_BLUE, Column

SEGMENT_COLUMNS = (
    Column("segment", "Segment", "text", 22),
    Column("customers", "Customers", "int", 11),
    Column("customer_share", "Share of buyers", "percent", 11),
    Column("revenue", "Revenue", "money", 14),
    Column("revenue_share", "Share of revenue", "percent", 11),
    Column("orders", "Orders", "int", 10),
    Column("avg_recency_days", "Avg days since order", "number", 12),
    Column("avg_orders", "Avg orders", "number", 10),
    Column("avg_revenue", "Avg revenue", "money", 12),
    Column("avg_r", "Avg R", "number", 8),
    Column("avg_f", "Avg F", "number", 8),
    Column("avg_m", "Avg M", "number", 8),
)
ABC_COLUMNS = (
    Column("abc", "ABC class", "text", 22),
    Column("customers", "Customers", "int", 11),
    Column("customer_share", "Share of customers", "percent", 11),
    Column("revenue", "Revenue", "money", 14),
    Column("revenue_share", "Share of revenue", "percent", 11),
)
GRID_COLUMNS = (
    Column("R", "R \\ F", "int"),
    *(Column(f"F{f}", f"F{f}", "int") for f in range(1, 6)),
)


def write(ctx: Context) -> None:
    """Segments first (they feed the Overview chart), then the heat map, segment map and ABC."""
    ws, st, dash = ctx.sheets["RFM"], ctx.styles, ctx.dashboard
    ws.write_string(
        0, 0, "RFM segments (buyers only; customers without orders have no segment)", st.heading
    )
    top, left, last, _ = write_frame(
        ws, dash.rfm_segments, SEGMENT_COLUMNS, st, top=1, table_name="Segments"
    )
    if not dash.rfm_segments.empty:
        ctx.ranges["segments"] = ("RFM", top + 1, left, last, left)
        ctx.ranges["segment_customers"] = ("RFM", top + 1, left + 1, last, left + 1)
        ws.conditional_format(
            top + 1, left + 3, last, left + 3, {"type": "data_bar", "bar_color": "#5B9BD5"}
        )
    row = last + 3
    ws.write_string(row, 0, "Buyers by recency (R, rows) and frequency (F, columns)", st.heading)
    _, _, grid_last, _ = write_frame(
        ws, dash.rf_matrix, GRID_COLUMNS, st, top=row + 1, widths=False
    )
    ws.conditional_format(row + 2, 1, grid_last, 5, HEAT_BLUE)
    row = grid_last + 3
    ws.write_string(row, 0, "Segment map (patterns on the two-character R+F score)", st.heading)
    mapping = pd.DataFrame(
        {"pattern": list(dash.segment_map), "segment": list(dash.segment_map.values())}
    )
    cols = (Column("pattern", "R+F pattern", "text"), Column("segment", "Segment", "text"))
    _, _, map_last, _ = write_frame(ws, mapping, cols, st, top=row + 1, widths=False)
    row = map_last + 3
    ws.write_string(row, 0, "ABC classes (Pareto on net revenue)", st.heading)
    write_frame(ws, dash.abc, ABC_COLUMNS, st, top=row + 1, table_name="AbcClasses", widths=False)
