"""Models sheet: fitted CLV parameters, fit diagnostics and the notes about fallbacks."""

from __future__ import annotations

from eclp.workbook.context import Context
from eclp.workbook.frames import write_frame
from eclp.workbook.styles import Column

MODEL_COLUMNS = (
    Column("model", "Model", "text", 16),
    Column("parameter", "Parameter", "text", 24),
    Column("value", "Value", "auto", 40),
)


def write(ctx: Context) -> None:
    """Parameters as numbers where they are numbers; lists and flags as text."""
    ws, st, dash = ctx.sheets["Models"], ctx.styles, ctx.dashboard
    ws.write_string(
        0, 0, "Lifetime value models: BG/NBD (purchases) and Gamma-Gamma (order value)", st.heading
    )
    models = dash.clv_models.assign(value=dash.clv_models["value"].map(_cell_value))
    _, _, last, _ = write_frame(ws, models, MODEL_COLUMNS, st, top=1, table_name="Models")
    row = last + 2
    ws.write_string(row, 0, "Notes", st.heading)
    for i, note in enumerate(dash.clv_notes, start=row + 1):
        ws.merge_range(i, 0, i, 5, "", st.note)
        ws.write_string(i, 0, note, st.note)
        ws.set_row(i, 45)


def _cell_value(value: object) -> object:
    if isinstance(value, list | tuple | dict | set):
        return ", ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    return value
