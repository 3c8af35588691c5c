"""The sample shop's dashboard (from tests/metrics) for the workbook tests."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "metrics"))
import metrics_sample

from eclp.metrics import compute_dashboard
from eclp.workbook import write_workbook


def dashboard_with(**overrides):
    return compute_dashboard(
        metrics_sample.inputs(),
        as_of=metrics_sample.AS_OF,
        settings=metrics_sample.settings(**overrides),
    )


@pytest.fixture(scope="session")
def make_dashboard():
    """compute_dashboard on the sample with settings overridden."""
    return dashboard_with


@pytest.fixture(scope="session")
def dashboard():
    return dashboard_with()


@pytest.fixture(scope="session")
def workbook_path(dashboard, tmp_path_factory):
    return write_workbook(dashboard, tmp_path_factory.mktemp("out") / "dashboard.xlsx")


@pytest.fixture(scope="session")
def book(workbook_path):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl drops data-bar extensions it does not know
        return openpyxl.load_workbook(workbook_path)
