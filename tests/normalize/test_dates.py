"""Timestamps (UTC-naive) and dates (midnight) from the formats exports use."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.errors import ConfigError
from eclp.normalize.dates import parse_dates, parse_timestamps

NaT = pd.NaT


def _ts(values, **kwargs):
    return parse_timestamps(pd.Series(values, dtype=object), **kwargs).tolist()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-10-02 17:09:34 -0300", "2025-10-02 20:09:34"),  # Shopify: offset honoured
        ("2025-10-02T17:09:34Z", "2025-10-02 17:09:34"),
        ("2025-10-02T17:09:34+02:00", "2025-10-02 15:09:34"),
        ("2025-10-02T17:09:34.250Z", "2025-10-02 17:09:34.250"),
        ("2025-10-02 17:09:34 UTC", "2025-10-02 17:09:34"),
        ("2015-03-16 14:40:47", "2015-03-16 14:40:47"),  # Mailchimp, no zone
        ("2025-10-02", "2025-10-02"),
        ("20260501", "2026-05-01"),  # GA4
        ("September 29, 2025", "2025-09-29"),  # Google Ads title line
        ("1 Sep 2025", "2025-09-01"),
        ("2024/01/31", "2024-01-31"),
        ("45567", "2024-10-02"),  # Excel serial
    ],
)
def test_single_value_formats(raw, expected):
    assert _ts([raw]) == [pd.Timestamp(expected)]


@pytest.mark.parametrize("raw", ["31/31/2024", "abc", "2024-02-30", "3:04", "12", "", None])
def test_unparseable_is_nat(raw):
    assert _ts([raw]) == [NaT]


def test_magento_short_dates_are_month_first_without_a_hint():
    assert _ts(["09/01/24 12:49", "12/25/24 08:00"]) == [
        pd.Timestamp("2024-09-01 12:49"),
        pd.Timestamp("2024-12-25 08:00"),
    ]


def test_a_first_field_over_12_makes_the_column_day_first():
    assert _ts(["05/06/2024", "13/06/2024"]) == [
        pd.Timestamp("2024-06-05"),
        pd.Timestamp("2024-06-13"),
    ]


def test_a_second_field_over_12_makes_the_column_month_first():
    assert _ts(["05/06/2024", "05/13/2024"]) == [
        pd.Timestamp("2024-05-06"),
        pd.Timestamp("2024-05-13"),
    ]


def test_ambiguous_column_follows_the_country_hint():
    assert _ts(["05/06/2024"], country="GB") == [pd.Timestamp("2024-06-05")]
    assert _ts(["05/06/2024"], country="US") == [pd.Timestamp("2024-05-06")]


def test_explicit_dayfirst_and_format():
    assert _ts(["05/06/2024"], dayfirst=True) == [pd.Timestamp("2024-06-05")]
    assert _ts(["05.06.2024 10:30"], date_format="%d.%m.%Y %H:%M") == [
        pd.Timestamp("2024-06-05 10:30")
    ]


def test_twelve_hour_clock():
    assert _ts(["12/25/2024 10:00 PM", "12/25/2024 12:15 AM"]) == [
        pd.Timestamp("2024-12-25 22:00"),
        pd.Timestamp("2024-12-25 00:15"),
    ]


def test_excel_serials_only_in_numeric_columns():
    assert _ts(["45567.5", "45568"]) == [
        pd.Timestamp("2024-10-02 12:00"),
        pd.Timestamp("2024-10-03"),
    ]
    assert _ts(["45567", "n/a"]) == [pd.Timestamp("2024-10-02"), NaT]  # null tokens do not count
    assert _ts(["45567", "soon"]) == [NaT, NaT]
    assert _ts(["123"]) == [NaT]  # outside the plausible serial range


def test_epoch_seconds_and_milliseconds():
    assert _ts(["1700000000", "1700000000000"]) == [pd.Timestamp("2023-11-14 22:13:20")] * 2


def test_naive_times_are_read_in_the_configured_zone():
    got = _ts(["2025-07-01 12:00:00", "2025-07-01 12:00:00 +0000"], timezone="Europe/London")
    assert got == [pd.Timestamp("2025-07-01 11:00"), pd.Timestamp("2025-07-01 12:00")]


def test_unknown_zone_is_a_config_error():
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        _ts(["2025-07-01 12:00:00"], timezone="Mars/Olympus")


def test_result_dtype_and_index():
    s = pd.Series(["2025-10-02", None], index=["a", "b"], dtype=object)
    result = parse_timestamps(s)
    assert str(result.dtype) == "datetime64[ns]"
    assert list(result.index) == ["a", "b"]


def test_parse_dates_keeps_the_written_calendar_day():
    s = pd.Series(["2025-10-02 23:09:34 -0300", "1990-05-01", "01/02/1965", None], dtype=object)
    assert parse_dates(s).tolist() == [
        pd.Timestamp("2025-10-02"),
        pd.Timestamp("1990-05-01"),
        pd.Timestamp("1965-01-02"),
        NaT,
    ]


def test_already_typed_datetimes_pass_through():
    s = pd.Series(pd.to_datetime(["2025-10-02 17:09:34"]).tz_localize("America/Sao_Paulo"))
    assert parse_timestamps(s).tolist() == [pd.Timestamp("2025-10-02 20:09:34")]
