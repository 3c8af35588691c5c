"""Fitting both CLV models from a customer summary into plain result dicts, with fallbacks.

A fit that fails, does not converge or lands on extreme parameters is retried once with a
stronger penalizer (shrinking towards neutral values at the data's scale); if that still
fails, the model falls back to a named rule. The dicts say which happened and why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from eclp.metrics import clv_bgnbd, clv_gamma
from eclp.metrics.clv_fallback import bgnbd_fallback, gamma_gamma_fallback
from eclp.metrics.clv_mle import MleFit, extreme_parameters

# The penalizer of the one retry after a degenerate fit: strong enough to pull
# unidentified parameters back to sane values, weak next to a real data set's likelihood.
RESCUE_PENALIZER = 0.1


def fit_bgnbd(summary: pd.DataFrame, penalizer: float = 0.0, *, min_customers: int = 1) -> dict:
    """Fit BG/NBD by maximum likelihood; a `fallback:run-rate` dict (with a reason) if it cannot."""
    n = len(summary)
    n_repeat = int((summary["frequency"] > 0).sum()) if n else 0
    needed = max(min_customers, 2)
    if n < needed:
        return bgnbd_fallback(f"only {n} customers (needs {needed})", n, n_repeat)
    if n_repeat == 0:
        return bgnbd_fallback("no customer has ordered on more than one day", n, n_repeat)
    if float(summary["T"].max()) <= 0.0:
        return bgnbd_fallback("all orders fall on the last day of data", n, n_repeat)
    data = clv_bgnbd.BgnbdData.from_arrays(summary["frequency"], summary["recency"], summary["T"])
    fit, used, problem = _fit_with_rescue(
        lambda pen: clv_bgnbd.fit(data, pen),
        clv_bgnbd.centre(data),
        clv_bgnbd.PARAM_NAMES,
        penalizer,
    )
    if fit is None:
        return bgnbd_fallback(problem, n, n_repeat)
    return {
        **_named(clv_bgnbd.PARAM_NAMES, fit.params),
        "log_likelihood": fit.log_likelihood,
        "converged": True,
        "method": "mle",
        "n_customers": n,
        "n_repeat_buyers": n_repeat,
        "penalizer": used,
        "rescued_from": problem,
        "at_bound": [clv_bgnbd.PARAM_NAMES[i] for i in fit.at_bound],
        "reason": "",
    }


def fit_gamma_gamma(
    summary: pd.DataFrame, penalizer: float = 0.0, *, min_repeat_buyers: int = 1
) -> dict:
    """Fit Gamma-Gamma on repeat buyers with positive mean value; a fallback dict if it cannot.

    Customers whose repeat purchases average zero or less cannot enter the likelihood
    (log of the mean) and are excluded; `n_excluded_nonpositive` counts them.
    """
    repeat = summary["frequency"] > 0
    positive = repeat & (summary["monetary_value"] > 0)
    n_excluded = int((repeat & ~positive).sum())
    n_fit = int(positive.sum())
    mean_order = mean_order_value(summary)
    needed = max(min_repeat_buyers, 2)
    if n_fit < needed:
        reason = f"only {n_fit} repeat buyers (needs {needed})"
        return gamma_gamma_fallback(reason, n_fit, n_excluded, mean_order)
    x = summary.loc[positive, "frequency"].to_numpy(dtype=float)
    m = summary.loc[positive, "monetary_value"].to_numpy(dtype=float)
    fit, used, problem = _fit_with_rescue(
        lambda pen: clv_gamma.fit(x, m, pen), clv_gamma.centre(m), clv_gamma.PARAM_NAMES, penalizer
    )
    if fit is None:
        return gamma_gamma_fallback(problem, n_fit, n_excluded, mean_order)
    p, q, v = (float(value) for value in fit.params)
    if q <= 1.0:
        # The population mean spend p·v/(q−1) is infinite: spend is too heavy-tailed to
        # predict from these buyers.
        reason = f"the fitted spend distribution has no finite mean (q = {q:.3g} ≤ 1)"
        return gamma_gamma_fallback(reason, n_fit, n_excluded, mean_order)
    return {
        "p": p,
        "q": q,
        "v": v,
        "log_likelihood": fit.log_likelihood,
        "n_repeat_buyers": n_fit,
        "n_excluded_nonpositive": n_excluded,
        "converged": True,
        "method": "mle",
        "penalizer": used,
        "rescued_from": problem,
        "mean_order_value": mean_order,
        "at_bound": [clv_gamma.PARAM_NAMES[i] for i in fit.at_bound],
        "reason": "",
    }


def mean_order_value(summary: pd.DataFrame) -> float:
    """Mean revenue per purchase day over all customers, floored at 0."""
    purchase_days = float((summary["frequency"] + 1).sum())
    if purchase_days <= 0:
        return 0.0
    return max(float(summary["historic_clv"].sum()) / purchase_days, 0.0)


def _fit_with_rescue(
    fit: Callable[[float], MleFit],
    centre: np.ndarray,
    names: tuple[str, ...],
    penalizer: float,
) -> tuple[MleFit | None, float, str]:
    """(usable fit or None, penalizer used, what was wrong with the first attempt or '')."""
    first = fit(penalizer)
    problem = _problem(first, centre, names)
    if not problem:
        return first, penalizer, ""
    if penalizer < RESCUE_PENALIZER:
        second = fit(RESCUE_PENALIZER)
        if not _problem(second, centre, names):
            return second, RESCUE_PENALIZER, problem
    return None, penalizer, problem


def _problem(fit: MleFit, centre: np.ndarray, names: tuple[str, ...]) -> str:
    """Why a fit is unusable, as a clause for a sentence; '' when it is fine."""
    if not np.all(np.isfinite(fit.params)):
        return f"the likelihood could not be maximised ({fit.message})"
    if not fit.converged:
        return f"the fit did not converge ({fit.message})"
    extreme = extreme_parameters(fit.params, centre)
    if extreme:
        listed = ", ".join(f"{names[i]} = {fit.params[i]:.3g}" for i in extreme)
        return f"the data do not pin the model down (extreme {listed})"
    return ""


def _named(names: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    """Parameter dict from names and a parameter vector."""
    return dict(zip(names, (float(v) for v in values), strict=True))
