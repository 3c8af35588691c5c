"""Channels sheet: acquisition economics per channel and revenue under each attribution model."""

from __future__ import annotations

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import Column

ECONOMICS = (
    Column("orders", "Orders", "number", 10),
    Column("revenue", "Revenue", "money", 14),
    Column("aov", "AOV", "money", 11),
    Column("spend", "Ad spend", "money", 12),
    Column("cac", "CAC", "money", 11),
    Column("roas", "ROAS", "number", 9),
    Column("gross_profit", "Gross profit", "money", 13),
    Column("fulfilment_cost", "Fulfilment cost", "money", 13),
    Column("profit", "Profit after ads & fulfilment", "money", 16),
)
CHANNEL_COLUMNS = (
    Column("channel", "Channel", "text", 18),
    Column("customers", "Customers", "int", 11),
    Column("new_customers", "New buyers", "int", 11),
    Column("repeat_rate", "Repeat rate", "percent", 10),
    *ECONOMICS,
)
ATTRIBUTION_COLUMNS = (
    Column("model", "Model", "text", 18),
    Column("channel", "Channel", "text", 11),
    Column("new_customers", "New buyers", "int", 11),
    *ECONOMICS,
)


def write(ctx: Context) -> None:
    """The channel table (by acquisition channel), then all three attribution models."""
    ws, st, dash = ctx.sheets["Channels"], ctx.styles, ctx.dashboard
    ws.write_string(
        0, 0, "Channels by acquisition (first order's channel, else CRM source)", st.heading
    )
    top, _, last, last_col = write_frame(
        ws, dash.channels, CHANNEL_COLUMNS, st, top=1, table_name="Channels"
    )
    if not dash.channels.empty:
        ctx.ranges["channels"] = ("Channels", top + 1, 0, last, 0)
        ctx.ranges["channel_revenue"] = ("Channels", top + 1, 5, last, 5)
        ctx.ranges["channel_profit"] = ("Channels", top + 1, last_col, last, last_col)
        ws.conditional_format(top + 1, last_col, last, last_col, {"type": "data_bar", "bar_color": "#63BE7B",
                                                                  "bar_negative_color": "#F8696B"})  # fmt: skip
        ws.conditional_format(top + 1, 9, last, 9, {"type": "3_color_scale"})
    row = last + 3
    ws.write_string(
        row,
        0,
        f"Attribution (Overview uses {dash.attribution_model.replace('_', '-')})",
        st.heading,
    )
    write_frame(
        ws,
        dash.attribution,
        ATTRIBUTION_COLUMNS,
        st,
        top=row + 1,
        table_name="Attribution",
        widths=False,
    )
    ws.freeze_panes(2, 1)
