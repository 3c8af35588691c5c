"""Gamma-Gamma spend model (Fader & Hardie 2013): likelihood, fit, expected average value.

Inputs are per repeat buyer: x (repeat transactions) and m (their mean value, > 0).
Parameters are (p, q, v), v being the paper's gamma.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from eclp.metrics.clv_mle import MleFit, maximise

PARAM_NAMES = ("p", "q", "v")


def log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> tuple[float, np.ndarray]:
    """Total Gamma-Gamma log-likelihood of the mean values m over x transactions, and gradient."""
    p, q, v = (float(value) for value in params)
    px = p * x
    ln_m, ln_x = np.log(m), np.log(x)
    ln_vxm = np.log(v + x * m)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1.0) * ln_m
        + px * ln_x
        - (px + q) * ln_vxm
    )
    psi_pxq = digamma(px + q)
    d_p = x * (psi_pxq - digamma(px) + ln_m + ln_x - ln_vxm)
    d_q = psi_pxq - digamma(q) + np.log(v) - ln_vxm
    d_v = q / v - (px + q) / (v + x * m)
    return float(ll.sum()), np.array([d_p.sum(), d_q.sum(), d_v.sum()])


def centre(m: np.ndarray) -> np.ndarray:
    """Neutral parameters at the data's scale (population mean p·v/(q−1) = the mean of m)."""
    return np.array([2.0, 3.0, float(np.mean(m))])


def fit(x: np.ndarray, m: np.ndarray, penalizer: float = 0.0) -> MleFit:
    """Maximum likelihood fit on repeat buyers with positive mean value; starts scaled to m."""
    x = np.asarray(x, dtype=float)
    m = np.asarray(m, dtype=float)
    mean_m = float(np.mean(m))
    starts = [
        centre(m),
        np.array([1.0, 1.0, 1.0]),
        np.array([5.0, 4.0, 2.0 * mean_m]),
        np.array([0.5, 2.0, 0.5 * mean_m]),
    ]
    return maximise(
        lambda params: log_likelihood(params, x, m),
        starts,
        n_obs=len(x),
        penalizer=penalizer,
        centre=starts[0],
    )


def expected_average_value(params, x, m) -> np.ndarray:
    """E[mean transaction value | x, m]: a credibility-weighted mix of the population mean
    p·v/(q−1) and the customer's own mean m (x = 0 gives the population mean). Needs q > 1.
    """
    p, q, v = params
    x = np.asarray(x, dtype=float)
    m = np.clip(np.asarray(m, dtype=float), 0.0, None)
    return p * (v + x * m) / (p * x + q - 1.0)
