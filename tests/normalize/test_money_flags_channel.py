"""Money/number parsing, flags and channel vocabulary."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from eclp.canonical import CHANNELS
from eclp.normalize.channel import normalize_channel
from eclp.normalize.flags import parse_flag
from eclp.normalize.money import parse_money, parse_number, parse_percent


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$3,200.00", 3200.0),  # Google Ads
        ("1,240", 1240.0),
        ("--", float("nan")),
        ("(12.50)", -12.5),
        ("12.50-", -12.5),
        ("-$5.00", -5.0),
        ("$-5.00", -5.0),
        ("USD 12.50", 12.5),
        ("12.50 EUR", 12.5),
        ("£1,250.00", 1250.0),
        ("1'234.50", 1234.5),  # Swiss
        ("12", 12.0),
        ("0", 0.0),
        ("abc", float("nan")),
        ("12 units", float("nan")),
        ("12..5", float("nan")),
        ("((1)", float("nan")),
        (None, float("nan")),
    ],
)
def test_parse_money_point_decimal(raw, expected):
    assert _same(parse_money(pd.Series([raw], dtype=object)).iloc[0], expected)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (["1.234,56", "12,00"], [1234.56, 12.0]),  # PayPal, German locale
        (["1 234,56 €", "99,95 €"], [1234.56, 99.95]),
        (["12,50", "3"], [12.5, 3.0]),  # a lone comma with two digits is decimal
        (["1,250", "12"], [1250.0, 12.0]),  # three digits after a lone comma: thousands
        (["0,125"], [0.125]),
        (["0.125"], [0.125]),
        (["1.234.567"], [1234567.0]),
    ],
)
def test_parse_money_infers_the_decimal_per_column(column, expected):
    assert parse_money(pd.Series(column, dtype=object)).tolist() == pytest.approx(expected)


def test_explicit_decimal_wins_over_inference():
    assert parse_number(pd.Series(["1.234"]), decimal=".").iloc[0] == pytest.approx(1.234)
    assert parse_number(pd.Series(["1,5"]), decimal=",").iloc[0] == pytest.approx(1.5)


def test_numeric_columns_pass_through():
    assert parse_number(pd.Series([1, 2])).tolist() == [1.0, 2.0]
    assert parse_number(pd.Series(["7"])).dtype == "float64"


def test_parse_percent():
    assert parse_percent(pd.Series(["3.66%", "50 %", "--"])).tolist()[:2] == pytest.approx(
        [0.0366, 0.5]
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True), ("No", False), ("TRUE", True), ("false", False), ("y", True), ("n", False),
        ("1", True), ("0", False), ("1.0", True), ("subscribed", True), ("SUBSCRIBED", True),
        ("unsubscribed", False), ("cleaned", False), ("never_subscribed", False),
        ("NEVER_SUBSCRIBED", False), ("pending", False), ("opted in", True), ("Opted Out", False),
        ("maybe", None), (None, None),
    ],
)  # fmt: skip
def test_parse_flag(raw, expected):
    result = parse_flag(pd.Series([raw], dtype=object))
    assert result.dtype == "boolean"
    value = result.iloc[0]
    assert (value is pd.NA) if expected is None else (value == expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # HubSpot Original Source
        ("Organic Search", "Organic Search"), ("Paid Search", "Paid Search"),
        ("Paid Social", "Paid Social"), ("Email Marketing", "Email"), ("Referrals", "Referral"),
        ("Direct Traffic", "Direct"), ("Social Media", "Organic Social"),
        ("Other Campaigns", "Other"), ("Offline Sources", "Offline"),
        # GA4 default channel groups
        ("Direct", "Direct"), ("Referral", "Referral"), ("Email", "Email"),
        ("Organic Social", "Organic Social"), ("Display", "Display"), ("Affiliates", "Affiliate"),
        ("Organic Shopping", "Organic Search"), ("Paid Shopping", "Paid Search"),
        ("Unassigned", "Unknown"), ("Cross-network", "Paid Search"),
        # utm source / medium
        ("google / cpc", "Paid Search"), ("facebook / paid", "Paid Social"),
        ("google / organic", "Organic Search"), ("(direct) / (none)", "Direct"),
        ("klaviyo / email", "Email"), ("newsletter", "Email"),
        # Shopify order Source
        ("web", "Unknown"), ("pos", "Offline"), ("shopify_draft_order", "Offline"),
        ("android", "Offline"), ("iphone", "Offline"), ("580111", "Marketplace"),
        # platforms
        ("Google Ads", "Paid Search"), ("Meta", "Paid Social"), ("Facebook Ads", "Paid Social"),
        ("something new", "Other"), ("", None), (None, None),
    ],
)  # fmt: skip
def test_normalize_channel(raw, expected):
    assert normalize_channel(pd.Series([raw], dtype=object)).iloc[0] == expected


def test_channel_aliases_win_case_insensitively():
    s = pd.Series(["Spring Sale", "google / cpc", "WEB"])
    aliases = {"spring sale": "Email", "Web": "Direct"}
    assert normalize_channel(s, aliases).tolist() == ["Email", "Paid Search", "Direct"]


def test_every_output_is_a_canonical_channel():
    labels = pd.Series(["tiktok / paid", "bing", "instagram", "partner / affiliate", "x", "SMS"])
    assert set(normalize_channel(labels)) <= set(CHANNELS)
