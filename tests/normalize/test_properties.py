"""Properties every normaliser keeps: idempotent, never raises, round-trips what it formats."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eclp.normalize.address import clean_postcode, clean_region, country_code
from eclp.normalize.channel import normalize_channel
from eclp.normalize.dates import parse_dates, parse_timestamps
from eclp.normalize.email import clean_email, clean_email_value
from eclp.normalize.flags import parse_flag
from eclp.normalize.money import parse_money, parse_number, parse_percent
from eclp.normalize.names import clean_name, split_full_name
from eclp.normalize.phone import to_e164
from eclp.normalize.text import clean_text, clean_text_value

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text like exports hold: letters, digits, punctuation, odd spaces, apostrophes, accents.
export_text = st.text(
    alphabet=st.sampled_from(list("aZé 0123456789.,-+'()@/:$€%_\u00a0\u0301\tÉxX"))
    | st.characters(),
    max_size=30,
)
values = st.lists(st.one_of(st.none(), export_text), min_size=1, max_size=12)

IDEMPOTENT = {
    "clean_text": clean_text,
    "clean_email": clean_email,
    "to_e164": lambda s: to_e164(s, "GB"),
    "clean_name": clean_name,
    "country_code": country_code,
    "clean_postcode": lambda s: clean_postcode(s, "GB"),
    "clean_region": clean_region,
    "normalize_channel": normalize_channel,
}


@FAST
@given(values)
def test_text_normalisers_are_idempotent_and_never_raise(raw):
    s = pd.Series(raw, dtype=object)
    for name, fn in IDEMPOTENT.items():
        once = fn(s)
        assert once.tolist() == fn(once).tolist(), name
        assert len(once) == len(s)


@FAST
@given(values)
def test_typed_parsers_never_raise(raw):
    s = pd.Series(raw, dtype=object)
    for fn in (parse_money, parse_number, parse_percent, parse_flag, parse_timestamps, parse_dates):
        assert len(fn(s)) == len(s)
    first, last = split_full_name(s)
    assert len(first) == len(last) == len(s)


@FAST
@given(values)
def test_vectorised_clean_text_matches_the_scalar(raw):
    s = pd.Series(raw, dtype=object)
    assert clean_text(s).tolist() == [clean_text_value(v) for v in raw]


email_like = st.lists(
    st.one_of(
        st.none(),
        export_text,
        st.emails().map(lambda e: f"  {e.upper()} "),
        st.emails().map(lambda e: f"Name <{e}>"),
        st.emails().map(lambda e: f"mailto:{e}?subject=hi"),
    ),
    min_size=1,
    max_size=12,
)


@FAST
@given(email_like)
def test_vectorised_clean_email_matches_the_scalar(raw):
    s = pd.Series(raw, dtype=object)
    assert clean_email(s).tolist() == [clean_email_value(v) for v in raw]


money = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


@FAST
@given(st.lists(money, min_size=1, max_size=8))
def test_money_round_trips_formatted_amounts(amounts):
    floats = [float(a) for a in amounts]
    english = pd.Series([f"${x:,.2f}" if x >= 0 else f"(${-x:,.2f})" for x in floats])
    german = pd.Series(
        [f"{x:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".") for x in floats]
    )
    assert parse_money(english).tolist() == floats
    assert parse_money(german, decimal=",").tolist() == floats


@FAST
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=8))
def test_number_parser_reads_python_reprs(numbers):
    assert parse_number(pd.Series([repr(x) for x in numbers])).tolist() == numbers


moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


@FAST
@given(moments, st.sampled_from(["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%m/%d/%Y %H:%M:%S"]))
def test_timestamps_round_trip(moment, fmt):
    text = moment.strftime(fmt)
    assert parse_timestamps(pd.Series([text, "12/31/2000 00:00:00"])).iloc[0] == pd.Timestamp(
        moment
    )


@FAST
@given(moments, st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15))
def test_offsets_convert_to_utc(moment, minutes):
    sign = "-" if minutes < 0 else "+"
    text = f"{moment:%Y-%m-%d %H:%M:%S} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    expected = pd.Timestamp(moment) - pd.Timedelta(minutes=minutes)
    assert parse_timestamps(pd.Series([text])).iloc[0] == expected
