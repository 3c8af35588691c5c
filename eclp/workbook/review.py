"""Review sheet: the uncertain matches waiting for an analyst's same/different decision."""

from __future__ import annotations

from eclp.workbook.context import Context
from eclp.workbook.frames import auto_columns, write_frame
from eclp.workbook.privacy import mask_frame
from eclp.workbook.styles import Column


def write(ctx: Context) -> None:
    """The queue as identity left it (capped at the row limit), with how to decide."""
    ws, st, dash = ctx.sheets["Review"], ctx.styles, ctx.dashboard
    review = mask_frame(dash.review) if ctx.mask_pii else dash.review
    ws.write_string(
        0,
        0,
        "Possible matches to review: decide with `eclp review --export` / `--apply`",
        st.heading,
    )
    limit = dash.max_excel_rows - 2
    if len(review) > limit:
        ctx.notes.append(
            f"The review queue has {len(review):,} pairs; the Review sheet shows the first {limit:,}."
        )
        review = review.head(limit)
    if review.empty:
        ws.write_string(2, 0, "Nothing to review.", st.note)
        return
    kinds = {c: "number" for c in review.columns if "score" in str(c)}
    cols: list[Column] = auto_columns(review, kinds)
    write_frame(ws, review, cols, st, top=1, table_name="Review")
    ws.freeze_panes(2, 0)
