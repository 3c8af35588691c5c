"""Shared cell formats and column kinds: one look across every sheet."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from eclp.metrics.answers import CURRENCY_SYMBOLS

BRAND = "#1F4E79"
LIGHT = "#DDEBF7"
# Column kinds every sheet uses; each maps to one number format.
KINDS = ("text", "int", "money", "number", "percent", "date", "datetime", "bool", "auto")
TABLE_STYLE = "Table Style Medium 2"
# Colour scales for heat maps: low → high.
HEAT = {
    "type": "3_color_scale",
    "min_color": "#F8696B",
    "mid_color": "#FFEB84",
    "max_color": "#63BE7B",
}
HEAT_BLUE = {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#5B9BD5"}


@dataclass(frozen=True)
class Column:
    """How one frame column is shown: header text, kind (format) and width."""

    name: str
    header: str
    kind: str = "text"
    width: float = 14


def money_format(currency: str) -> str:
    """Excel number format for whole money amounts with the currency symbol or code."""
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    if symbol:
        return f'"{symbol}"#,##0.00;-"{symbol}"#,##0.00'
    return f'#,##0.00" {currency.upper()}"'


class Styles:
    """The formats of one workbook, created once and shared by every sheet."""

    def __init__(self, workbook: Workbook, currency: str) -> None:
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 18, "font_color": BRAND})
        self.subtitle = add({"italic": True, "font_color": "#595959"})
        self.heading = add(
            {"bold": True, "font_size": 13, "font_color": BRAND, "bottom": 2, "bottom_color": BRAND}
        )
        self.header = add({"bold": True, "font_color": "#FFFFFF", "bg_color": BRAND, "text_wrap": True,
                           "valign": "top", "border": 1})  # fmt: skip
        self.note = add(
            {"italic": True, "font_color": "#7F7F7F", "text_wrap": True, "valign": "top"}
        )
        self.answer = add(
            {"font_size": 12, "text_wrap": True, "valign": "top", "bg_color": LIGHT, "border": 1}
        )
        self.answer_label = add(
            {"bold": True, "font_size": 12, "valign": "top", "font_color": BRAND}
        )
        self.tile_label = add(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": BRAND, "align": "center"}
        )
        self.by_kind: dict[str, Format] = {
            "text": add({}),
            "auto": add({"num_format": "#,##0.####"}),
            "int": add({"num_format": "#,##0"}),
            "money": add({"num_format": money_format(currency)}),
            "number": add({"num_format": "#,##0.00"}),
            "percent": add({"num_format": "0.0%"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "bool": add({"align": "center"}),
        }
        tile = {"bold": True, "font_size": 16, "align": "center", "bg_color": LIGHT, "border": 1}
        self.tile_value = {
            kind: add({**tile, "num_format": self.by_kind[kind].num_format or "General"})
            for kind in ("int", "money", "percent")
        }

    def of(self, kind: str) -> Format:
        """The cell format for a column kind."""
        return self.by_kind[kind]
