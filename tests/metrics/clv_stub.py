"""A stand-in for eclp.metrics.clv (written concurrently) so these tests run before it lands."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class ClvSettings:
    horizon_months: int = 12
    time_unit: str = "W"
    min_repeat_buyers: int = 20
    min_customers: int = 50
    discount_rate_annual: float = 0.0
    penalizer: float = 0.0


@dataclass(frozen=True)
class ClvResult:
    per_customer: pd.DataFrame
    bgnbd: dict
    gamma_gamma: dict
    notes: tuple[str, ...]


def compute_clv(
    transactions: pd.DataFrame, *, as_of: pd.Timestamp, settings: ClvSettings = ClvSettings()
) -> ClvResult:
    """Historic value = revenue; predicted value = a fixed share of it, enough to check wiring."""
    grouped = transactions.groupby("customer_id")
    per = pd.DataFrame(
        {
            "frequency": grouped["order_date"].nunique() - 1,
            "historic_clv": grouped["revenue"].sum(),
        }
    ).reset_index()
    per["p_alive"] = 0.5
    per["expected_orders"] = 1.0
    per["expected_value"] = per["historic_clv"] * 0.5
    per["expected_next_order_date"] = pd.NaT
    return ClvResult(
        per,
        {"r": 0.25, "alpha": 4.4, "a": 0.8, "b": 2.4},
        {"p": 6.25, "q": 3.74, "v": 15.4},
        ("stub model",),
    )


def install() -> None:
    """Register the stub as eclp.metrics.clv unless the real module exists."""
    try:
        import eclp.metrics.clv  # noqa: F401
    except ImportError:
        stub = types.ModuleType("eclp.metrics.clv")
        stub.ClvSettings, stub.ClvResult, stub.compute_clv = ClvSettings, ClvResult, compute_clv
        sys.modules["eclp.metrics.clv"] = stub
