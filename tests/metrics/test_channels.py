"""Acquisition channel, attribution and channel economics on the hand-computed sample.

Margin 0.5; fulfilment: S1 costs 5 from the costs file, every other order the default 2.
Email: C1's 600 revenue, spend 10, fulfilment 9 → profit 300 − 9 − 10 = 281, CAC 10, ROAS 60.
Paid Search: C2 50 + C3 100, spend 100 (the July spend is after as_of) → profit 75 − 4 − 100 = −29.
"""

from __future__ import annotations

import pytest


def test_acquisition_channel_precedence(sample_customers):
    assert sample_customers["acquisition_channel"].to_dict() == {
        "C1": "Email",  # first order's channel beats the CRM's Paid Social
        "C2": "Paid Search",  # first order has no channel: CRM original source
        "C3": "Paid Search",
        "C4": "Email",  # no orders, no CRM channel: Mailchimp as the first source
        "C5": "Direct",
        "C6": "Direct",
    }


def test_channel_economics(sample_dashboard):
    table = sample_dashboard.channels.set_index("channel")
    email, paid = table.loc["Email"], table.loc["Paid Search"]
    assert (email["customers"], email["new_customers"], email["orders"]) == (2, 1, 3)
    assert email[
        ["revenue", "spend", "fulfilment_cost", "cac", "roas", "profit", "aov", "repeat_rate"]
    ].tolist() == (pytest.approx([600.0, 10.0, 9.0, 10.0, 60.0, 281.0, 200.0, 1.0]))
    assert paid[
        ["revenue", "spend", "cac", "roas", "profit", "repeat_rate"]
    ].tolist() == pytest.approx([150.0, 100.0, 50.0, 1.5, -29.0, 0.0])
    assert table.index.tolist() == ["Email", "Direct", "Paid Search"]  # most profitable first


def test_no_spend_means_unknown_cac_and_roas(sample_dashboard):
    direct = sample_dashboard.channels.set_index("channel").loc["Direct"]
    assert direct["profit"] == pytest.approx(13.0)
    assert direct[["cac", "roas"]].isna().all()


def test_first_last_and_linear_attribution(sample_dashboard):
    revenue = sample_dashboard.attribution.pivot(index="channel", columns="model", values="revenue")
    # C1's touches: Email (acquisition), Paid Search (S2), Email (S3).
    assert revenue.loc["Email"].to_dict() == pytest.approx(
        {"first_touch": 600, "last_touch": 600, "linear": 400}
    )
    assert revenue.loc["Paid Search"].to_dict() == pytest.approx(
        {"first_touch": 150, "last_touch": 150, "linear": 350}
    )
    assert revenue.sum().tolist() == pytest.approx(
        [780.0] * 3
    )  # every model shares out all revenue


def test_overview_answer_names_the_most_profitable_channel(sample_dashboard):
    assert sample_dashboard.answers["channels"] == (
        "Most profitable channel: Email — profit $281 on $10 spend (ROAS 60.0, first-touch)"
    )


def test_configured_attribution_model_drives_the_answer():
    import metrics_sample as m

    from eclp.metrics import compute_dashboard

    dash = compute_dashboard(
        m.inputs(), as_of=m.AS_OF, settings=m.settings(attribution="linear", gross_margin=0.9)
    )
    # linear at 90% margin: Paid Search 350×0.9 − 7 − 100 = 208 vs Email 400×0.9 − 6 − 10 = 344.
    assert dash.answers["channels"].startswith("Most profitable channel: Email — profit $344")
