"""Every fixture export goes through the real pipeline (read, detect, map, behave, normalise).

Asserted per file: the detected profile, rows read = accepted + rejected, rows per store table,
and the key normalised fields (email, name, order total, UTC timestamp, channel, spend).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("eclp.sources.reader", reason="the reader lands separately")

from eclp.ingest import prepare_file

from .exports_io import EXPORTS


@dataclass(frozen=True)
class Case:
    path: str
    profile: str
    accepted: int
    tables: dict[str, int]
    # (table, key column, key value) -> expected values of other columns in that row
    rows: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    rejected: int = 0


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


CASES = [
    Case("shopify/customers_export.csv", "shopify_customers", 6, {"person_records": 6}, {
        ("person_records", "source_record_id", "8779761975521"): {
            "email": "ben.carter@example.com", "first_name": "Ben", "last_name": "Carter",
            "phone": "+16175550142", "postcode": "02139", "country": "US",
            "email_consent": True, "sms_consent": False},
        ("person_records", "source_record_id", "8779761975524"): {"email": "grace.lee@example.com"},
    }),
    Case("shopify/customers_export_2022.csv", "shopify_customers", 5, {"person_records": 5}, {
        ("person_records", "email", "isabel.garcia@example.es"): {
            "last_name": "García", "postcode": "28013", "country": "ES", "email_consent": True},
    }),
    Case("shopify/customers_export_2019.csv", "shopify_customers", 4, {"person_records": 4}, {
        ("person_records", "email", "karen.miller@example.com"): {
            "company": "Miller Bakery", "postcode": "62701", "email_consent": False},
    }),
    Case("shopify/orders_export_1.csv", "shopify_orders", 7,
         {"orders": 4, "order_lines": 7, "person_records": 4}, {
        ("orders", "order_id", "#1001"): {
            "total": 106.30, "currency": "USD", "order_date": ts("2025-10-02 20:09:30"),
            "discount_code": "WELCOME10", "status": "paid"},
        ("orders", "order_id", "#1002"): {"total": 120.0, "refunded": 40.0},
        ("orders", "order_id", "1003"): {"currency": "BRL", "total": 325.0},
        ("orders", "order_id", "#1004"): {"status": "cancelled"},
    }),
    Case("shopify/orders_export_2020.csv", "shopify_orders", 3,
         {"orders": 2, "order_lines": 3}, {
        ("orders", "order_id", "#1001"): {"total": 5000.0, "currency": "JPY",
                                          "order_date": ts("2020-03-14 14:59:58")},
    }),
    Case("woocommerce/orders-export-2025-10-07.csv", "woocommerce_orders", 6,
         {"orders": 4, "order_lines": 6, "person_records": 4}, {
        ("orders", "order_id", "4101"): {"total": 183.40, "shipping": 4.90,
                                         "order_date": ts("2025-09-01 10:15:00")},
        ("orders", "order_id", "4102"): {"refunded": 55.45, "discount_code": "SUMMER10"},
        ("person_records", "email", "jack.obrien@example.ie"): {
            "first_name": "Jack", "last_name": "O'Brien", "country": "IE"},
    }),
    Case("woocommerce/orders-export-item-name.csv", "woocommerce_orders", 3,
         {"orders": 2, "order_lines": 3}, {
        ("orders", "order_id", "W-9051"): {"total": 44.88},
        ("order_lines", "sku", "MATCH-BOX"): {"product": "Match Box", "quantity": 1.0, "price": 3.0},
    }),
    Case("woocommerce/wc-orders-report-export-1759830000.csv", "woocommerce_orders", 4,
         {"orders": 4, "person_records": 4}, {
        ("orders", "order_id", "4103"): {"total": 200.0, "units": 3.0, "status": "Processing",
                                         "order_date": ts("2025-09-03 09:05:59")},
        ("person_records", "source_record_id", "4102"): {"full_name": "Isabel García"},
    }),
    Case("woocommerce/customers.csv", "woocommerce_customers", 4, {"person_records": 4}, {
        ("person_records", "email", "emma.schmidt@example.de"): {
            "full_name": "Emma Schmidt", "country": "DE", "created_at": ts("2023-02-11 08:00:12")},
    }),
    Case("magento/sales_order_grid.csv", "magento_orders", 4, {"orders": 4}, {
        ("orders", "order_id", "000000102"): {
            "total": 1250.0, "refunded": 1250.0, "status": "closed",
            "order_date": ts("2024-09-02 09:03:10")},
    }),
    Case("magento/customer_grid.csv", "magento_customers", 3, {"person_records": 3}, {
        ("person_records", "email", "hiro.tanaka@example.jp"): {
            "full_name": "Hiro Tanaka", "created_at": ts("2024-08-30 15:12:45")},
    }),
    Case("magento/customer_main_file.csv", "magento_customers", 3, {"person_records": 3}, {
        ("person_records", "email", "hiro.tanaka@example.jp"): {
            "first_name": "Hiro", "created_at": ts("2024-09-01 12:49:00"),
            "birth_date": date(1990, 3, 5)},
    }),
    Case("mailchimp/subscribed_members_export_2a1b3c4d5e.csv", "mailchimp", 3,
         {"person_records": 3}, {
        ("person_records", "email", "hiro.tanaka@example.jp"): {
            "email_status": "subscribed", "email_consent": True, "member_rating": 3.0},
    }),
    Case("mailchimp/unsubscribed_members_export_2a1b3c4d5e.csv", "mailchimp", 2,
         {"person_records": 2}, {
        ("person_records", "email", "ana.souza@example.com.br"): {
            "email_status": "unsubscribed", "email_consent": False},
    }),
    Case("mailchimp/cleaned_members_export_2a1b3c4d5e.csv", "mailchimp", 1, {"person_records": 1}, {
        ("person_records", "email", "old.address@example.org"): {
            "email_status": "cleaned", "email_consent": False},
    }),
    Case("mailchimp/nonsubscribed_members_export_2a1b3c4d5e.csv", "mailchimp", 2,
         {"person_records": 2}, {
        ("person_records", "email", "karen.miller@example.com"): {
            "email_status": "nonsubscribed", "email_consent": False},
    }),
    Case("klaviyo/profiles-subscribed-2025-10-07.csv", "klaviyo_profiles", 4,
         {"person_records": 4}, {
        ("person_records", "email", "ben.carter@example.com"): {
            "source_record_id": "01HB4X2Y3Z4A5B6C7D8E9F0G1H", "email_consent": True},
        ("person_records", "email", "farhan.rahman@example.com.bd"): {"email_consent": False},
    }),
    Case("klaviyo/profiles-list-2023.csv", "klaviyo_profiles", 2, {"person_records": 2}, {
        ("person_records", "email", "emma.schmidt@example.de"): {"first_name": "Emma", "postcode": "10119"},
    }),
    Case("hubspot/hubspot-crm-exports-all-contacts-2025-10-07.csv", "hubspot_contacts", 4,
         {"person_records": 4}, {
        ("person_records", "source_record_id", "51234502"): {
            "email": "karen.miller@example.com", "company": "Miller Bakery"},
    }),
    Case("hubspot/all-contacts-all-properties.csv", "hubspot_contacts", 6, {"person_records": 6}, {
        ("person_records", "source_record_id", "51234501"): {"channel": "Paid Social"},
        ("person_records", "source_record_id", "51234502"): {"channel": "Organic Search"},
        ("person_records", "source_record_id", "51234503"): {"channel": "Direct"},
        ("person_records", "source_record_id", "51234504"): {"channel": "Email"},
        ("person_records", "source_record_id", "51234505"): {"channel": "Referral"},
        ("person_records", "source_record_id", "51234506"): {"channel": "Offline"},
    }),
    Case("salesforce/Contact.csv", "salesforce_contacts", 3, {"person_records": 3}, {
        ("person_records", "source_record_id", "0035e00000AbCdFAAV"): {
            "email": "david.okafor@example.co.uk", "city": "London", "email_consent": False,
            "created_at": ts("2021-05-20 08:15:00")},
        ("person_records", "source_record_id", "0035e00000AbCdEAAV"): {"email_consent": True},
    }),
    Case("salesforce/contacts-dataloader-extract.csv", "salesforce_contacts", 2,
         {"person_records": 2}, {
        ("person_records", "email", "jack.obrien@example.ie"): {
            "first_name": "Jack", "email_consent": False, "postcode": "D02 XY45"},
    }),
    Case("salesforce/report-all-contacts.csv", "salesforce_contacts", 4, {"person_records": 4}, {
        ("person_records", "source_record_id", "0035e00000AbCdG"): {
            "email": "grace.lee@example.com", "company": None, "region": "WA"},
    }),
    Case("zendesk/tickets-export-2025-10-07.csv", "zendesk_tickets", 4,
         {"interactions": 4, "person_records": 3}, {
        ("interactions", "interaction_id", "3101"): {
            "type": "ticket", "status": "Solved", "score": 1.0,
            "occurred_at": ts("2025-10-03 12:15:00")},
        ("interactions", "interaction_id", "3102"): {"score": 0.0},
        ("person_records", "email", "ben.carter@example.com"): {"full_name": "Ben Carter"},
    }),
    Case("freshdesk/tickets-2025-10.csv", "freshdesk_tickets", 3,
         {"interactions": 3, "person_records": 3}, {
        ("interactions", "interaction_id", "501"): {"score": 1.0, "subject": "Damaged bag on arrival"},
        ("person_records", "email", "jack.obrien@example.ie"): {"company": "O'Brien Cycles"},
    }),
    Case("stripe/unified_payments.csv", "stripe_payments", 4,
         {"orders": 4, "person_records": 3}, {
        ("orders", "order_id", "ch_3PqB1B2C3D4E5F6G1a2b3c4e"): {
            "total": 1250.0, "currency": "USD", "order_date": ts("2025-10-02 09:30:00")},
        ("orders", "order_id", "ch_3PqC1B2C3D4E5F6G1a2b3c4f"): {"refunded": 49.0, "status": "Refunded"},
        ("person_records", "customer_ref", "cus_QhX1a2b3c4d5e6"): {"email": "ben.carter@example.com"},
    }),
    Case("stripe/unified_payments_2021.csv", "stripe_payments", 2, {"orders": 2}, {
        ("orders", "order_id", "ch_1IaBcDeFgHiJkLmN"): {
            "total": 120.0, "currency": "GBP", "order_date": ts("2021-03-04 16:20:00")},
    }),
    Case("stripe/unified_customers.csv", "stripe_customers", 3, {"person_records": 3}, {
        ("person_records", "source_record_id", "cus_QhX9z8y7x6w5v4"): {
            "full_name": "Karen Miller", "email": "karen.miller@example.com",
            "created_at": ts("2022-11-02 10:45:00")},
    }),
    Case("paypal/Download_US.CSV", "paypal_activity", 3, {"orders": 3}, {
        ("orders", "order_id", "8AB12345CD6789012"): {
            "total": 1250.0, "currency": "USD", "order_date": ts("2025-10-01 16:15:02")},
        ("orders", "order_id", "3CD98765EF4321098"): {"order_date": ts("2025-10-03 06:59:59")},
    }, rejected=1),
    Case("paypal/Download_EU.CSV", "paypal_activity", 2, {"orders": 2}, {
        ("orders", "order_id", "1AA11111BB2222233"): {
            "total": 1234.56, "currency": "EUR", "order_date": ts("2025-09-05 08:15:00")},
    }, rejected=1),
    Case("square/customers.csv", "square_customers", 3, {"person_records": 3}, {
        ("person_records", "email", "karen.miller@example.com"): {
            "source_record_id": "7WQ4XZ1T0K5H92Y3N8R6F0PDJC", "email_consent": True},
        ("person_records", "email", "ben.carter@example.com"): {"email_consent": False},
    }),
    Case("square/customers-2021.csv", "square_customers", 2, {"person_records": 2}, {
        ("person_records", "email", "liam.nguyen@example.com.au"): {"email_consent": False},
    }),
    Case("google_ads/Campaign_performance.csv", "google_ads", 4, {"spend": 4}, {
        ("spend", "campaign", "Shopping - All Products"): {
            "spend": 3200.0, "clicks": 980.0, "impressions": 40115.0, "channel": "Paid Search",
            "date": date(2025, 9, 29), "currency": "USD"},
        ("spend", "campaign", "Brand - Search - US"): {"clicks": 1240.0, "spend": 558.0},
    }),
    Case("google_ads/Campaign_performance_excel.csv", "google_ads", 4, {"spend": 4}, {
        ("spend", "date|campaign", "2025-09-28|Brand - Search - DE"): {
            "spend": 161.2, "clicks": 310.0, "currency": "EUR"},
        ("spend", "date|campaign", "2025-09-29|Shopping - DE"): {"spend": 0.0, "clicks": None},
    }),
    Case("meta_ads/Acme-Campaigns-Sep-1-2025-Sep-30-2025.csv", "meta_ads", 3, {"spend": 3}, {
        ("spend", "campaign", "Autumn Lookbook - Prospecting"): {
            "spend": 1200.0, "currency": "USD", "channel": "Paid Social", "clicks": 2100.0,
            "date": date(2025, 9, 1)},
    }, rejected=1),
    pytest.param(Case("ga4/Traffic_acquisition_Session_default_channel_group.csv", "ga4_channels", 8,
         {"content": 8}, {
        ("content", "channel", "Paid Search"): {
            "users": 2100.0, "views": 2650.0, "conversions": 120.0,
            "period_start": date(2026, 5, 1), "period_end": date(2026, 5, 31)},
        ("content", "channel", "Unknown"): {"users": 75.0},
    })),
    pytest.param(Case("ga4/Traffic_acquisition_2023.csv", "ga4_channels", 4, {"content": 4}, {
        ("content", "channel", "Email"): {"conversions": 41.0, "period_start": date(2023, 9, 1)},
    })),
    Case("ga4/Pages_and_screens_Page_path_and_screen_class.csv", "ga4_pages", 5, {"content": 5}, {
        ("content", "page", "/products/matcha-tin"): {
            "views": 8020.0, "users": 4100.0, "engaged_seconds": 88.1, "conversions": 150.0},
    }),
    Case("variants/kunden_export_de.csv", "shopify_customers", 2, {"person_records": 2}, {
        ("person_records", "email", "lukas.weber@example.de"): {
            "first_name": "Lukas", "last_name": "Weber", "city": "München", "postcode": "80331"},
    }),
    Case("variants/shopify_orders_custom_columns.csv", "shopify_orders", 3,
         {"orders": 2, "order_lines": 3}, {
        ("orders", "order_id", "#2001"): {"total": 70.0, "order_date": ts("2025-10-08 08:00:00")},
    }),
    Case("variants/klaviyo_lowercase_headers.csv", "klaviyo_profiles", 2, {"person_records": 2}, {
        ("person_records", "email", "chloe.martin@example.fr"): {"email_consent": False},
    }),
    Case("variants/HUBSPOT_UPPERCASE.csv", "hubspot_contacts", 2, {"person_records": 2}, {
        ("person_records", "source_record_id", "60000001"): {"channel": "Paid Search"},
        ("person_records", "source_record_id", "60000002"): {"channel": "Organic Social"},
    }),
    Case("variants/stripe_payments_reordered_minimal.csv", "stripe_payments", 1, {"orders": 1}, {
        ("orders", "order_id", "ch_3PqE1B2C3D4E5F6G1a2b3c4h"): {"total": 89.0, "currency": "AUD"},
    }),
]  # fmt: skip


def _value(value):
    """Store values compared as plain Python: timestamps without zone, floats, None for NA."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item"):
        return value.item()
    return value


def _key(value):
    """A key cell as text: dates and midnight timestamps as ISO dates."""
    value = _value(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else value


def _normalise_expected(value):
    return round(value, 6) if isinstance(value, float) else value


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path)
def test_fixture_ingests_with_its_profile_and_values(case: Case) -> None:
    [prepared] = prepare_file(EXPORTS / case.path)
    assert prepared.profile == case.profile
    assert (prepared.accepted, prepared.rejected) == (case.accepted, case.rejected), (
        prepared.rejects.to_dict("records")
    )
    assert prepared.rows == prepared.accepted + prepared.rejected
    for table, count in case.tables.items():
        assert len(prepared.tables[table]) == count, table
    for (table, key, wanted), expected in case.rows.items():
        frame = prepared.tables[table]
        # "a|b" keys on several columns at once.
        parts = [frame[column].map(_key).astype(str) for column in key.split("|")]
        keys = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else frame[key].map(_key)
        matches = frame[keys == wanted]
        assert len(matches) == 1, f"{table}.{key} = {wanted!r}: {keys.tolist()}"
        row = matches.iloc[0]
        got = {column: _value(row[column]) for column in expected}
        got = {k: round(v, 6) if isinstance(v, float) else v for k, v in got.items()}
        want = {k: _normalise_expected(v) for k, v in expected.items()}
        if any(isinstance(v, date) and not isinstance(v, datetime) for v in want.values()):
            got = {k: (v.date() if isinstance(v, datetime) and not isinstance(want[k], datetime)
                       else v) for k, v in got.items()}  # fmt: skip
        assert got == want


def test_mailchimp_zip_yields_one_prepared_file_per_status() -> None:
    prepared = prepare_file(EXPORTS / "mailchimp" / "members_export_2a1b3c4d5e.zip")
    assert [p.profile for p in prepared] == ["mailchimp"] * 4
    statuses = {
        Path(p.file).name.split("_")[0]: sorted(p.tables["person_records"]["email_status"])
        for p in prepared
    }
    assert statuses == {
        "subscribed": ["subscribed"] * 3,
        "unsubscribed": ["unsubscribed"] * 2,
        "cleaned": ["cleaned"],
        "nonsubscribed": ["nonsubscribed"] * 2,
    }
    assert sum(p.accepted for p in prepared) == 8


def test_profile_option_overrides_detection() -> None:
    # Stripe customers' headers read as the people export they are, even if forced elsewhere.
    [prepared] = prepare_file(
        EXPORTS / "stripe" / "unified_customers.csv", profile="stripe_customers"
    )
    assert prepared.profile == "stripe_customers"
    [forced] = prepare_file(EXPORTS / "klaviyo" / "profiles-list-2023.csv", profile="mailchimp")
    assert forced.profile == "mailchimp"


@pytest.mark.parametrize("name", ["crm_leads.csv", "orders.csv", "inventory_counts.csv"])
def test_unknown_export_is_refused_with_a_hint(name: str) -> None:
    from eclp.errors import SourceError

    with pytest.raises(
        SourceError, match=rf"^{name}: no built-in profile matches .* `eclp map {name}`"
    ):
        prepare_file(EXPORTS / "negative" / name)
