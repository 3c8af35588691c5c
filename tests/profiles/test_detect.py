"""Detection: every real export is recognised by its header row alone, variants too."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eclp.errors import SourceError
from eclp.sources.detect import MIN_CONFIDENCE, detect, detection_error, guess_fields
from eclp.sources.profile import normalize_header
from eclp.sources.profiles import load_builtin_profiles

from .exports_io import EXPORTS, read_fixture

# fixture -> (profile, header generation or "" when the profile has one signature)
EXPECTED = {
    "shopify/customers_export.csv": "shopify_customers",
    "shopify/customers_export_2022.csv": "shopify_customers",
    "shopify/customers_export_2019.csv": "shopify_customers",
    "shopify/orders_export_1.csv": "shopify_orders",
    "shopify/orders_export_2020.csv": "shopify_orders",
    "woocommerce/orders-export-2025-10-07.csv": "woocommerce_orders",
    "woocommerce/orders-export-item-name.csv": "woocommerce_orders",
    "woocommerce/wc-orders-report-export-1759830000.csv": "woocommerce_orders",
    "woocommerce/customers.csv": "woocommerce_customers",
    "magento/sales_order_grid.csv": "magento_orders",
    "magento/customer_grid.csv": "magento_customers",
    "magento/customer_main_file.csv": "magento_customers",
    "mailchimp/subscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
    "mailchimp/unsubscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
    "mailchimp/cleaned_members_export_2a1b3c4d5e.csv": "mailchimp",
    "mailchimp/nonsubscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
    "klaviyo/profiles-subscribed-2025-10-07.csv": "klaviyo_profiles",
    "klaviyo/profiles-list-2023.csv": "klaviyo_profiles",
    "hubspot/hubspot-crm-exports-all-contacts-2025-10-07.csv": "hubspot_contacts",
    "hubspot/all-contacts-all-properties.csv": "hubspot_contacts",
    "salesforce/Contact.csv": "salesforce_contacts",
    "salesforce/contacts-dataloader-extract.csv": "salesforce_contacts",
    "salesforce/report-all-contacts.csv": "salesforce_contacts",
    "zendesk/tickets-export-2025-10-07.csv": "zendesk_tickets",
    "freshdesk/tickets-2025-10.csv": "freshdesk_tickets",
    "stripe/unified_payments.csv": "stripe_payments",
    "stripe/unified_payments_2021.csv": "stripe_payments",
    "stripe/unified_customers.csv": "stripe_customers",
    "paypal/Download_US.CSV": "paypal_activity",
    "paypal/Download_EU.CSV": "paypal_activity",
    "square/customers.csv": "square_customers",
    "square/customers-2021.csv": "square_customers",
    "google_ads/Campaign_performance.csv": "google_ads",
    "google_ads/Campaign_performance_excel.csv": "google_ads",
    "meta_ads/Acme-Campaigns-Sep-1-2025-Sep-30-2025.csv": "meta_ads",
    "ga4/Traffic_acquisition_Session_default_channel_group.csv": "ga4_channels",
    "ga4/Traffic_acquisition_2023.csv": "ga4_channels",
    "ga4/Pages_and_screens_Page_path_and_screen_class.csv": "ga4_pages",
    # A user's own variants of known exports.
    "variants/kunden_export_de.csv": "shopify_customers",
    "variants/shopify_orders_custom_columns.csv": "shopify_orders",
    "variants/klaviyo_lowercase_headers.csv": "klaviyo_profiles",
    "variants/HUBSPOT_UPPERCASE.csv": "hubspot_contacts",
    "variants/stripe_payments_reordered_minimal.csv": "stripe_payments",
}
NEGATIVES = sorted((EXPORTS / "negative").glob("*.csv"))


def headers_of(relative: str) -> list[str]:
    return read_fixture(EXPORTS / relative)[0]


def test_every_builtin_profile_has_a_fixture() -> None:
    assert set(EXPECTED.values()) == set(load_builtin_profiles())


@pytest.mark.parametrize(("relative", "expected"), sorted(EXPECTED.items()))
def test_fixture_is_detected_as_its_profile(relative: str, expected: str) -> None:
    detection = detect(headers_of(relative), file_name=Path(relative).name)
    assert detection.profile is not None, detection.candidates
    assert detection.profile.name == expected
    assert detection.confidence >= MIN_CONFIDENCE
    # The runner-up is far behind: detection is not a coin toss between similar formats.
    runner_up = detection.candidates[1][1] if len(detection.candidates) > 1 else 0.0
    assert detection.confidence - runner_up >= 0.25, detection.candidates


@pytest.mark.parametrize(
    ("relative", "generation"),
    [
        ("magento/customer_grid.csv", "grid"),
        ("magento/customer_main_file.csv", "main_file"),
        ("woocommerce/orders-export-2025-10-07.csv", "plugin"),
        ("woocommerce/wc-orders-report-export-1759830000.csv", "analytics"),
    ],
)
def test_header_generations_are_told_apart(relative: str, generation: str) -> None:
    assert detect(headers_of(relative)).generation == generation


@pytest.mark.parametrize("path", NEGATIVES, ids=lambda p: p.name)
def test_unrelated_file_is_refused(path: Path) -> None:
    headers = read_fixture(path)[0]
    detection = detect(headers, file_name=path.name)
    assert detection.profile is None
    assert detection.confidence < MIN_CONFIDENCE


def test_refusal_names_closest_profiles_and_suggests_map() -> None:
    detection = detect(read_fixture(EXPORTS / "negative" / "crm_leads.csv")[0])
    error = detection_error("inbox/crm_leads.csv", detection)
    assert isinstance(error, SourceError)
    first, second = detection.candidates[0], detection.candidates[1]
    assert str(error) == (
        "crm_leads.csv: no built-in profile matches these headers "
        f"(closest: {first[0]} {first[1]:.2f}, {second[0]} {second[1]:.2f}); "
        "run `eclp map crm_leads.csv` to write a mapping"
    )
    assert 0 < second[1] <= first[1] < MIN_CONFIDENCE


def test_refusal_with_nothing_close_says_none() -> None:
    detection = detect(read_fixture(EXPORTS / "negative" / "inventory_counts.csv")[0])
    assert detection.candidates == ()
    assert "(closest: none)" in str(detection_error("inventory_counts.csv", detection))


def test_empty_header_row_is_refused() -> None:
    assert detect([]).profile is None
    assert detect(["", "  "]).profile is None


def test_file_name_hint_breaks_no_tie_on_its_own() -> None:
    # A customers_export.csv name does not make unrelated headers a Shopify file.
    headers = read_fixture(EXPORTS / "negative" / "survey_responses.csv")[0]
    assert detect(headers, file_name="customers_export.csv").profile is None


def test_detect_among_given_profiles_only() -> None:
    profiles = load_builtin_profiles()
    only = {"mailchimp": profiles["mailchimp"]}
    detection = detect(headers_of("klaviyo/profiles-list-2023.csv"), profiles=only)
    assert detection.profile is None
    assert [name for name, _ in detection.candidates] == ["mailchimp"]


def test_guess_fields_for_eclp_map() -> None:
    guesses = guess_fields(["E-Mail", "First Name", "Mobile", "Order Date", "Loyalty tier"])
    assert guesses == {
        "E-Mail": "email",
        "First Name": "first_name",
        "Mobile": "phone",
        "Order Date": "order_date",
    }


def _variant(headers: list[str], data: st.DataObject) -> list[str]:
    """A user's version of an export: re-cased, reordered, custom columns added."""
    case = data.draw(st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
    extra = data.draw(
        st.lists(st.sampled_from(["Loyalty Tier", "Notes 2", "Region Code", "Custom Field"]),
                 max_size=3, unique=True)
    )  # fmt: skip
    shuffled = data.draw(st.permutations([case(h) for h in headers]))
    return list(shuffled) + extra


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relative=st.sampled_from(sorted(EXPECTED)), data=st.data())
def test_recased_reordered_and_extended_headers_still_detected(
    relative: str, data: st.DataObject
) -> None:
    headers = _variant(headers_of(relative), data)
    detection = detect(headers)
    assert detection.profile is not None and detection.profile.name == EXPECTED[relative]


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_any_missing_optional_column_keeps_detection(relative: str) -> None:
    """Every column the profile does not key on can be missing, one at a time."""
    headers = headers_of(relative)
    profile = load_builtin_profiles()[EXPECTED[relative]]
    keyed = {normalize_header(h) for h in profile.signature}
    for dropped in [h for h in headers if normalize_header(h) not in keyed]:
        detection = detect([h for h in headers if h != dropped])
        assert detection.profile is not None, dropped
        assert detection.profile.name == EXPECTED[relative], dropped
