"""Named special behaviours: each changes or drops exactly the rows it should, and says why."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclp.sources.behaviours import BEHAVIOURS, FileContext, apply_behaviours
from eclp.sources.profiles import load_builtin_profiles

PROFILES = load_builtin_profiles()


def frame(**columns: list) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    return pd.DataFrame({**columns, "_row": list(range(2, rows + 2))}, dtype="object").astype(
        {"_row": "int64"}
    )


def apply(profile: str, data: pd.DataFrame, file_name: str = "export.csv", preamble=(), footer=()):
    return apply_behaviours(
        data, PROFILES[profile], FileContext(file_name, tuple(preamble), tuple(footer))
    )


def test_every_behaviour_a_profile_names_exists() -> None:
    used = {b for p in PROFILES.values() for b in p.behaviours}
    assert used <= set(BEHAVIOURS)
    assert used == set(BEHAVIOURS)  # and none is dead code


@pytest.mark.parametrize(
    ("file_name", "status", "consent"),
    [
        ("subscribed_members_export_2a1b3c4d5e.csv", "subscribed", "yes"),
        (
            "members_export_2a1b3c4d5e.zip/unsubscribed_members_export_2a1b3c4d5e.csv",
            "unsubscribed",
            "no",
        ),
        ("export.zip/cleaned_members_export_2a1b3c4d5e.csv", "cleaned", "no"),
        ("nonsubscribed_members_export_2a1b3c4d5e.csv", "nonsubscribed", "no"),
    ],
)
def test_mailchimp_status_and_consent_follow_the_file(
    file_name: str, status: str, consent: str
) -> None:
    out, rejects = apply("mailchimp", frame(email=["a@x.com", "b@x.com"]), file_name)
    assert out["email_status"].tolist() == [status, status]
    assert out["email_consent"].tolist() == [consent, consent]
    assert rejects.empty


def test_mailchimp_file_with_unknown_name_gets_no_status() -> None:
    out, _ = apply("mailchimp", frame(email=["a@x.com"]), "audience.csv")
    assert "email_status" not in out and "email_consent" not in out


def test_google_ads_total_rows_are_dropped_and_reported() -> None:
    data = frame(
        campaign=["Brand", "Total Brand Search", "Total: Campaigns", "Total: Account"],
        spend=["$10.00", "$5.00", "$15.00", "$15.00"],
    )
    out, rejects = apply("google_ads", data)
    assert out["campaign"].tolist() == ["Brand", "Total Brand Search"]
    assert rejects.to_dict("records") == [
        {"_row": 4, "column": "campaign", "value": "Total: Campaigns", "reason": "total row"},
        {"_row": 5, "column": "campaign", "value": "Total: Account", "reason": "total row"},
    ]


def test_total_row_in_the_day_column_is_found_too() -> None:
    data = frame(date=["2025-09-28", "Total: Account"], campaign=["Brand", None], spend=["1", "1"])
    out, rejects = apply("google_ads", data)
    assert out["date"].tolist() == ["2025-09-28"]
    assert rejects["column"].tolist() == ["date"]


def test_google_ads_date_comes_from_the_title_when_there_is_no_day() -> None:
    data = frame(campaign=["Brand", "Generic"], spend=["1", "2"])
    out, _ = apply(
        "google_ads",
        data,
        preamble=["Campaign performance", '"September 29, 2025 - September 30, 2025"'],
    )
    assert out["date"].tolist() == ["2025-09-29", "2025-09-29"]


def test_google_ads_day_column_wins_over_the_title() -> None:
    data = frame(date=["2025-09-28", ""], campaign=["Brand", "Brand"], spend=["1", "2"])
    out, _ = apply(
        "google_ads", data, preamble=["Campaign performance", "Sep 28, 2025 - Sep 29, 2025"]
    )
    assert out["date"].tolist() == ["2025-09-28", "2025-09-28"]


def test_meta_account_total_row_is_dropped_only_when_first() -> None:
    data = frame(campaign=[None, "Prospecting", ""], spend=["30", "20", "10"])
    out, rejects = apply("meta_ads", data)
    assert out["spend"].tolist() == ["20", "10"]
    assert rejects.to_dict("records") == [
        {"_row": 2, "column": "campaign", "value": "", "reason": "account total row"}
    ]


def test_ga4_period_from_comment_block_and_grand_total_dropped() -> None:
    data = frame(channel=["Direct", "Grand total"], views=["10", "10"])
    preamble = ["# Traffic acquisition", "#", "# Start date: 20260501", "# End date: 20260531"]
    out, rejects = apply("ga4_channels", data, preamble=preamble)
    assert out[["channel", "period_start", "period_end"]].values.tolist() == [
        ["Direct", "2026-05-01", "2026-05-31"]
    ]
    assert rejects["reason"].tolist() == ["total row"]


def test_salesforce_report_footer_lines_are_dropped() -> None:
    data = frame(
        first_name=["Karen", "David", None, "Grand Totals (2 records)", "Confidential Information - Do Not Distribute",
                    "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
        email=["k@x.com", "d@x.com", None, None, None, None],
    )  # fmt: skip
    out, rejects = apply("salesforce_contacts", data)
    assert out["first_name"].tolist() == ["Karen", "David"]
    assert sorted(rejects["_row"].tolist()) == [4, 5, 6, 7]
    assert set(rejects["reason"]) == {"report footer line", "blank line in report footer"}


def test_salesforce_opt_out_is_inverted_into_consent() -> None:
    out, _ = apply("salesforce_contacts", frame(email_consent=["true", None, "false", "1", "0"]))
    assert out["email_consent"].tolist() == ["no", None, "yes", "no", "yes"]


def test_klaviyo_consent_words_become_flags_and_status() -> None:
    data = frame(email_consent=["SUBSCRIBED", "UNSUBSCRIBED", "NEVER_SUBSCRIBED", None])
    out, _ = apply("klaviyo_profiles", data)
    assert out["email_consent"].tolist() == ["yes", "no", "no", None]
    assert out["email_status"].tolist() == ["subscribed", "unsubscribed", "never subscribed", None]


def test_square_subscription_words_become_flags() -> None:
    out, _ = apply("square_customers", frame(email_consent=["subscribed", "Not subscribed", ""]))
    assert out["email_consent"].tolist() == ["yes", "no", ""]


@pytest.mark.parametrize(
    ("profile", "labels", "scores"),
    [
        (
            "zendesk_tickets",
            ["Good", "Bad", "Offered", "Unoffered", None],
            ["1.0", "0.0", None, None, None],
        ),
        (
            "freshdesk_tickets",
            ["Extremely Happy", "Neutral", "Very  Unhappy", "7"],
            ["1.0", "0.5", "0.17", "7"],
        ),
    ],
)
def test_satisfaction_labels_become_scores(profile: str, labels: list, scores: list) -> None:
    out, _ = apply(profile, frame(score=labels))
    assert out["score"].tolist() == scores


def test_shopify_cancelled_orders_get_cancelled_status_and_helper_is_removed() -> None:
    data = frame(
        status=["paid", "voided", None], _cancelled_at=["", "2025-10-06 12:00:00 -0300", None]
    )
    out, _ = apply("shopify_orders", data)
    assert out["status"].tolist() == ["paid", "cancelled", None]
    assert "_cancelled_at" not in out


def test_paypal_us_rows_become_utc_offset_timestamps_and_only_credits_stay() -> None:
    data = frame(
        order_date=["10/01/2025", "10/03/2025", "10/13/2025"],
        _time=["09:15:02", "14:00:00", "08:30:00"],
        _timezone=["PDT", "PDT", "PST"],
        _balance_impact=["Credit", "Debit", "Credit"],
        total=["1,250.00", "-1,000.00", "60.00"],
    )
    out, rejects = apply("paypal_activity", data)
    assert out["order_date"].tolist() == ["2025-10-01 09:15:02 -0700", "2025-10-13 08:30:00 -0800"]
    assert list(out.columns) == ["order_date", "total", "_row"]
    assert rejects.to_dict("records") == [
        {"_row": 3, "column": "_balance_impact", "value": "Debit",
         "reason": "not an incoming payment (Balance Impact not Credit)"}
    ]  # fmt: skip


def test_paypal_european_dates_are_read_day_first() -> None:
    data = frame(order_date=["05/09/2025", "06/09/2025"], _time=["10:15:00", "18:40:12"],
                 _timezone=["CEST", "CEST"], total=["1.234,56", "55,45"])  # fmt: skip
    out, _ = apply("paypal_activity", data)
    assert out["order_date"].tolist() == ["2025-09-05 10:15:00 +0200", "2025-09-06 18:40:12 +0200"]


def test_paypal_without_balance_impact_drops_negative_gross() -> None:
    data = frame(order_date=["10/01/2025", "10/02/2025"], total=["12.00", "-3.00"])
    out, rejects = apply("paypal_activity", data)
    assert out["total"].tolist() == ["12.00"]
    assert rejects["reason"].tolist() == ["not an incoming payment (negative gross)"]


@settings(max_examples=50, deadline=None)
@given(
    campaigns=st.lists(
        st.one_of(st.sampled_from(["Total: Account", "Total: Search", "", "Grand total"]),
                  st.text(alphabet="abcdefgh -", min_size=1, max_size=12)),
        min_size=0, max_size=20,
    ),
    profile=st.sampled_from(["google_ads", "meta_ads", "ga4_channels", "salesforce_contacts"]),
)  # fmt: skip
def test_every_row_is_kept_or_rejected_never_lost(campaigns: list[str], profile: str) -> None:
    """read = accepted + rejected, and no row is both."""
    data = (
        frame(campaign=campaigns, channel=campaigns, first_name=campaigns)
        if campaigns
        else frame(campaign=[])
    )
    out, rejects = apply(profile, data)
    assert len(out) + len(rejects) == len(data)
    assert set(out["_row"]).isdisjoint(set(rejects["_row"]))
    assert set(out["_row"]) | set(rejects["_row"]) == set(data["_row"])
