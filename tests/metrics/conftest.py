"""Shared fixtures: the hand-computable sample shop and its dashboard."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import metrics_sample

from eclp.metrics import compute_dashboard


@pytest.fixture(scope="session")
def sample_dashboard():
    return compute_dashboard(
        metrics_sample.inputs(), as_of=metrics_sample.AS_OF, settings=metrics_sample.settings()
    )


@pytest.fixture(scope="session")
def sample_customers(sample_dashboard):
    return sample_dashboard.customers.set_index("customer_id")
