"""compute_dashboard: every table the workbook shows, from the store's frames, at an as-of date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from eclp.metrics import abc, channels, cohorts, content, customers, groups, quality, rfm
from eclp.metrics.answers import answers, kpis
from eclp.metrics.clv import ClvResult, compute_clv
from eclp.metrics.inputs import MetricsInputs
from eclp.metrics.orders import prepare_orders
from eclp.metrics.settings import MetricsSettings

CUSTOMER_TABLE_COLUMNS = (
    "customer_id", "full_name", "email", "phone", "company", "city", "region", "postcode",
    "country", "sources", "n_records", "created_at", "acquisition_channel", "email_consent",
    "sms_consent", "email_status", "member_rating", "orders", "units", "net_revenue", "aov",
    "first_order", "last_order", "days_since_last_order", "tenure_days", "r", "f", "m", "rfm",
    "segment", "abc", "historic_clv", "p_alive", "predicted_orders", "predicted_value",
    "expected_next_order_date", "tickets", "satisfaction", "email_events", "fulfilment_cost",
)  # fmt: skip
CLV_COLUMNS = {
    "historic_clv": "historic_clv",
    "p_alive": "p_alive",
    "expected_orders": "predicted_orders",
    "expected_value": "predicted_value",
    "expected_next_order_date": "expected_next_order_date",
}


@dataclass(frozen=True, eq=False)
class FittedClv:
    """The CLV module's result with its per-customer columns renamed for the customer table."""

    per_customer: pd.DataFrame
    result: ClvResult
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Dashboard:
    """Everything the workbook and `eclp build --json` show; frames are sorted by stable keys."""

    as_of: date
    currency: str
    attribution_model: str
    customers: pd.DataFrame
    rfm_segments: pd.DataFrame
    rf_matrix: pd.DataFrame
    abc: pd.DataFrame
    channels: pd.DataFrame
    attribution: pd.DataFrame
    cohorts_retention: pd.DataFrame
    cohorts_revenue: pd.DataFrame
    groups: pd.DataFrame
    products: pd.DataFrame
    content: pd.DataFrame
    quality_files: pd.DataFrame
    quality_rejects: pd.DataFrame
    quality_blanked: pd.DataFrame
    quality_fields: pd.DataFrame
    identity: pd.DataFrame
    review: pd.DataFrame
    clv_models: pd.DataFrame
    clv_notes: tuple[str, ...]
    revenue_by_month: pd.DataFrame
    segment_map: dict = field(default_factory=dict)
    kpis: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    max_excel_rows: int = 1_048_575

    def summary(self) -> dict:
        """JSON-ready summary for `eclp build --json`: counts, revenue, segments, CLV parameters."""
        segments = self.customers["segment"].value_counts().sort_index()
        params = self.clv_models[self.clv_models["value"].map(_is_scalar).astype(bool)]
        return {
            "as_of": self.as_of.isoformat(),
            "customers": int(self.kpis["customers"]),
            "buyers": int(self.kpis["buyers"]),
            "records": int(self.kpis["records"]),
            "orders": int(self.kpis["orders"]),
            "revenue": round(float(self.kpis["net_revenue"]), 2),
            "currency": self.currency,
            "orders_folded": int(self.kpis["orders_folded"]),
            "segments": {str(k): int(v) for k, v in segments.items()},
            "clv": {
                model: {
                    str(p): _json_scalar(v)
                    for p, v in zip(part["parameter"], part["value"], strict=True)
                }
                for model, part in params.groupby("model", sort=True)
            },
            "clv_notes": list(self.clv_notes),
            "answers": dict(self.answers),
        }


def compute_dashboard(
    inputs: MetricsInputs, *, as_of: date, settings: MetricsSettings
) -> Dashboard:
    """All dashboard tables at `as_of` (data after that day is ignored)."""
    data = inputs.completed()
    day = pd.Timestamp(as_of)
    cutoff = day + pd.Timedelta(days=1)
    profiles = _source_profiles(data.batches)
    prepared = prepare_orders(
        data.orders,
        cutoff=cutoff,
        payment_sources=settings.payment_sources,
        tolerance=settings.duplicate_payment_tolerance,
        source_profiles=profiles,
    )
    orders = prepared.orders.assign(
        units=customers.order_units(prepared.orders, data.order_lines),
        fulfilment_cost=customers.order_costs(
            prepared.orders, data.costs, settings.fulfilment_cost_per_order
        ),
    )
    table = customers.customer_table(
        data.customers,
        orders,
        customers.email_standing(data.person_records, data.identity_map),
        customers.support_facts(data.interactions, cutoff),
        day,
    )
    table["acquisition_channel"] = channels.acquisition_channel(
        table.assign(channel=_crm(data, table)), orders
    )
    buyers = table["orders"].gt(0)
    scores = rfm.rfm_scores(
        table[buyers], frequency_bins=settings.frequency_bins, segment_map=settings.segment_map
    )
    table = table.join(scores)
    table["abc"] = abc.abc_classes(
        table["net_revenue"], table["customer_id"], settings.abc_thresholds
    )
    clv = _clv(orders, day, settings)
    table = table.merge(clv.per_customer, on="customer_id", how="left") if clv else table
    table = table.reindex(columns=list(CUSTOMER_TABLE_COLUMNS))
    spend = channels.channel_spend(data.spend, day)
    weights = channels.attribution_weights(table, orders)
    lines = groups.counted_lines(data.order_lines, orders)
    cohort = cohorts.cohorts(orders, day)
    models = _clv_models(clv)
    dash = dict(
        as_of=as_of,
        currency=settings.currency,
        attribution_model=settings.attribution,
        customers=table,
        rfm_segments=rfm.segment_table(table, settings.segment_map),
        rf_matrix=rfm.rf_matrix(table),
        abc=abc.abc_table(table),
        channels=channels.channel_table(table, spend, settings.gross_margin),
        attribution=channels.attribution_table(table, weights, spend, settings.gross_margin),
        cohorts_retention=cohort.retention,
        cohorts_revenue=cohort.revenue,
        groups=groups.customer_groups(table, lines),
        products=groups.product_table(lines),
        content=content.content_table(data.content, day),
        quality_files=quality.file_table(data.batches),
        quality_rejects=quality.reject_table(data.rejects, data.batches),
        quality_blanked=quality.blanked_table(data.blanked, data.batches),
        quality_fields=quality.field_table(data.person_records, data.identity_map),
        identity=quality.identity_table(data.identity_stats),
        review=data.review.reset_index(drop=True),
        clv_models=models,
        clv_notes=clv.notes if clv else ("No orders: lifetime value models were not fitted.",),
        revenue_by_month=_revenue_by_month(orders),
        segment_map=dict(settings.segment_map),
        max_excel_rows=settings.max_excel_rows,
    )
    figures = kpis(dash, records=len(data.identity_map), prepared=prepared, spend=spend)
    figures["clv_horizon_months"] = settings.clv.horizon_months
    return Dashboard(**dash, kpis=figures, answers=answers(dash, figures))


def _source_profiles(batches: pd.DataFrame) -> dict[str, str]:
    known = batches.dropna(subset=["source"])
    return dict(
        zip(known["source"].astype(str), known["profile"].fillna("").astype(str), strict=True)
    )


def _crm(data: MetricsInputs, table: pd.DataFrame) -> pd.Series:
    """The golden record's own channel (CRM original source or first record's), aligned to table."""
    channel = data.customers.drop_duplicates("customer_id").set_index("customer_id")["channel"]
    return table["customer_id"].map(channel)


def _clv(orders: pd.DataFrame, day: pd.Timestamp, settings: MetricsSettings) -> FittedClv | None:
    """Fit the CLV models on counted orders; None when there are no orders at all."""
    if orders.empty:
        return None
    transactions = pd.DataFrame(
        {
            "customer_id": orders["customer_id"],
            "order_date": orders["order_date"].dt.normalize(),
            "revenue": orders["net_revenue"],
        }
    )
    result = compute_clv(transactions, as_of=day, settings=settings.clv)
    per_customer = result.per_customer.rename(columns=CLV_COLUMNS)
    per_customer = per_customer[
        ["customer_id", *[c for c in CLV_COLUMNS.values() if c in per_customer]]
    ]
    return FittedClv(per_customer=per_customer, result=result, notes=tuple(result.notes))


def _clv_models(clv: FittedClv | None) -> pd.DataFrame:
    rows = []
    if clv is not None:
        for model, params in (
            ("BG/NBD", clv.result.bgnbd),
            ("Gamma-Gamma", clv.result.gamma_gamma),
        ):
            rows.extend((model, str(k), v) for k, v in (params or {}).items())
    return pd.DataFrame(rows, columns=["model", "parameter", "value"])


def _revenue_by_month(orders: pd.DataFrame) -> pd.DataFrame:
    if orders.empty:
        return pd.DataFrame(columns=["month", "orders", "customers", "revenue"])
    month = orders["order_date"].dt.to_period("M").astype(str)
    grouped = orders.groupby(month)
    table = pd.DataFrame(
        {
            "orders": grouped.size(),
            "customers": grouped["customer_id"].nunique(),
            "revenue": grouped["net_revenue"].sum(),
        }
    )
    return table.rename_axis("month").reset_index()


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _json_scalar(value: object) -> object:
    """Plain ints and floats (NaN as None), everything else as it is."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() and isinstance(value, int) else float(value)
