"""Content sheet (when GA4 pages data exists): engagement by page."""

from __future__ import annotations

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import Column

CONTENT_COLUMNS = (
    Column("page", "Page", "text", 40),
    Column("title", "Title", "text", 30),
    Column("views", "Views", "int", 10),
    Column("users", "Users", "int", 10),
    Column("engaged_seconds_total", "Engaged time (s)", "int", 13),
    Column("avg_engagement_seconds", "Avg engagement (s)", "number", 12),
    Column("views_per_user", "Views per user", "number", 10),
    Column("conversions", "Key events", "int", 10),
    Column("conversion_rate", "Key events per view", "percent", 11),
)


def write(ctx: Context) -> None:
    """Pages, most total engagement time first, with bars on engagement."""
    ws, st, dash = ctx.sheets["Content"], ctx.styles, ctx.dashboard
    ws.write_string(0, 0, "Which website content engages customers most (GA4 pages)", st.heading)
    top, _, last, _ = write_frame(
        ws, dash.content, CONTENT_COLUMNS, st, top=1, table_name="Content"
    )
    ws.conditional_format(
        top + 1, 4, last, 4, {"type": "data_bar", "bar_color": "#70AD47", "bar_solid": True}
    )
    ws.conditional_format(top + 1, 5, last, 5, {"type": "3_color_scale"})
    ws.freeze_panes(2, 1)
