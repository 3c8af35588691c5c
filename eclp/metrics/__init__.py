"""Metrics: pure functions from the store's frames to the dashboard's tables (spec §6)."""

from __future__ import annotations

from eclp.metrics.dashboard import Dashboard, compute_dashboard
from eclp.metrics.inputs import MetricsInputs
from eclp.metrics.settings import MetricsSettings

__all__ = ["Dashboard", "MetricsInputs", "MetricsSettings", "compute_dashboard"]
