"""Profiles as data: every built-in loads, and maps each real header generation onto fields."""

from __future__ import annotations

import pytest

from eclp.canonical import FIELDS_BY_KIND, KINDS
from eclp.errors import ConfigError
from eclp.sources.profile import normalize_header, profile_from_dict, profile_from_mapping
from eclp.sources.profiles import header_hints, load_builtin_profiles

from .exports_io import EXPORTS, read_fixture

PROFILE_NAMES = {
    "shopify_customers", "shopify_orders", "woocommerce_orders", "woocommerce_customers",
    "magento_orders", "magento_customers", "mailchimp", "klaviyo_profiles", "hubspot_contacts",
    "salesforce_contacts", "zendesk_tickets", "freshdesk_tickets", "stripe_payments",
    "stripe_customers", "paypal_activity", "square_customers", "google_ads", "meta_ads",
    "ga4_channels", "ga4_pages",
}  # fmt: skip


def resolve(profile: str, relative: str):
    return load_builtin_profiles()[profile].resolve(read_fixture(EXPORTS / relative)[0])


def test_the_builtin_profiles_are_exactly_the_issue_list() -> None:
    assert set(load_builtin_profiles()) == PROFILE_NAMES


@pytest.mark.parametrize("name", sorted(PROFILE_NAMES))
def test_builtin_profile_is_well_formed(name: str) -> None:
    profile = load_builtin_profiles()[name]
    assert profile.kind in KINDS and profile.builtin
    assert profile.platform and profile.description and profile.signature
    allowed = set(FIELDS_BY_KIND[profile.kind]) | {"period_start", "period_end"}
    assert all(f in allowed or f.startswith("_") for f in [*profile.columns, *profile.constants])
    # A person key names fields the profile fills, so every row can be given a person.
    assert set(profile.person_key) <= set(profile.columns)
    if profile.kind in ("orders", "interactions"):
        assert profile.person_key


KIND_ESSENTIALS = {
    "people": {"email"},
    "orders": {"order_id", "order_date", "total", "email"},
    "interactions": {"source_record_id", "occurred_at", "email", "full_name"},
    "spend": {"date", "campaign", "spend"},
    "content": {"views", "users"},
}


@pytest.mark.parametrize("name", sorted(PROFILE_NAMES))
def test_profile_maps_the_essentials_of_its_kind(name: str) -> None:
    profile = load_builtin_profiles()[name]
    assert KIND_ESSENTIALS[profile.kind] <= set(profile.columns) | set(profile.constants)


# (profile, fixture) -> expected field: header, for the fields every later stage leans on.
RESOLUTIONS = [
    ("shopify_customers", "shopify/customers_export.csv", {
        "source_record_id": "Customer ID", "email": "Email", "phone": "Phone",
        "postcode": "Default Address Zip", "country": "Default Address Country Code",
        "email_consent": "Accepts Email Marketing", "sms_consent": "Accepts SMS Marketing"}),
    ("shopify_customers", "shopify/customers_export_2022.csv", {
        "source_record_id": "Email", "postcode": "Zip", "country": "Country Code",
        "region": "Province Code", "company": "Company"}),
    ("shopify_customers", "shopify/customers_export_2019.csv", {
        "email_consent": "Accepts Marketing", "address1": "Address1"}),
    ("shopify_customers", "variants/kunden_export_de.csv", {
        "email": "E-Mail", "first_name": "Vorname", "last_name": "Nachname",
        "postcode": "PLZ", "source_record_id": "Kunden-ID", "city": "Stadt"}),
    ("shopify_orders", "shopify/orders_export_1.csv", {
        "order_id": "Name", "order_date": "Created at", "total": "Total", "tax": "Taxes",
        "status": "Financial Status", "product": "Lineitem name", "quantity": "Lineitem quantity",
        "price": "Lineitem price", "sku": "Lineitem sku", "full_name": "Billing Name",
        "phone": "Phone", "refunded": "Refunded Amount", "_cancelled_at": "Cancelled at"}),
    ("woocommerce_orders", "woocommerce/orders-export-2025-10-07.csv", {
        "order_id": "Order Number", "product": "Name", "price": "Item Cost",
        "email": "Email (Billing)", "total": "Order Total Amount", "address1": "Address 1&2 (Billing)"}),
    ("woocommerce_orders", "woocommerce/orders-export-item-name.csv", {
        "order_id": "Order Number", "product": "Item Name", "price": "Item Cost"}),
    ("woocommerce_customers", "woocommerce/customers.csv", {
        "full_name": "Name", "country": "Country / Region", "region": "Region",
        "created_at": "Date registered"}),
    ("magento_orders", "magento/sales_order_grid.csv", {
        "order_id": "ID", "total": "Grand Total (Purchased)", "email": "Customer Email",
        "full_name": "Customer Name", "refunded": "Total Refunded"}),
    ("magento_customers", "magento/customer_grid.csv", {
        "source_record_id": "ID", "full_name": "Name", "created_at": "Customer Since",
        "birth_date": "Date of Birth", "first_name": "Billing Firstname"}),
    ("magento_customers", "magento/customer_main_file.csv", {
        "source_record_id": "email", "first_name": "firstname", "created_at": "created_at",
        "birth_date": "dob"}),
    ("mailchimp", "mailchimp/cleaned_members_export_2a1b3c4d5e.csv", {
        "email": "Email Address", "member_rating": "MEMBER_RATING", "created_at": "CONFIRM_TIME",
        "country": "CC"}),
    ("klaviyo_profiles", "klaviyo/profiles-subscribed-2025-10-07.csv", {
        "source_record_id": "Klaviyo ID", "email": "Email", "email_consent": "Email Marketing Consent",
        "region": "State / Region"}),
    ("hubspot_contacts", "hubspot/all-contacts-all-properties.csv", {
        "source_record_id": "Record ID", "channel": "Original Source", "company": "Company Name",
        "country": "Country/Region"}),
    ("salesforce_contacts", "salesforce/Contact.csv", {
        "source_record_id": "Id", "first_name": "FirstName", "city": "MailingCity",
        "channel": "LeadSource", "email_consent": "HasOptedOutOfEmail"}),
    ("salesforce_contacts", "salesforce/contacts-dataloader-extract.csv", {
        "source_record_id": "ID", "first_name": "FIRSTNAME", "city": "MAILINGCITY"}),
    ("salesforce_contacts", "salesforce/report-all-contacts.csv", {
        "source_record_id": "Contact ID", "first_name": "First Name", "city": "Mailing City",
        "region": "Mailing State/Province", "postcode": "Mailing Zip/Postal Code",
        "company": "Account Name"}),
    ("zendesk_tickets", "zendesk/tickets-export-2025-10-07.csv", {
        "source_record_id": "Id", "customer_ref": "Requester id", "email": "Requester email",
        "full_name": "Requester", "score": "Satisfaction Score"}),
    ("freshdesk_tickets", "freshdesk/tickets-2025-10.csv", {
        "source_record_id": "Ticket ID", "customer_ref": "Contact ID", "occurred_at": "Created time",
        "score": "Survey results"}),
    ("stripe_payments", "stripe/unified_payments.csv", {
        "order_id": "id", "order_date": "Created date (UTC)", "customer_ref": "Customer ID",
        "email": "Customer Email", "refunded": "Amount Refunded"}),
    ("stripe_payments", "stripe/unified_payments_2021.csv", {
        "order_date": "Created (UTC)", "full_name": "Card Name"}),
    ("stripe_customers", "stripe/unified_customers.csv", {
        "source_record_id": "id", "full_name": "Name", "created_at": "Created (UTC)"}),
    ("paypal_activity", "paypal/Download_US.CSV", {
        "order_id": "Transaction ID", "email": "From Email Address", "total": "Gross",
        "_time": "Time", "_timezone": "TimeZone", "_balance_impact": "Balance Impact"}),
    ("square_customers", "square/customers-2021.csv", {
        "source_record_id": "Square Customer ID", "_lifetime_spend": "Total Spend",
        "email_consent": "Email Subscription Status"}),
    ("google_ads", "google_ads/Campaign_performance.csv", {
        "campaign": "Campaign", "impressions": "Impr.", "spend": "Cost", "currency": "Currency code"}),
    ("google_ads", "google_ads/Campaign_performance_excel.csv", {"date": "Day"}),
    ("meta_ads", "meta_ads/Acme-Campaigns-Sep-1-2025-Sep-30-2025.csv", {
        "spend": "Amount spent (USD)", "date": "Reporting starts", "campaign": "Campaign name",
        "clicks": "Link clicks"}),
    ("ga4_channels", "ga4/Traffic_acquisition_Session_default_channel_group.csv", {
        "channel": "Session default channel group", "views": "Sessions", "conversions": "Key events"}),
    ("ga4_channels", "ga4/Traffic_acquisition_2023.csv", {
        "channel": "Session primary channel group (Default Channel Group)",
        "conversions": "Conversions"}),
    ("ga4_pages", "ga4/Pages_and_screens_Page_path_and_screen_class.csv", {
        "page": "Page path and screen class", "views": "Views",
        "engaged_seconds": "Average engagement time"}),
]  # fmt: skip


@pytest.mark.parametrize(("profile", "relative", "expected"), RESOLUTIONS)
def test_resolve_maps_each_generation(profile: str, relative: str, expected: dict) -> None:
    columns = resolve(profile, relative).columns
    assert {field: columns.get(field) for field in expected} == expected


def test_fields_whose_header_is_absent_are_not_mapped() -> None:
    columns = resolve("shopify_customers", "shopify/customers_export_2019.csv").columns
    assert "sms_consent" not in columns and "customer_ref" not in columns


def test_unused_headers_are_reported_unmapped() -> None:
    mapped = resolve("shopify_customers", "shopify/customers_export.csv")
    assert mapped.unmapped == (
        "Default Address Phone", "Total Spent", "Total Orders", "Note", "Tax Exempt",
        "Accepts WhatsApp Marketing", "Birthday (customer.metafields.facts.birth_date)",
    )  # fmt: skip


def test_duplicated_header_feeds_its_field_once() -> None:
    mapped = resolve("woocommerce_orders", "woocommerce/orders-export-item-name.csv")
    assert mapped.columns["price"] == "Item Cost"
    assert mapped.unmapped.count("Item Cost") == 0


def test_meta_currency_is_captured_from_the_header_name() -> None:
    mapped = resolve("meta_ads", "meta_ads/Acme-Campaigns-Sep-1-2025-Sep-30-2025.csv")
    assert dict(mapped.captured) == {"currency": "USD"}
    euro = load_builtin_profiles()["meta_ads"].resolve(["Campaign name", "Amount Spent (EUR)"])
    assert (
        dict(euro.captured) == {"currency": "EUR"} and euro.columns["spend"] == "Amount Spent (EUR)"
    )
    plain = load_builtin_profiles()["meta_ads"].resolve(["Campaign name", "Amount spent"])
    assert plain.columns["spend"] == "Amount spent" and dict(plain.captured) == {}


def test_header_keys_ignore_case_spacing_punctuation_and_bom() -> None:
    assert normalize_header("\ufeffE-Mail ") == normalize_header("email") == "email"
    assert normalize_header("MailingCity") == normalize_header("Mailing City")
    assert normalize_header("Straße") == "strasse"


def test_header_hints_hold_every_alias_and_signature_header() -> None:
    hints = header_hints()
    assert {
        "lineitemname",
        "emailaddress",
        "impr",
        "sessiondefaultchannelgroup",
        "vorname",
    } <= hints
    # Both the comparison key and the case/space-folded form the reader looks up.
    assert {"lineitem name", "email address", "impr.", "session default channel group"} <= hints
    assert all(normalize_header(hint) in hints for hint in hints)


def test_user_mapping_becomes_a_profile() -> None:
    profile = profile_from_mapping(
        "loyalty",
        "people",
        {"Card No": "source_record_id", "Name": "full_name", "Mobile": "phone", "Tel": "phone"},
        {"date_format": "%d/%m/%Y"},
    )
    assert not profile.builtin and profile.kind == "people"
    assert profile.columns["phone"] == ("Mobile", "Tel")
    mapped = profile.resolve(["CARD NO", "Name", "Tel", "Points"])
    assert dict(mapped.columns) == {
        "source_record_id": "CARD NO",
        "full_name": "Name",
        "phone": "Tel",
    }
    assert mapped.unmapped == ("Points",)
    assert profile.options["date_format"] == "%d/%m/%Y"


def test_user_mapping_of_orders_gets_a_person_key() -> None:
    profile = profile_from_mapping("till", "orders", {"Receipt": "order_id"}, {})
    assert profile.person_key == ("customer_ref", "email", "order_id")


def test_user_mapping_names_every_unknown_field_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        profile_from_mapping("loyalty", "people", {"Card": "card_no", "Pts": "points"}, {})
    assert str(error.value) == (
        "sources.loyalty: 'card_no' is not a canonical field of kind 'people'; "
        "'points' is not a canonical field of kind 'people'"
    )


def test_profile_data_is_validated() -> None:
    with pytest.raises(ConfigError, match="kind 'leads' is not one of"):
        profile_from_dict({"name": "x", "kind": "leads", "signature": ["A"]})
    with pytest.raises(ConfigError, match="unknown behaviour 'explode'"):
        profile_from_dict(
            {"name": "x", "kind": "people", "signature": ["A"], "behaviours": ["explode"]}
        )
    with pytest.raises(ConfigError, match="signature is empty"):
        profile_from_dict({"name": "x", "kind": "people", "columns": {"email": ["E"]}})


def test_profiles_can_be_used_as_keys() -> None:
    profiles = load_builtin_profiles()
    seen = {profiles["mailchimp"]: 1, profiles["google_ads"]: 2}
    assert seen[load_builtin_profiles()["mailchimp"]] == 1
