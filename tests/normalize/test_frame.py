"""normalize_frame: typed canonical columns, rejections with reasons, warnings for blanked values."""

from __future__ import annotations

import pandas as pd
import pytest

from eclp.errors import ConfigError
from eclp.normalize.frame import ISSUE_COLUMNS, NormalizeOptions, normalize_frame


def _frame(rows: list[dict], start: int = 2) -> pd.DataFrame:
    """Rows as the reader gives them: strings or None, indexed by file row number."""
    df = pd.DataFrame(rows, dtype=object)
    df.index = range(start, start + len(df))
    return df.astype(object).where(df.notna(), None)


def _reasons(table: pd.DataFrame) -> dict:
    return dict(zip(table["index"], table["reason"], strict=True))


SHOPIFY_ORDERS = [
    {"order_id": "#1001", "email": "Jane@Example.com", "order_date": "2025-10-02 17:09:34 -0300",
     "currency": "usd", "total": "1,250.00", "full_name": "JANE DOE", "phone": "'+442071838750",
     "country": "United Kingdom", "postcode": "sw1a1aa", "channel": "web",
     "email_consent": "yes", "Note": "gift"},
    {"order_id": "#1001", "email": None, "order_date": None, "currency": None, "total": None,
     "full_name": None, "phone": None, "country": None, "postcode": None, "channel": None,
     "email_consent": None, "Note": None},
    {"order_id": "", "email": "x@y.com", "order_date": "2025-10-03", "currency": "USD",
     "total": "10", "full_name": None, "phone": None, "country": None, "postcode": None,
     "channel": None, "email_consent": None, "Note": None},
    {"order_id": "#1003", "email": "bad email", "order_date": "31/31/2024", "currency": "USD",
     "total": "5", "full_name": None, "phone": None, "country": None, "postcode": None,
     "channel": None, "email_consent": None, "Note": None},
    {"order_id": "#1004", "email": "not-an-email", "order_date": "2025-10-04 09:00:00 +0000",
     "currency": "USD", "total": "abc", "full_name": None, "phone": None, "country": None,
     "postcode": None, "channel": None, "email_consent": None, "Note": None},
    {"order_id": "#1005", "email": "not-an-email", "order_date": "2025-10-05", "currency": "$",
     "total": "(3.00)", "full_name": None, "phone": "12", "country": "Narnia", "postcode": None,
     "channel": "pos", "email_consent": "maybe", "Note": None},
]  # fmt: skip


@pytest.fixture(scope="module")
def orders():
    return normalize_frame("orders", _frame(SHOPIFY_ORDERS), NormalizeOptions(currency="GBP"))


def test_orders_are_typed(orders):
    frame = orders.frame
    assert str(frame["order_date"].dtype) == "datetime64[ns]"
    assert frame["total"].dtype == "float64"
    assert str(frame["email_consent"].dtype) == "boolean"
    first = frame.loc[2]
    assert first["email"] == "jane@example.com"
    assert first["email_raw"] == "Jane@Example.com"
    assert first["order_date"] == pd.Timestamp("2025-10-02 20:09:34")
    assert first["currency"] == "USD"
    assert first["total"] == 1250.0
    assert first["phone"] == "+442071838750"
    assert first["phone_raw"] == "'+442071838750"
    assert first["country"] == "GB"
    assert first["postcode"] == "SW1A 1AA"
    assert first["channel"] == "Unknown"
    assert bool(first["email_consent"]) is True
    assert (first["full_name"], first["first_name"], first["last_name"]) == (
        "Jane Doe",
        "Jane",
        "Doe",
    )


def test_unknown_columns_pass_through_untouched(orders):
    assert orders.frame.loc[2, "Note"] == "gift"


def test_blank_currency_takes_the_default(orders):
    assert orders.frame.loc[3, "currency"] == "GBP"


def test_orders_rejections_name_field_and_value(orders):
    assert _reasons(orders.rejects) == {
        4: "missing order_id",
        5: "unparseable order_date '31/31/2024'",
        6: "unparseable total 'abc'",
    }
    assert list(orders.rejects.columns) == list(ISSUE_COLUMNS)
    assert sorted(orders.frame.index) == [2, 3, 7]


def test_bad_person_fields_are_blanked_with_warnings(orders):
    warned = orders.warnings
    assert set(warned["index"]) == {7}  # rows that were rejected carry no warnings
    by_column = {c: (r, v) for c, r, v in warned[["column", "reason", "value"]].values}
    assert by_column == {  # the raw value beside the reason, not inside it (it may be PII)
        "email": ("invalid email", "not-an-email"),
        "phone": ("invalid phone", "12"),
        "country": ("unknown country", "Narnia"),
        "currency": ("unrecognised currency", "$"),
        "email_consent": ("unrecognised flag", "maybe"),
    }
    row = orders.frame.loc[7]
    assert row["email"] is None and row["email_raw"] == "not-an-email"
    assert row["total"] == -3.0
    assert row["currency"] == "GBP"


def test_accepted_plus_rejected_is_read(orders):
    assert len(orders.frame) + orders.rejects["index"].nunique() == len(SHOPIFY_ORDERS)


def test_phone_region_comes_from_the_row_country_then_the_option():
    df = _frame(
        [
            {"source_record_id": "1", "phone": "030 1234567", "country": "Deutschland"},
            {"source_record_id": "2", "phone": "020 7183 8750", "country": None},
        ]
    )
    result = normalize_frame("people", df, NormalizeOptions(country="GB"))
    assert result.frame["phone"].tolist() == ["+49301234567", "+442071838750"]
    assert result.frame["country"].tolist() == ["DE", None]


def test_people_need_an_identifying_field():
    df = _frame(
        [
            {"email": "a@b.com", "first_name": None, "city": "Leeds", "birth_date": "abc"},
            {"email": None, "first_name": None, "city": "York", "birth_date": None},
            {"email": None, "first_name": "li", "city": None, "birth_date": "1990-05-01"},
        ]
    )
    result = normalize_frame("people", df, NormalizeOptions())
    assert _reasons(result.rejects) == {3: "no identifying field"}
    assert _reasons(result.warnings) == {2: "unparseable birth_date"}
    assert result.warnings["value"].tolist() == ["abc"]
    assert result.frame["birth_date"].tolist() == [pd.NaT, pd.Timestamp("1990-05-01")]
    assert result.frame["full_name"].tolist() == [None, "Li"]


def test_interactions_need_a_parseable_time():
    df = _frame(
        [
            {"source_record_id": "T1", "email": "a@b.com", "occurred_at": "2024-01-01 10:00:00"},
            {"source_record_id": "T2", "email": "a@b.com", "occurred_at": "yesterday"},
            {"source_record_id": "T3", "email": "a@b.com", "occurred_at": None},
        ]
    )
    result = normalize_frame("interactions", df, NormalizeOptions(timezone="Europe/Berlin"))
    assert _reasons(result.rejects) == {3: "unparseable occurred_at 'yesterday'"}
    assert result.frame["occurred_at"].tolist() == [pd.Timestamp("2024-01-01 09:00"), pd.NaT]


def test_spend_rules():
    df = _frame(
        [
            {"date": "2025-09-29", "campaign": "Brand", "spend": "$3,200.00", "clicks": "1,240", "channel": "Google Ads"},
            {"date": "2025-09-29", "campaign": "Generic", "spend": "--", "clicks": "--", "channel": "Google Ads"},
            {"date": "2025-09-29", "campaign": "Oops", "spend": "lots", "clicks": "1", "channel": "Meta"},
            {"date": None, "campaign": None, "spend": "5", "clicks": None, "channel": None},
        ]
    )  # fmt: skip
    result = normalize_frame("spend", df, NormalizeOptions(currency="usd"))
    assert _reasons(result.rejects) == {4: "unparseable spend 'lots'", 5: "no date and no campaign"}
    assert result.frame["spend"].tolist()[0] == 3200.0
    assert result.frame["clicks"].tolist()[0] == 1240.0
    assert result.frame["channel"].tolist() == ["Paid Search", "Paid Search"]
    assert result.frame["currency"].tolist() == ["USD", "USD"]


def test_costs_and_content_rules():
    costs = _frame(
        [
            {"order_id": "#1001", "cost": "4,50", "kind": "shipping"},
            {"order_id": None, "cost": "1", "kind": "packaging"},
            {"order_id": "#1002", "cost": "n/a", "kind": "shipping"},
            {"order_id": "#1003", "cost": "free", "kind": "shipping"},
        ]
    )
    result = normalize_frame("costs", costs, NormalizeOptions(decimal=","))
    assert _reasons(result.rejects) == {
        3: "missing order_id",
        4: "missing cost",
        5: "unparseable cost 'free'",
    }
    assert result.frame["cost"].tolist() == [4.5]
    content = _frame([
        {"page": "/blog/a", "views": "1,204"},
        {"page": "", "views": "3"},
        {"page": "", "channel": "Organic Search", "users": "40"},
    ])  # fmt: skip
    result = normalize_frame("content", content, NormalizeOptions())
    assert _reasons(result.rejects) == {3: "missing page and channel"}
    assert result.frame["views"].tolist()[0] == 1204.0
    assert result.frame["channel"].tolist()[-1] == "Organic Search"


def test_empty_frame():
    result = normalize_frame("orders", _frame([]), NormalizeOptions())
    assert result.frame.empty and result.rejects.empty and result.warnings.empty
    assert list(result.rejects.columns) == list(ISSUE_COLUMNS)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("nonsense", NormalizeOptions(), "unknown kind"),
        ("people", NormalizeOptions(timezone="Nowhere/Land"), "unknown timezone"),
        ("people", NormalizeOptions(decimal=";"), "decimal"),
        ("people", NormalizeOptions(country="Atlantis"), "unknown country"),
    ],
)
def test_bad_options_are_config_errors(kind, options, message):
    with pytest.raises(ConfigError, match=message):
        normalize_frame(kind, _frame([{"email": "a@b.com"}]), options)


def test_excel_typed_cells_are_understood():
    """Readers of .xlsx hand over floats, ints, bools and datetimes mixed with text."""
    import datetime as dt

    df = pd.DataFrame(
        {
            "order_id": pd.Series([1001.0, "1002"], dtype=object),
            "order_date": pd.Series([dt.datetime(2024, 5, 1, 9, 30), "2024-05-02"], dtype=object),
            "total": pd.Series([12.5, 7], dtype=object),
            "phone": pd.Series([4.47911123456e11, None], dtype=object),
            "email_consent": pd.Series([True, "no"], dtype=object),
        }
    ).set_axis([2, 3])
    result = normalize_frame("orders", df, NormalizeOptions(country="GB"))
    assert result.rejects.empty
    frame = result.frame
    assert frame["order_id"].tolist() == ["1001", "1002"]
    assert frame["order_date"].tolist() == [
        pd.Timestamp("2024-05-01 09:30"),
        pd.Timestamp("2024-05-02"),
    ]
    assert frame["total"].tolist() == [12.5, 7.0]
    assert frame["phone"].tolist() == ["+447911123456", None]
    assert frame["email_consent"].tolist() == [True, False]


def test_last_comma_first_full_names_read_first_last():
    people = _frame([{"full_name": "Mitchell, Melissa"}, {"full_name": "Ana Lima"}])
    result = normalize_frame("people", people, NormalizeOptions())
    assert result.frame["full_name"].tolist() == ["Melissa Mitchell", "Ana Lima"]
    assert result.frame["last_name"].tolist() == ["Mitchell", "Lima"]
