"""Customer groups sheet: who buys the most, by segment, class, channel, country, category; products."""

from __future__ import annotations

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import Column

GROUP_COLUMNS = (
    Column("dimension", "Grouped by", "text", 16),
    Column("group", "Group", "text", 22),
    Column("customers", "Customers", "int", 11),
    Column("buyers", "Buyers", "int", 10),
    Column("orders", "Orders", "int", 10),
    Column("units", "Units", "int", 10),
    Column("revenue", "Revenue", "money", 14),
    Column("revenue_share", "Share of revenue", "percent", 11),
    Column("revenue_per_customer", "Revenue per customer", "money", 13),
)
PRODUCT_COLUMNS = (
    Column("product", "Product", "text", 28),
    Column("sku", "SKU", "text", 12),
    Column("category", "Category", "text", 16),
    Column("orders", "Orders", "int", 10),
    Column("customers", "Customers", "int", 10),
    Column("units", "Units", "int", 10),
    Column("revenue", "Line revenue", "money", 14),
)


def write(ctx: Context) -> None:
    """Groups table with revenue bars; products (when order lines exist) to its right."""
    ws, st, dash = ctx.sheets["Customer groups"], ctx.styles, ctx.dashboard
    ws.write_string(0, 0, "Which customer groups buy the most", st.heading)
    top, _, last, _ = write_frame(ws, dash.groups, GROUP_COLUMNS, st, top=1, table_name="Groups")
    if not dash.groups.empty:
        ws.conditional_format(
            top + 1, 7, last, 7, {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True}
        )
    if not dash.products.empty:
        left = len(GROUP_COLUMNS) + 1
        ws.write_string(0, left, "Products (from order lines)", st.heading)
        write_frame(ws, dash.products, PRODUCT_COLUMNS, st, top=1, left=left, table_name="Products")
    ws.freeze_panes(2, 0)
