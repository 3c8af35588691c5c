"""A small shop, computable by hand: six customers, nine orders, spend, costs, lines and content.

Expected figures at as_of 2025-06-30 (margin 0.5, default fulfilment 2.0 per order):
  C1 Alice  orders S1 100 (Email), S2 200 (Paid Search), S3 300 (Email); the Stripe payment P1
            (301 on S3's day) is a duplicate of S3 and is folded → 3 orders, 600, R4 F3 M5
  C2 Bob    S4 50 (no channel; CRM Paid Search), S5 refunded in full → 1 order, 50, R3 F1 M3
  C3 Carol  S6 120 partially refunded 20 → 100 (Paid Search), 1 order, R5 F1 M4
  C4 Dan    Mailchimp only, no orders → acquisition Email by source, no segment
  C5 Eve    S7 is after as_of → no orders
  C6 Fay    S8 30 (Direct), S9 cancelled → 1 order, 30, R2 F1 M2
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import clv_stub

clv_stub.install()

from eclp.metrics import MetricsInputs, MetricsSettings  # noqa: E402

AS_OF = date(2025, 6, 30)
T = pd.Timestamp


def settings(**overrides) -> MetricsSettings:
    """Margin 0.5 and 2.0 fulfilment per order unless overridden."""
    return MetricsSettings(**{"gross_margin": 0.5, "fulfilment_cost_per_order": 2.0, **overrides})


def customers() -> pd.DataFrame:
    rows = [
        (
            "C1",
            "alice@example.com",
            "+447700900001",
            "Alice",
            "Smith",
            "Paid Social",
            "shopify,mailchimp,stripe",
            "GB",
        ),
        ("C2", "bob@example.com", None, "Bob", "Jones", "Paid Search", "shopify", "US"),
        ("C3", "carol@example.com", None, "Carol", "King", None, "shopify", "US"),
        ("C4", "dan@example.com", None, "Dan", "Brown", None, "mailchimp", "GB"),
        ("C5", '=HYPERLINK("http://x")', None, "+1+1", "@SUM(A1)", "Direct", "shopify", "-2+3"),
        ("C6", "fay@example.com", None, "Fay", "Lee", "Direct", "shopify", "DE"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "email",
            "phone",
            "first_name",
            "last_name",
            "channel",
            "sources",
            "country",
        ],
    )
    return frame.assign(
        full_name=None,
        company=None,
        created_at=T("2024-11-01"),
        n_records=1,
        email_consent=True,
        sms_consent=False,
    )


def orders() -> pd.DataFrame:
    rows = [
        ("shopify", "S1", "C1", "2025-01-10 10:00", 100.0, 0.0, "paid", "Email"),
        ("shopify", "S2", "C1", "2025-03-05 12:00", 200.0, 0.0, "paid", "Paid Search"),
        ("shopify", "S3", "C1", "2025-06-20 09:00", 300.0, 0.0, "paid", "Email"),
        ("stripe", "P1", "C1", "2025-06-20 09:05", 301.0, 0.0, "Paid", None),
        ("shopify", "S4", "C2", "2025-02-01 08:00", 50.0, 0.0, "paid", None),
        ("shopify", "S5", "C2", "2025-02-15 08:00", 80.0, 80.0, "refunded", "Email"),
        (
            "shopify",
            "S6",
            "C3",
            "2025-06-28 18:00",
            120.0,
            20.0,
            "partially_refunded",
            "Paid Search",
        ),
        ("shopify", "S7", "C5", "2025-07-05 10:00", 500.0, 0.0, "paid", "Direct"),
        ("shopify", "S8", "C6", "2024-12-01 10:00", 30.0, 0.0, "paid", "Direct"),
        ("shopify", "S9", "C6", "2025-01-01 10:00", 40.0, 0.0, "Cancelled", "Direct"),
        ("shopify", "S10", None, "2025-03-01 10:00", 70.0, 0.0, "paid", "Direct"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "source",
            "order_id",
            "customer_id",
            "order_date",
            "total",
            "refunded",
            "status",
            "channel",
        ],
    )
    return frame.assign(
        order_date=pd.to_datetime(frame["order_date"]),
        person_record_id=frame["order_id"],
        units=None,
        currency="USD",
    )


def order_lines() -> pd.DataFrame:
    rows = [
        ("shopify", "S1", 1, "TEE", "Tee", "Apparel", 2, 50.0),
        ("shopify", "S2", 1, "MUG", "Mug", "Home", 1, 200.0),
        ("shopify", "S3", 1, "TEE", "Tee", "Apparel", 6, 50.0),
        ("shopify", "S4", 1, "MUG", "Mug", "Home", 1, 50.0),
        ("shopify", "S5", 1, "MUG", "Mug", "Home", 1, 80.0),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "source",
            "order_id",
            "line_no",
            "sku",
            "product",
            "category",
            "quantity",
            "price",
        ],
    )


def inputs() -> MetricsInputs:
    identity_map = pd.DataFrame(
        [
            ("C1", "shopify", "c1"),
            ("C1", "mailchimp", "alice@example.com"),
            ("C1", "stripe", "cus_1"),
            ("C2", "shopify", "c2"),
            ("C3", "shopify", "c3"),
            ("C4", "mailchimp", "dan@example.com"),
            ("C5", "shopify", "c5"),
            ("C6", "shopify", "c6"),
        ],
        columns=["customer_id", "source", "source_record_id"],
    ).assign(file="f.csv", row=1, match_score=1.0, rule="email")
    person_records = identity_map[["source", "source_record_id"]].assign(
        email="x@example.com", phone=None, email_status=None, member_rating=None
    )
    person_records.loc[1, ["email_status", "member_rating"]] = ["unsubscribed", 2]
    person_records.loc[0, ["email_status"]] = ["subscribed"]
    person_records.loc[5, ["email_status", "member_rating"]] = ["subscribed", 3]
    interactions = pd.DataFrame(
        [
            ("zendesk", "T1", "ticket", T("2025-02-01"), 4.0, "C1"),
            ("zendesk", "T2", "ticket", T("2025-04-01"), 2.0, "C1"),
            ("zendesk", "T3", "ticket", T("2025-08-01"), 1.0, "C1"),
            ("mailchimp", "E1", "email", T("2025-05-01"), None, "C1"),
        ],
        columns=["source", "interaction_id", "type", "occurred_at", "score", "customer_id"],
    )
    spend = pd.DataFrame(
        [
            (T("2025-03-01"), "Paid Search", 100.0),
            (T("2025-05-01"), "Email", 10.0),
            (T("2025-07-15"), "Paid Search", 999.0),
        ],
        columns=["date", "channel", "spend"],
    )
    content = pd.DataFrame(
        [
            ("/blog/a", "Care guide", 100, 50, 60.0, 2, T("2025-05-01")),
            ("/blog/b", "News", 300, 100, 20.0, 1, T("2025-05-01")),
            ("/blog/a", "Care guide", 50, 25, 30.0, 0, T("2025-06-01")),
            ("/blog/c", "Future", 999, 999, 999.0, 9, T("2025-07-01")),
        ],
        columns=[
            "page",
            "title",
            "views",
            "users",
            "engaged_seconds",
            "conversions",
            "period_start",
        ],
    )
    batches = pd.DataFrame(
        [
            (1, "orders_export_1.csv", "shopify", "shopify_orders", "orders", 10, 9, 1),
            (2, "subscribed.csv", "mailchimp", "mailchimp", "people", 5, 5, 0),
            (3, "unified_payments.csv", "stripe", "stripe_payments", "orders", 1, 1, 0),
        ],
        columns=[
            "batch_id",
            "file_name",
            "source",
            "profile",
            "kind",
            "rows",
            "accepted",
            "rejected",
        ],
    )
    rejects = pd.DataFrame(
        [(1, "orders_export_1.csv", 7, "Created at", "=1+2", "bad date")],
        columns=["batch_id", "file", "row", "column", "value", "reason"],
    )
    review = pd.DataFrame(
        [("C2", "C3", 0.71, "name ~ 0.8; email differs", "Bob Jones", "@bob")],
        columns=[
            "a_customer_id",
            "b_customer_id",
            "score",
            "evidence",
            "a_full_name",
            "b_full_name",
        ],
    )
    return MetricsInputs(
        customers=customers(),
        identity_map=identity_map,
        orders=orders(),
        order_lines=order_lines(),
        interactions=interactions,
        spend=spend,
        costs=pd.DataFrame({"order_id": ["S1"], "cost": [5.0], "kind": ["shipping"]}),
        content=content,
        person_records=person_records,
        batches=batches,
        rejects=rejects,
        review=review,
        identity_stats={
            "records": 8,
            "customers": 6,
            "links": 2,
            "merges": 2,
            "review": 1,
            "largest_cluster": 3,
        },
    )
