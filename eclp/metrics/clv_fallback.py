"""Fallback rules used when BG/NBD or Gamma-Gamma cannot be fitted: simple, named, finite."""

from __future__ import annotations

import numpy as np
import pandas as pd

BGNBD_FALLBACK = "fallback:run-rate"
GAMMA_GAMMA_FALLBACK = "fallback:mean-order-value"


def bgnbd_fallback(reason: str, n_customers: int, n_repeat: int) -> dict:
    """The BG/NBD result dict when the model is not fitted; parameters are None."""
    return {
        "r": None,
        "alpha": None,
        "a": None,
        "b": None,
        "log_likelihood": None,
        "converged": False,
        "method": BGNBD_FALLBACK,
        "n_customers": n_customers,
        "n_repeat_buyers": n_repeat,
        "at_bound": [],
        "reason": reason,
    }


def gamma_gamma_fallback(reason: str, n_fit: int, n_excluded: int, mean_order: float) -> dict:
    """The Gamma-Gamma result dict when the model is not fitted; parameters are None."""
    return {
        "p": None,
        "q": None,
        "v": None,
        "log_likelihood": None,
        "n_repeat_buyers": n_fit,
        "n_excluded_nonpositive": n_excluded,
        "converged": False,
        "method": GAMMA_GAMMA_FALLBACK,
        "mean_order_value": mean_order,
        "at_bound": [],
        "reason": reason,
    }


def run_rate_predictions(
    x: np.ndarray,
    t_x: np.ndarray,
    T: np.ndarray,
    horizon: float,
    unit_days: float,
    discount_rate_annual: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(p_alive, expected orders, discounted orders, periods to one order) by historic run-rate.

    Rate = purchase days / (T + one horizon): the extra horizon keeps a first-time buyer
    from looking infinitely frequent. P(alive) is the chance that a customer still buying
    at that rate would have gone as long as they have without an order: exp(−rate × gap).
    """
    x = np.asarray(x, dtype=float)
    rate = (x + 1.0) / (np.asarray(T, dtype=float) + horizon)
    gap = np.clip(np.asarray(T, dtype=float) - np.asarray(t_x, dtype=float), 0.0, None)
    alive = np.exp(-rate * gap)
    orders = rate * horizon * alive
    discounted = orders * _mean_discount_factor(horizon, unit_days, discount_rate_annual)
    with np.errstate(divide="ignore"):
        wait = np.where(orders > 0, 1.0 / (rate * alive), np.inf)
    return alive, orders, discounted, wait


def spend_fallback(summary: pd.DataFrame, mean_order_value: float) -> np.ndarray:
    """Each customer's own mean order value, or the overall mean when theirs is not positive."""
    own = summary["historic_clv"].to_numpy(dtype=float) / (
        summary["frequency"].to_numpy(dtype=float) + 1.0
    )
    return np.where(own > 0, own, max(mean_order_value, 0.0))


def _mean_discount_factor(horizon: float, unit_days: float, rate: float) -> float:
    """Average discount factor over the horizon's months, for orders spread evenly."""
    if rate <= 0.0:
        return 1.0
    months = max(round(horizon * unit_days / (365.25 / 12.0)), 1)
    mid_years = (np.arange(months) + 0.5) / months * horizon * unit_days / 365.25
    return float(np.mean((1.0 + rate) ** -mid_years))
