"""Pure, vectorised normalisers: text, email, phone, names, addresses, dates, money, flags, channels."""

from __future__ import annotations

from eclp.normalize.address import clean_postcode, clean_region, country_code
from eclp.normalize.channel import normalize_channel
from eclp.normalize.dates import parse_dates, parse_timestamps
from eclp.normalize.email import clean_email
from eclp.normalize.flags import parse_flag
from eclp.normalize.money import parse_money, parse_number, parse_percent
from eclp.normalize.names import clean_name, join_name, split_full_name
from eclp.normalize.phone import to_e164
from eclp.normalize.text import clean_text

__all__ = [
    "clean_email",
    "clean_name",
    "clean_postcode",
    "clean_region",
    "clean_text",
    "country_code",
    "join_name",
    "normalize_channel",
    "parse_dates",
    "parse_flag",
    "parse_money",
    "parse_number",
    "parse_percent",
    "parse_timestamps",
    "split_full_name",
    "to_e164",
]
