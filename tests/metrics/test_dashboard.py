"""compute_dashboard end to end on the sample: customer facts, groups, content, quality, summary."""

from __future__ import annotations

import json

import pytest


def test_per_customer_facts(sample_customers):
    c1 = sample_customers.loc["C1"]
    assert (c1["orders"], c1["units"], c1["net_revenue"], c1["aov"]) == (3, 9, 600.0, 200.0)
    assert str(c1["first_order"].date()) == "2025-01-10" and c1["days_since_last_order"] == 10
    assert (c1["tickets"], c1["satisfaction"]) == (2, 3.0)  # the August ticket is after as_of
    assert c1["email_status"] == "unsubscribed"  # the worst status across lists wins
    assert c1["fulfilment_cost"] == 9.0
    assert sample_customers.loc["C3", "net_revenue"] == 100.0  # partial refund of 20 subtracted
    assert sample_customers.loc["C5", "orders"] == 0  # its only order is after as_of


def test_groups_cover_segments_channels_countries_and_categories(sample_dashboard):
    groups = sample_dashboard.groups
    assert set(groups["dimension"]) == {
        "RFM segment",
        "ABC class",
        "Channel",
        "Country",
        "Product category",
    }
    category = groups[groups["dimension"].eq("Product category")].set_index("group")
    assert category.loc["Apparel", ["units", "revenue"]].tolist() == [8, 400.0]
    assert category.loc["Home", ["units", "revenue"]].tolist() == [
        2,
        250.0,
    ]  # refunded S5's line left out
    country = groups[groups["dimension"].eq("Country")].set_index("group")
    assert country.loc["US", "revenue"] == 150.0


def test_content_weighs_average_engagement_by_users(sample_dashboard):
    content = sample_dashboard.content
    assert content["page"].tolist() == ["/blog/a", "/blog/b"]  # /blog/c starts after as_of
    first = content.iloc[0]
    assert (first["views"], first["users"], first["avg_engagement_seconds"]) == (
        150,
        75,
        pytest.approx(50.0),
    )


def test_quality_tables(sample_dashboard):
    files = sample_dashboard.quality_files.set_index("file")
    assert files.loc["orders_export_1.csv", ["rows", "accepted", "rejected"]].tolist() == [10, 9, 1]
    rejects = sample_dashboard.quality_rejects
    assert rejects[["source", "reason", "rows"]].values.tolist() == [["shopify", "bad date", 1]]
    fields = sample_dashboard.quality_fields.set_index("source")
    assert fields.loc["stripe", "matched_other_source"] == 1.0
    assert fields.loc["shopify", "matched_other_source"] == pytest.approx(0.2)
    assert (
        dict(
            zip(
                sample_dashboard.identity["measure"],
                sample_dashboard.identity["value"],
                strict=True,
            )
        )["largest_cluster"]
        == 3
    )


def test_summary_is_json_ready(sample_dashboard):
    summary = json.loads(json.dumps(sample_dashboard.summary()))
    assert (summary["customers"], summary["buyers"], summary["orders"], summary["revenue"]) == (
        6,
        4,
        6,
        780.0,
    )
    assert summary["segments"] == {"About to Sleep": 1, "Hibernating": 1, "New Customers": 1,
                                   "Potential Loyalists": 1}  # fmt: skip
    assert set(summary["clv"]) == {"BG/NBD", "Gamma-Gamma"}
    assert summary["as_of"] == "2025-06-30"


def test_answers_in_plain_words(sample_dashboard):
    assert sample_dashboard.answers["groups"].startswith(
        "Customers who buy the most: Potential Loyalists — 25% of buyers bring 77% of revenue ($600)"
    )
    assert sample_dashboard.answers["content"] == (
        "Most engaging content: /blog/a (“Care guide”) — 75 users, 0m 50s average engagement, 2 key events"
    )


def test_empty_store_still_gives_a_dashboard():
    from datetime import date

    from eclp.metrics import MetricsInputs, MetricsSettings, compute_dashboard

    dash = compute_dashboard(MetricsInputs(), as_of=date(2025, 1, 1), settings=MetricsSettings())
    assert dash.kpis["customers"] == 0 and dash.customers.empty
    assert dash.summary()["revenue"] == 0.0
