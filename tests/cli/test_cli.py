"""The command line: help everywhere, exit codes, JSON output, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eclp.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
COMMANDS = ["init", "ingest", "profiles", "map", "build", "review", "show", "status", "run",
            "send", "forget", "export-subject"]  # fmt: skip

runner = CliRunner()


def invoke(*args: str, ws: Path | None = None):
    argv = (["-w", str(ws)] if ws else []) + list(args)
    return runner.invoke(app, argv, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 100


def test_init_then_refuse_to_overwrite(tmp_path):
    assert invoke("init", str(tmp_path / "shop")).exit_code == 0
    assert (tmp_path / "shop" / "eclp.yaml").is_file()
    again = invoke("init", str(tmp_path / "shop"))
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_ingest_json_reports_each_file(workspace):
    result = invoke("ingest", "--json", str(FIXTURES / "customers_v1.csv"),
                    str(FIXTURES / "orders_export_1.csv"), ws=workspace.root)  # fmt: skip
    assert result.exit_code == 3  # some rows of the orders file were rejected
    reports = json.loads(result.stdout)
    assert [r["profile"] for r in reports] == ["shopify_customers", "shopify_orders"]
    for r in reports:
        assert set(r) == {"file", "source", "profile", "rows", "accepted", "rejected",
                          "blanked", "new", "updated", "skipped", "error"}  # fmt: skip
        assert r["rows"] == r["accepted"] + r["rejected"]


def test_ingest_exit_codes(workspace):
    ok = invoke("ingest", "--quiet", str(FIXTURES / "customers_v1.csv"), ws=workspace.root)
    assert ok.exit_code == 0 and ok.stdout == ""
    refused = invoke("ingest", str(FIXTURES / "mystery.csv"), ws=workspace.root)
    assert refused.exit_code == 1
    assert "mystery.csv" in refused.stderr and "Traceback" not in refused.output


def test_dry_run_json_names_the_detected_profile(workspace):
    result = invoke("ingest", "--dry-run", "--json", str(FIXTURES / "customers_v2.csv"),
                    ws=workspace.root)  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["profile"] == "shopify_customers"


def test_a_config_error_is_exit_2_with_the_line(workspace):
    workspace.config_path.write_text("shop:\n  currncy: EUR\n")
    result = invoke("ingest", str(FIXTURES / "customers_v1.csv"), ws=workspace.root)
    assert result.exit_code == 2
    assert "line 2" in result.stderr and "shop.currncy" in result.stderr


def test_no_workspace_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ECLP_WORKSPACE", raising=False)
    result = invoke("status")
    assert result.exit_code == 2
    assert "eclp init" in result.stderr


def test_profiles_lists_the_catalogue():
    result = invoke("profiles", "--json")
    names = {p["name"] for p in json.loads(result.stdout)}
    assert {"shopify_customers", "shopify_orders", "mailchimp", "hubspot_contacts",
            "zendesk_tickets", "google_ads", "ga4_pages"} <= names  # fmt: skip


def test_map_prints_a_valid_scaffold(workspace, tmp_path):
    from eclp.config import parse_config

    export = tmp_path / "members.csv"
    export.write_text("Card No,Member Name,E-mail Address,Mobile Number,Joined On\n"
                      "A1,Jo Bloggs,jo@example.com,07700 900123,2024-03-01\n")  # fmt: skip
    result = invoke("map", str(export))
    assert result.exit_code == 0
    config = parse_config(result.stdout)
    [source] = config.sources
    assert source.kind == "people"
    assert source.columns.get("E-mail Address") == "email"
    assert source.columns.get("Mobile Number") == "phone"
