"""Per-customer facts: revenue, orders, units, dates, email standing, support and costs."""

from __future__ import annotations

import pandas as pd

# Worst email standing wins: a person unsubscribed in one list is unsubscribed.
EMAIL_STATUS_RANK = {"cleaned": 0, "bounced": 0, "unsubscribed": 1, "pending": 2, "subscribed": 3}
PROFILE_COLUMNS = (
    "customer_id", "full_name", "email", "phone", "company", "city", "region", "postcode",
    "country", "created_at", "sources", "n_records", "email_consent", "sms_consent",
)  # fmt: skip


def order_units(orders: pd.DataFrame, order_lines: pd.DataFrame) -> pd.Series:
    """Units per order: the order's own count, else the sum of its lines' quantities."""
    own = pd.to_numeric(orders["units"], errors="coerce")
    if order_lines.empty or not own.isna().any():
        return own
    qty = pd.to_numeric(order_lines["quantity"], errors="coerce")
    per_order = qty.groupby([order_lines["source"], order_lines["order_id"]]).sum(min_count=1)
    keys = pd.MultiIndex.from_arrays([orders["source"], orders["order_id"]])
    return own.fillna(pd.Series(per_order.reindex(keys).to_numpy(), index=orders.index))


def order_costs(orders: pd.DataFrame, costs: pd.DataFrame, default: float) -> pd.Series:
    """Fulfilment cost per order from the costs file (summed by kind), else the configured default."""
    if costs.empty:
        return pd.Series(float(default), index=orders.index)
    per_order = (
        pd.to_numeric(costs["cost"], errors="coerce").groupby(costs["order_id"].astype(str)).sum()
    )
    return orders["order_id"].astype(str).map(per_order).fillna(float(default)).astype(float)


def full_names(customers: pd.DataFrame) -> pd.Series:
    """The golden full name, else first and last name joined."""
    joined = (
        customers["first_name"].fillna("").astype(str)
        + " "
        + customers["last_name"].fillna("").astype(str)
    ).str.strip()
    return customers["full_name"].where(customers["full_name"].notna(), joined.replace("", None))


def order_facts(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Orders, units, net revenue, AOV, first/last order and recency per customer."""
    grouped = orders.groupby("customer_id", sort=True)
    facts = pd.DataFrame(
        {
            "orders": grouped.size(),
            "units": grouped["units"].sum(min_count=1),
            "net_revenue": grouped["net_revenue"].sum(),
            "first_order": grouped["order_date"].min(),
            "last_order": grouped["order_date"].max(),
            "fulfilment_cost": grouped["fulfilment_cost"].sum(),
        }
    )
    facts["aov"] = facts["net_revenue"] / facts["orders"]
    facts["days_since_last_order"] = (as_of - facts["last_order"].dt.normalize()).dt.days
    return facts


def email_standing(person_records: pd.DataFrame, identity_map: pd.DataFrame) -> pd.DataFrame:
    """Per customer: the worst email list status across sources and the best member rating."""
    if person_records.empty or identity_map.empty:
        return pd.DataFrame(
            columns=["email_status", "member_rating"], index=pd.Index([], name="customer_id")
        )
    keyed = person_records[["source", "source_record_id", "email_status", "member_rating"]].merge(
        identity_map[["source", "source_record_id", "customer_id"]],
        on=["source", "source_record_id"],
    )
    status = keyed["email_status"].astype("string").str.strip().str.lower()
    keyed = keyed.assign(_status=status, _rank=status.map(EMAIL_STATUS_RANK).fillna(9))
    worst = keyed.dropna(subset=["_status"]).sort_values(
        ["customer_id", "_rank", "_status"], kind="stable"
    )
    return pd.DataFrame(
        {
            "email_status": worst.drop_duplicates("customer_id").set_index("customer_id")[
                "_status"
            ],
            "member_rating": pd.to_numeric(keyed["member_rating"], errors="coerce")
            .groupby(keyed["customer_id"])
            .max(),
        }
    )


def support_facts(interactions: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Support tickets and mean satisfaction, and email events, per customer up to the cutoff."""
    dated = pd.to_datetime(interactions["occurred_at"], errors="coerce")
    kept = interactions[interactions["customer_id"].notna() & ~dated.ge(cutoff).fillna(False)]
    kind = kept["type"].astype("string").str.lower()
    tickets = kept[kind.str.contains("ticket", na=False).to_numpy()]
    emails = kept[kind.str.contains("email", na=False).to_numpy()]
    return pd.DataFrame(
        {
            "tickets": tickets.groupby("customer_id").size(),
            "satisfaction": pd.to_numeric(tickets["score"], errors="coerce")
            .groupby(tickets["customer_id"])
            .mean(),
            "email_events": emails.groupby("customer_id").size(),
        }
    )


def customer_table(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    standing: pd.DataFrame,
    support: pd.DataFrame,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """One row per golden customer with every per-customer fact (non-buyers included)."""
    profile = customers.assign(full_name=full_names(customers))[list(PROFILE_COLUMNS)]
    profile = profile.drop_duplicates("customer_id").sort_values("customer_id", kind="stable")
    table = profile.set_index("customer_id")
    table = table.join(order_facts(orders, as_of)).join(standing).join(support)
    for column in ("orders", "tickets", "email_events"):
        table[column] = table[column].fillna(0).astype("int64")
    table["net_revenue"] = table["net_revenue"].fillna(0.0)
    table["fulfilment_cost"] = table["fulfilment_cost"].fillna(0.0)
    created = pd.to_datetime(table["created_at"], errors="coerce")
    start = pd.concat([created, table["first_order"]], axis=1).min(axis=1)
    table["tenure_days"] = (as_of - start.dt.normalize()).dt.days.clip(lower=0)
    return table.reset_index()
