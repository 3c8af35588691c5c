"""Text, email and phone normalisers on values real exports contain."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.normalize.email import clean_email
from eclp.normalize.phone import to_e164
from eclp.normalize.text import clean_text, clean_text_value


def _one(fn, value, *args):
    return fn(pd.Series([value], dtype=object), *args).iloc[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("'0123", "0123"),  # Shopify zip forced to text
        ("'+8801912010701", "+8801912010701"),
        ("  Jane   Doe ", "Jane Doe"),
        ("Cafe\u0301", "Café"),  # NFD -> NFC
        ("a\u00a0b", "a b"),  # non-breaking space from a web UI
        ("\ufeffEmail", "Email"),  # BOM glued to a value
        ("", None),
        ("-", None),
        ("--", None),  # Google Ads "no data"
        ("n/a", None),
        ("N/A", None),
        ("#N/A", None),
        ("null", None),
        ("None", None),
        ("NaN", None),
        ("(not set)", None),  # GA4
        (None, None),
        (8779761975521.0, "8779761975521"),  # an id Excel stored as float
    ],
)
def test_clean_text(raw, expected):
    assert _one(clean_text, raw) == expected
    assert clean_text_value(raw) == expected


def test_clean_text_keeps_the_index():
    s = pd.Series([" a ", None], index=[10, 20], dtype=object)
    assert clean_text(s).to_dict() == {10: "a", 20: None}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:ops@shop.example", "ops@shop.example"),
        ("Jane Doe <jane@x.com>", "jane@x.com"),
        ('"jane@x.co.uk"', "jane@x.co.uk"),
        ("jo@münchen.de", "jo@münchen.de"),
        ("first+tag@gmail.com", "first+tag@gmail.com"),
        ("jane@@x.com", None),
        ("jane doe@x.com", None),
        ("jane@localhost", None),
        ("jane..doe@x.com", None),
        ("not an email", None),
        # A cell listing several addresses keeps the first (CRM and helpdesk exports).
        ("Jane@X.com; jane.doe@work.org", "jane@x.com"),
        ("jane@x.com,", "jane@x.com"),
        ("jane@x.com jane@y.org", "jane@x.com"),
        ("a;b@x.com", None),
        ("--", None),
    ],
)
def test_clean_email(raw, expected):
    assert _one(clean_email, raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("'+442071838750", None, "+442071838750"),  # Shopify apostrophe
        ("00 44 20 7183 8750", "US", "+442071838750"),
        ("020 7183 8750", "GB", "+442071838750"),
        ("7911 123456", "GB", "+447911123456"),  # lost its leading 0
        ("447911123456", "US", "+447911123456"),  # lost its +
        ("(555) 123-4567", "US", "+15551234567"),  # fictional but well-formed
        ("+1 555.123.4567 ext. 12", None, "+15551234567"),
        ("+1 (212) 555-0123", "GB", "+12125550123"),
        ("4.47911123456e+11", "GB", "+447911123456"),  # Excel float
        ("030 1234567", "DE", "+49301234567"),
        ("+49 30 1234567", None, "+49301234567"),
        ("01912010701", "BD", "+8801912010701"),
        ("'+8801912010701", "GB", "+8801912010701"),
        ("+39 06 1234 5678", None, "+390612345678"),  # Italian leading zero kept
        ("+44 (0) 20 7183 8750", None, "+442071838750"),  # the "(0)" UK habit
        ("12345", "DE", None),
        # Several numbers in one cell: the first; a trailing label is no part of it.
        ("07911 123456; 0161 496 0000", "GB", "+447911123456"),
        ("0161 496 0000 / 0161 496 0001", "GB", "+441614960000"),
        ("+44 7911 123456 or +44 161 496 0000", None, "+447911123456"),
        ("+1 303 677 1344 (mobile)", "GB", "+13036771344"),
        ("030/1234567", "DE", "+49301234567"),  # a German area code's slash: one number
        # A UK national number in a US shop: no US number starts with 0, so it is no phone.
        ("0208007539", "US", None),
        ("01614704252", "US", None),
        ("0000000000", "US", None),
        ("1234567890", "US", None),
        ("call me", "GB", None),
        ("", "GB", None),
    ],
)
def test_to_e164(raw, region, expected):
    assert _one(to_e164, raw, region) == expected


def test_to_e164_takes_the_region_per_row():
    numbers = pd.Series(["020 7183 8750", "030 1234567", "020 7183 8750", None])
    regions = pd.Series(["GB", "DE", None, "GB"])
    assert to_e164(numbers, regions).tolist() == ["+442071838750", "+49301234567", None, None]


def test_fast_paths_agree_with_phonenumbers_for_every_region():
    """Oracle: each region's example numbers, written nationally and internationally, give
    exactly what phonenumbers.parse + E.164 formatting gives."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    from eclp.normalize.phone import to_e164_value

    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            expected = phonenumbers.format_number(example, PhoneNumberFormat.E164)
            national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
            international = phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)
            oracle = phonenumbers.format_number(
                phonenumbers.parse(national, region), PhoneNumberFormat.E164
            )
            assert to_e164_value(national, region) == oracle, (region, national)
            assert to_e164_value(international, None) == expected, (region, international)
            checked += 1
    assert checked > 400
