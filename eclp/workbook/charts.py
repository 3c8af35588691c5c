"""Native Excel charts over ranges already written in the workbook."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from eclp.workbook.styles import BRAND

Range = tuple[str, int, int, int, int]  # sheet, first_row, first_col, last_row, last_col


def bar_chart(
    wb: Workbook,
    title: str,
    categories: Range,
    series: list[tuple[str, Range]],
    *,
    horizontal: bool = False,
):
    """A clustered bar (horizontal) or column chart, one series per (name, values range)."""
    chart = wb.add_chart({"type": "bar" if horizontal else "column"})
    colours = (BRAND, "#ED7D31", "#A5A5A5", "#70AD47")
    for i, (name, values) in enumerate(series):
        chart.add_series(
            {"name": name, "categories": list(categories), "values": list(values),
             "fill": {"color": colours[i % len(colours)]}, "gap": 80}
        )  # fmt: skip
    _finish(chart, title, legend=len(series) > 1)
    if horizontal:
        chart.set_y_axis({"reverse": True})
    return chart


def line_chart(wb: Workbook, title: str, categories: Range, series: list[tuple[str, Range]]):
    """A line chart with markers, one series per (name, values range)."""
    chart = wb.add_chart({"type": "line"})
    for name, values in series:
        chart.add_series({"name": name, "categories": list(categories), "values": list(values),
                          "marker": {"type": "circle", "size": 5}})  # fmt: skip
    _finish(chart, title, legend=len(series) > 1)
    return chart


def place(ws: Worksheet, cell: str, chart, *, width: int = 560, height: int = 300) -> None:
    """Insert a chart at a cell with a fixed size, so layouts don't depend on column widths."""
    chart.set_size({"width": width, "height": height})
    ws.insert_chart(cell, chart, {"object_position": 3})


def _finish(chart, title: str, *, legend: bool) -> None:
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"} if legend else {"none": True})
    chart.set_style(10)
