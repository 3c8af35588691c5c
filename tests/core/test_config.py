"""eclp.yaml is validated in one place; typos are errors naming the key and its line."""

from __future__ import annotations

import pytest

from eclp.config import load_config, parse_config
from eclp.config_template import CONFIG_TEMPLATE
from eclp.errors import ConfigError


def test_the_init_template_is_a_valid_config(tmp_path):
    path = tmp_path / "eclp.yaml"
    path.write_text(CONFIG_TEMPLATE)
    config = load_config(path)
    assert config.currency == "USD"
    assert config.country == "US"
    assert config.sources == ()
    assert config.email is None


def test_a_source_mapping_as_the_spec_shows_it():
    config = parse_config(
        """
sources:
  loyalty:
    match: "loyalty*.xlsx"
    kind: people
    sheet: Members
    header_row: 4
    columns:
      Card No: source_record_id
      Name: full_name
      Mobile: phone
      Joined: created_at
    options: {date_format: "%d/%m/%Y", decimal: ",", country: GB, currency: GBP}
  shop_orders:
    match: "orders_export*.csv"
    profile: shopify_orders
"""
    )
    loyalty = config.source_for("Loyalty_2026-11.xlsx")
    assert loyalty is not None and loyalty.name == "loyalty"
    assert loyalty.header_row == 4 and loyalty.sheet == "Members"
    assert loyalty.columns["Mobile"] == "phone"
    assert loyalty.options["country"] == "GB"
    assert config.source_for("orders_export_1.csv").profile == "shopify_orders"
    assert config.source_for("customers_export.csv") is None


def test_a_typo_in_a_key_is_an_error_with_its_line():
    text = "shop:\n  currency: EUR\nidentity:\n  auto_merj: 0.9\n"
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    message = str(err.value)
    assert "line 4" in message and "identity.auto_merj" in message and "unknown key" in message


def test_every_problem_is_reported_at_once():
    text = (
        "shopp: {}\n"
        "sources:\n"
        "  crm:\n"
        "    match: crm*.csv\n"
        "    kind: peoples\n"
        "    columns: {Mail: email}\n"
        "  loyalty:\n"
        "    match: l*.csv\n"
        "    kind: people\n"
        "    columns: {Mobile: mobile_phone}\n"
    )
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    message = str(err.value)
    assert "shopp" in message
    assert "'peoples' is not a kind" in message
    assert "'mobile_phone' is not a canonical people field" in message


def test_wrong_types_are_named():
    with pytest.raises(ConfigError, match=r"metrics\.gross_margin: must be a number"):
        parse_config("metrics:\n  gross_margin: lots\n")


def test_invalid_yaml_names_the_line():
    with pytest.raises(ConfigError, match="line 2"):
        parse_config("shop:\n  currency: [EUR\n")


def test_email_section_maps_from_to_from_addr():
    config = parse_config(
        "email:\n  smtp_host: smtp.example.com\n  from: reports@shop.example\n"
        "  to: [owner@shop.example]\n"
    )
    assert config.email.from_addr == "reports@shop.example"
    assert tuple(config.email.to) == ("owner@shop.example",)


def test_an_email_section_missing_its_server_is_refused_at_load():
    with pytest.raises(ConfigError, match="smtp_host is not set"):
        parse_config("email:\n  from: reports@shop.example\n  to: [a@b.co]\n")
