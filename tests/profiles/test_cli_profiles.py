"""The command line around profiles: `eclp profiles` and what `eclp ingest --dry-run` detects."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eclp.cli import app
from eclp.sources.profiles import load_builtin_profiles

from .exports_io import EXPORTS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_profiles_lists_every_profile_with_its_headers(runner: CliRunner) -> None:
    result = runner.invoke(app, ["profiles", "--json"])
    assert result.exit_code == 0, result.output
    listed = {item["name"]: item for item in json.loads(result.stdout)}
    assert set(listed) == set(load_builtin_profiles())
    assert {"Lineitem name", "Financial Status"} <= set(listed["shopify_orders"]["headers"])
    assert {"email", "_website"} <= set(listed["magento_customers"]["headers"])  # both generations


def test_dry_run_reports_the_detected_profile_of_each_file(runner: CliRunner, workspace) -> None:
    files = [
        EXPORTS / "shopify" / "customers_export_2019.csv",
        EXPORTS / "salesforce" / "report-all-contacts.csv",
        EXPORTS / "google_ads" / "Campaign_performance_excel.csv",
        EXPORTS / "mailchimp" / "members_export_2a1b3c4d5e.zip",
    ]
    result = runner.invoke(
        app, ["-w", str(workspace.root), "ingest", "--dry-run", "--json", *map(str, files)]
    )
    assert result.exit_code == 0, result.output
    reported = {item["file"]: item["profile"] for item in json.loads(result.stdout)}
    assert reported == {
        "customers_export_2019.csv": "shopify_customers",
        "report-all-contacts.csv": "salesforce_contacts",
        "Campaign_performance_excel.csv": "google_ads",
        "members_export_2a1b3c4d5e.zip/cleaned_members_export_2a1b3c4d5e.csv": "mailchimp",
        "members_export_2a1b3c4d5e.zip/nonsubscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
        "members_export_2a1b3c4d5e.zip/subscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
        "members_export_2a1b3c4d5e.zip/unsubscribed_members_export_2a1b3c4d5e.csv": "mailchimp",
    }


def test_unknown_export_is_refused_naming_closest_profiles(runner: CliRunner, workspace) -> None:
    path = EXPORTS / "negative" / "crm_leads.csv"
    result = runner.invoke(app, ["-w", str(workspace.root), "ingest", "--dry-run", str(path)])
    assert result.exit_code == 1
    assert "crm_leads.csv: no built-in profile matches these headers (closest: " in result.output
    assert "run `eclp map crm_leads.csv` to write a mapping" in result.output


def test_profile_option_overrides_detection(runner: CliRunner, workspace) -> None:
    path = EXPORTS / "klaviyo" / "profiles-list-2023.csv"
    result = runner.invoke(
        app,
        [
            "-w",
            str(workspace.root),
            "ingest",
            "--dry-run",
            "--json",
            "--profile",
            "mailchimp",
            str(path),
        ],
    )
    assert json.loads(result.stdout)[0]["profile"] == "mailchimp"
