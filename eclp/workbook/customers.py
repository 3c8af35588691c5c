"""Customers sheet(s): one row per golden customer as an Excel table, split at Excel's row limit."""

from __future__ import annotations

import math

import pandas as pd

from eclp.workbook import bigsheet
from eclp.workbook.context import Context
from eclp.workbook.styles import Column

COLUMNS = (
    Column("customer_id", "Customer ID", "text", 13),
    Column("full_name", "Name", "text", 22),
    Column("email", "Email", "text", 28),
    Column("phone", "Phone", "text", 16),
    Column("company", "Company", "text", 18),
    Column("city", "City", "text", 14),
    Column("region", "Region", "text", 10),
    Column("postcode", "Postcode", "text", 10),
    Column("country", "Country", "text", 9),
    Column("sources", "Sources", "text", 22),
    Column("n_records", "Records", "int", 9),
    Column("created_at", "Created", "date", 11),
    Column("acquisition_channel", "Acquisition channel", "text", 16),
    Column("email_consent", "Email consent", "bool", 9),
    Column("sms_consent", "SMS consent", "bool", 9),
    Column("email_status", "Email status", "text", 12),
    Column("member_rating", "Email rating", "int", 9),
    Column("orders", "Orders", "int", 8),
    Column("units", "Units", "int", 8),
    Column("net_revenue", "Net revenue", "money", 13),
    Column("aov", "AOV", "money", 11),
    Column("first_order", "First order", "date", 11),
    Column("last_order", "Last order", "date", 11),
    Column("days_since_last_order", "Days since last order", "int", 10),
    Column("tenure_days", "Tenure (days)", "int", 9),
    Column("r", "R", "int", 5),
    Column("f", "F", "int", 5),
    Column("m", "M", "int", 5),
    Column("rfm", "RFM", "text", 6),
    Column("segment", "Segment", "text", 18),
    Column("abc", "ABC", "text", 5),
    Column("historic_clv", "Historic CLV", "money", 13),
    Column("p_alive", "P(alive)", "percent", 9),
    Column("predicted_orders", "Predicted orders", "number", 10),
    Column("predicted_value", "Predicted value", "money", 13),
    Column("expected_next_order_date", "Expected next order", "date", 12),
    Column("tickets", "Support tickets", "int", 9),
    Column("satisfaction", "Satisfaction", "number", 11),
    Column("email_events", "Email events", "int", 9),
    Column("fulfilment_cost", "Fulfilment cost", "money", 12),
)


def sheet_names(n_customers: int, max_rows: int) -> list[str]:
    """'Customers', then 'Customers 2', … when the table is longer than one sheet allows."""
    parts = max(1, math.ceil(n_customers / max_rows))
    return ["Customers"] + [f"Customers {i}" for i in range(2, parts + 1)]


def write(ctx: Context, customers: pd.DataFrame) -> None:
    """Lay out each Customers sheet; the rows themselves are streamed in by bigsheet.finish."""
    max_rows = ctx.dashboard.max_excel_rows
    names = sheet_names(len(customers), max_rows)
    if len(names) > 1:
        ctx.notes.append(
            f"{len(customers):,} customers exceed one sheet's {max_rows:,} rows: the table is split "
            f"over {', '.join(names)}; out/customers.csv and out/customers.parquet hold all of them."
        )
    for i, name in enumerate(names):
        part = customers.iloc[i * max_rows : (i + 1) * max_rows].reset_index(drop=True)
        ws = ctx.sheets[name]
        table_name = name.replace(" ", "")
        bigsheet.lay_out(ws, part, COLUMNS, ctx.styles, table_name=table_name)
        ctx.big_tables.append(bigsheet.BigTable(ctx.sheet_number(name), table_name, part, COLUMNS))
