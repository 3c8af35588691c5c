"""The dashboard workbook and the customer table sidecars (spec §7), all written atomically."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from eclp.csvfiles import write_csv
from eclp.metrics.dashboard import Dashboard
from eclp.workbook import (
    bigsheet,
    channels,
    cohorts,
    content,
    customers,
    groups,
    models,
    overview,
    quality,
    review,
    rfm,
)
from eclp.workbook.context import Context
from eclp.workbook.privacy import mask_email, mask_frame, mask_phone
from eclp.workbook.styles import Styles
from eclp.workbook.writer import atomic_path

__all__ = ["mask_email", "mask_phone", "sheet_plan", "write_customer_tables", "write_workbook"]

# Text is never turned into formulas, numbers or links, whatever it looks like.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": False,
    "in_memory": True,
}


def sheet_plan(dashboard: Dashboard) -> list[str]:
    """Sheet names in order; Content only when content data exists, Customers split at the row limit."""
    names = ["Overview", *customers.sheet_names(len(dashboard.customers), dashboard.max_excel_rows)]
    names += ["RFM", "Channels", "Cohorts", "Customer groups"]
    names += ["Content"] if not dashboard.content.empty else []
    return [*names, "Data quality", "Review", "Models"]


def write_workbook(dashboard: Dashboard, path: Path, *, mask_pii: bool = False) -> Path:
    """Write the dashboard .xlsx at `path` atomically; the same dashboard gives the same bytes."""
    path = Path(path)
    table = mask_frame(dashboard.customers) if mask_pii else dashboard.customers
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    as_of = datetime(dashboard.as_of.year, dashboard.as_of.month, dashboard.as_of.day)
    wb.set_properties({"title": "Customer dashboard", "author": "eclp", "created": as_of})
    ctx = Context(wb, Styles(wb, dashboard.currency), dashboard,
                  {name: wb.add_worksheet(name) for name in sheet_plan(dashboard)}, mask_pii)  # fmt: skip
    customers.write(ctx, table)
    for sheet in (rfm, channels, cohorts, groups, quality, review, models):
        sheet.write(ctx)
    if "Content" in ctx.sheets:
        content.write(ctx)
    overview.write(ctx)
    wb.close()
    with atomic_path(path) as tmp:
        bigsheet.finish(buffer.getvalue(), ctx.big_tables, tmp)
    return path


def write_customer_tables(
    dashboard: Dashboard, out_dir: Path, *, mask_pii: bool = False
) -> list[Path]:
    """out/customers.csv and out/customers.parquet: the full customer table, never capped."""
    out_dir = Path(out_dir)
    table = mask_frame(dashboard.customers) if mask_pii else dashboard.customers
    written = []
    csv_path, parquet_path = out_dir / "customers.csv", out_dir / "customers.parquet"
    with atomic_path(csv_path) as tmp:
        write_csv(table, tmp, date_format="%Y-%m-%d %H:%M:%S")
    written.append(csv_path)
    with atomic_path(parquet_path) as tmp:
        _parquet_ready(table).to_parquet(tmp, index=False)
    written.append(parquet_path)
    return written


def _parquet_ready(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding mixed types become text so Arrow can store them."""
    out = table.copy()
    for column in out.columns[out.dtypes.eq(object)]:
        values = out[column].dropna()
        if (
            not values.map(type).eq(str).all()
            and not values.map(lambda v: isinstance(v, bool)).all()
        ):
            out[column] = out[column].map(lambda v: v if v is None or pd.isna(v) else str(v))
    return out
