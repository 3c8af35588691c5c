"""A shop in one country with a store in another: national phone numbers of the other country
parse when `phone_countries` lists it, and the shop's own numbers keep their country."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.config import parse_config
from eclp.errors import ConfigError
from eclp.ingest import ingest_files
from eclp.normalize.phone import to_e164
from eclp.store import Store

# A US shop's loyalty list: Denver and Chicago numbers, and a Manchester store's (0161 …).
LOYALTY = """Card No,Name,Mobile,Home Store
L1,Ann Lee,303 677 1344,Denver
L2,Bob Ray,0161 470 4252,Manchester
L3,Cat Fox,(312) 899-1878,Chicago
L4,Dan Roe,0208007539,London
"""
SOURCE = """
shop: {country: US%s}
sources:
  loyalty:
    match: "loyalty*.csv"
    kind: people
    columns: {Card No: source_record_id, Name: full_name, Mobile: phone, Home Store: city}
%s
"""


def _phones(workspace, shop: str = "", options: str = "") -> dict:
    path = workspace.root / "loyalty.csv"
    path.write_text(LOYALTY)
    config = parse_config(SOURCE % (shop, options))
    [report] = ingest_files(workspace, [path], config=config)
    assert report.error is None, report.error
    with Store.open(workspace.store_path, read_only=True) as store:
        people = store.frame("person_records")
    return dict(zip(people["source_record_id"], people["phone"], strict=True))


def test_without_phone_countries_the_other_countrys_numbers_are_blanked(workspace):
    phones = _phones(workspace)
    assert phones["L1"] == "+13036771344" and phones["L3"] == "+13128991878"
    assert phones["L2"] is None


@pytest.mark.parametrize(
    ("shop", "options"),
    [(", phone_countries: [GB]", ""), ("", "    options: {phone_countries: GB}")],
)
def test_phone_countries_parse_them_and_keep_the_shops_own(workspace, shop, options):
    phones = _phones(workspace, shop, options)
    assert phones["L2"] == "+441614704252"
    # Valid in the US as well as (030…) in GB: the row's own country comes first.
    assert phones["L1"] == "+13036771344" and phones["L3"] == "+13128991878"
    assert phones["L4"] is None  # valid nowhere: still no phone


def test_only_a_number_valid_in_a_fallback_country_is_taken():
    numbers = pd.Series(["01614704252", "0161 470", "+44 20 7183 8750", None])
    out = to_e164(numbers, "US", fallback=("GB", "IE"))
    assert out.tolist() == ["+441614704252", None, "+442071838750", None]


def test_an_unknown_phone_country_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match=r"shop\.phone_countries.*'Narnia'"):
        parse_config("shop:\n  phone_countries: [GB, Narnia]\n")
    assert parse_config("shop:\n  phone_countries: 'gb, Ireland'\n").phone_countries == (
        "GB",
        "IE",
    )
