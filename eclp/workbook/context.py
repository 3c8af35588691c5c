"""What every sheet writer gets: the workbook, shared styles, the dashboard and the sheet plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from eclp.metrics.dashboard import Dashboard
from eclp.workbook.bigsheet import BigTable
from eclp.workbook.styles import Styles


@dataclass
class Context:
    """Shared state of one workbook being written (mutable: sheets record ranges for charts)."""

    workbook: Workbook
    styles: Styles
    dashboard: Dashboard
    sheets: dict[str, Worksheet]
    mask_pii: bool = False
    big_tables: list[BigTable] = field(default_factory=list)
    ranges: dict[str, tuple] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def sheet_number(self, name: str) -> int:
        """1-based position of a sheet (its xl/worksheets/sheetN.xml number)."""
        return list(self.sheets).index(name) + 1
