"""Data quality sheet: files read/accepted/rejected, rejects by reason, values blanked by reason,
field completeness, identity."""

from __future__ import annotations

import pandas as pd

from eclp.workbook.context import Context
from eclp.workbook.frames import auto_columns, write_frame
from eclp.workbook.privacy import mask_email, mask_phone, mask_value
from eclp.workbook.styles import Column

FILE_COLUMNS = (
    Column("source", "Source", "text", 16),
    Column("file", "File", "text", 30),
    Column("profile", "Profile", "text", 18),
    Column("kind", "Kind", "text", 12),
    Column("rows", "Rows read", "int", 11),
    Column("accepted", "Accepted", "int", 11),
    Column("rejected", "Rejected", "int", 11),
    Column("rejected_share", "Rejected share", "percent", 11),
)
REJECT_COLUMNS = (
    Column("source", "Source", "text"),
    Column("file", "File", "text"),
    Column("column", "Column", "text"),
    Column("reason", "Reason", "text"),
    Column("rows", "Rows", "int"),
    Column("example_row", "Example row", "int"),
    Column("example_value", "Example value", "text"),
)
BLANKED_COLUMNS = tuple(
    Column("values", "Values", "int") if c.name == "rows" else c for c in REJECT_COLUMNS
)
IDENTITY_COLUMNS = (Column("measure", "Identity", "text"), Column("value", "Value", "auto"))


def write(ctx: Context) -> None:
    """Five blocks, top to bottom, each an Excel table."""
    ws, st, dash = ctx.sheets["Data quality"], ctx.styles, ctx.dashboard
    ws.write_string(0, 0, "Files: every row read is accepted or rejected", st.heading)
    top, _, last, _ = write_frame(
        ws, dash.quality_files, FILE_COLUMNS, st, top=1, table_name="Files"
    )
    ws.conditional_format(
        top + 1, 7, last, 7, {"type": "data_bar", "bar_color": "#F8696B", "bar_solid": True}
    )
    row = last + 3
    ws.write_string(row, 0, "Rejected rows by reason", st.heading)
    _, _, last, _ = write_frame(ws, _masked(ctx, dash.quality_rejects), REJECT_COLUMNS, st,
                                top=row + 1, table_name="Rejects", widths=False)  # fmt: skip
    row = last + 3
    ws.write_string(row, 0, "Values blanked (row kept)", st.heading)
    _, _, last, _ = write_frame(ws, _masked(ctx, dash.quality_blanked), BLANKED_COLUMNS, st,
                                top=row + 1, table_name="Blanked", widths=False)  # fmt: skip
    row = last + 3
    ws.write_string(
        row, 0, "Field completeness per source, and share matched to another source", st.heading
    )
    fields = dash.quality_fields
    kinds = {c: "percent" for c in fields.columns if c not in ("source", "records")}
    cols = auto_columns(fields, {"records": "int", **kinds})
    top, _, last, last_col = write_frame(
        ws, fields, cols, st, top=row + 1, table_name="Completeness", widths=False
    )
    if len(fields) and last_col >= 2:
        ws.conditional_format(top + 1, 2, last, last_col, {"type": "2_color_scale", "min_color": "#F8696B",
                                                           "max_color": "#63BE7B"})  # fmt: skip
    row = last + 3
    ws.write_string(row, 0, "Identity resolution", st.heading)
    write_frame(ws, dash.identity, IDENTITY_COLUMNS, st, top=row + 1, widths=False)


def _masked(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """The table with its example values masked when privacy.mask_pii is on.

    A rejected or blanked value is often a malformed email or phone, personal data all the same:
    an email or phone column's value is masked as one even when it no longer looks like one
    ("jane(at)example.com"); other values are masked when they look like an email or phone.
    """
    if not ctx.mask_pii:
        return table
    by_column = {"email": mask_email, "phone": mask_phone}
    masked = [
        by_column.get(column, mask_value)(value)
        for column, value in zip(table["column"], table["example_value"], strict=True)
    ]
    return table.assign(example_value=masked)
