"""Names and addresses: casing, splitting, joining, countries, postcodes, regions."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.normalize.address import clean_postcode, clean_region, country_code
from eclp.normalize.names import clean_name, join_name, split_full_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JOHN MCDONALD", "John McDonald"),
        ("o'brien", "O'Brien"),
        ("VAN DER BERG", "van der Berg"),
        ("jan van der berg", "Jan van der Berg"),
        ("ANNE-MARIE", "Anne-Marie"),
        ("ÉLODIE DURAND", "Élodie Durand"),
        ("McDonald", "McDonald"),  # mixed case is the person's own spelling: kept
        ("DeShawn", "DeShawn"),
        ("李小龙", "李小龙"),
        ("  jane   doe ", "Jane Doe"),
        ("", None),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(pd.Series([raw], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        ("Jane Doe", "Jane", "Doe"),
        ("Doe, Jane", "Jane", "Doe"),
        ("Dr. Jane Doe", "Jane", "Doe"),
        ("Mrs Jane Doe-Smith", "Jane", "Doe-Smith"),
        ("John Smith Jr.", "John", "Smith"),
        ("John Smith III", "John", "Smith"),
        ("Smith, Jr.", "Smith", None),
        ("Madonna", "Madonna", None),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Maria da Silva Santos", "Maria", "da Silva Santos"),
        ("Mr. van der Berg", None, "van der Berg"),
        ("JOHN MCDONALD", "John", "McDonald"),
        # A middle initial belongs to the given name, not the surname.
        ("John A. Smith Jr.", "John A.", "Smith"),
        ("Mary J K Blige", "Mary J K", "Blige"),
        ("Anna B. van der Berg", "Anna B.", "van der Berg"),
        ("J. Smith", "J.", "Smith"),
        (None, None, None),
    ],
)
def test_split_full_name(raw, first, last):
    firsts, lasts = split_full_name(pd.Series([raw], dtype=object))
    assert (firsts.iloc[0], lasts.iloc[0]) == (first, last)


def test_join_name():
    first = pd.Series(["jane", None, None, "Li"], dtype=object)
    last = pd.Series(["DOE", "Smith", None, None], dtype=object)
    assert join_name(first, last).tolist() == ["Jane Doe", "Smith", None, "Li"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GB", "GB"),
        ("gb", "GB"),
        ("GBR", "GB"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Deutschland", "DE"),
        ("DEU", "DE"),
        ("España", "ES"),
        ("Netherlands", "NL"),
        ("Bangladesh", "BD"),
        ("Vietnam", "VN"),
        ("Czech Republic", "CZ"),
        ("South Korea", "KR"),
        ("Côte d'Ivoire", "CI"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_country_code(raw, expected):
    assert country_code(pd.Series([raw], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("EC1A  1BB", "United Kingdom", "EC1A 1BB"),
        ("k1a0b6", "CA", "K1A 0B6"),
        ("'02139", "US", "02139"),
        ("2139", "US", "02139"),  # Excel dropped the leading zero
        ("02139-1234", "US", "02139"),  # ZIP+4 -> ZIP
        ("2139.0", "US", "02139"),
        ("1234ab", "NL", "1234 AB"),
        ("10115", "DE", "10115"),
        ("d02 x285", None, "D02 X285"),
        ("", "GB", None),
    ],
)
def test_clean_postcode(raw, country, expected):
    assert clean_postcode(pd.Series([raw], dtype=object), country).iloc[0] == expected


def test_clean_postcode_per_row_country():
    codes = pd.Series(["sw1a1aa", "2139", "1234ab"])
    countries = pd.Series(["GB", "US", "NL"])
    assert clean_postcode(codes, countries).tolist() == ["SW1A 1AA", "02139", "1234 AB"]


def test_clean_region():
    raw = pd.Series(["ca", " NSW ", "NEW YORK", "Île-de-France", None], dtype=object)
    assert clean_region(raw).tolist() == ["CA", "NSW", "New York", "Île-de-France", None]


def test_a_short_region_name_that_upper_cases_longer_is_no_code():
    # "ß" upper-cases to "SS": taking "aaß" for a code gave "AASS", then "Aass" (hypothesis).
    once = clean_region(pd.Series(["aaß", "bw"], dtype=object))
    assert once.tolist() == ["Aaß", "BW"]
    assert clean_region(once).tolist() == once.tolist()
