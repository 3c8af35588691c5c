"""The README's main job, end to end on the bundled example exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from eclp.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_examples_ingest_and_build(tmp_path):
    ws = tmp_path / "examples"
    shutil.copytree(EXAMPLES, ws, ignore=shutil.ignore_patterns(".eclp", "out"))
    exports = sorted(str(p) for p in (ws / "exports").iterdir())
    ingest = runner.invoke(app, ["-w", str(ws), "ingest", "--json", *exports])
    assert ingest.exit_code in (0, 3), ingest.output
    reports = json.loads(ingest.stdout)
    assert all(r["error"] is None for r in reports), reports
    assert {r["profile"] for r in reports} >= {"shopify_customers", "shopify_orders", "mailchimp",
                                                "hubspot_contacts", "zendesk_tickets", "google_ads",
                                                "loyalty"}  # fmt: skip
    build = runner.invoke(app, ["-w", str(ws), "build", "--as-of", "2025-12-31", "--json"])
    assert build.exit_code == 0, build.output
    summary = json.loads(build.stdout)
    idmap = pd.read_csv(ws / "out" / "identity_map.csv")
    assert len(idmap) == summary["records"]
    assert not idmap.duplicated(["source", "source_record_id"]).any()
    # 400 people in the generator: resolution must land near that, far below the record count
    assert 300 <= summary["customers"] <= 520
    workbook = load_workbook(ws / "out" / "customer-dashboard-2025-12-31.xlsx", read_only=True)
    assert {"Overview", "Customers", "RFM", "Channels", "Cohorts", "Data quality"} <= set(
        workbook.sheetnames
    )
    assert (ws / "out" / "customers.csv").is_file() and (ws / "out" / "customers.parquet").is_file()
