"""BG/NBD (Fader, Hardie & Lee 2005): likelihood, fit, P(alive) and expected purchases.

Inputs are per-customer arrays: x (repeat purchase days), t_x (recency) and T (age), all
in one time unit. Parameters are (r, alpha, a, b).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from eclp.metrics.clv_mle import MleFit, maximise

PARAM_NAMES = ("r", "alpha", "a", "b")
# Series fallback for 2F1 when scipy returns inf/nan: stop when terms fall below this
# relative size, or after this many terms (z < 1 always, so the series converges).
_SERIES_RTOL = 1e-14
_SERIES_MAX_TERMS = 20_000


@dataclass(frozen=True)
class BgnbdData:
    """Per-customer arrays with the per-unique-x index precomputed once for fast LL calls."""

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    unique_x: np.ndarray
    inverse: np.ndarray

    @classmethod
    def from_arrays(cls, x, t_x, T) -> BgnbdData:
        x = np.asarray(x, dtype=float)
        unique_x, inverse = np.unique(x, return_inverse=True)
        return cls(x, np.asarray(t_x, dtype=float), np.asarray(T, dtype=float), unique_x, inverse)


def log_likelihood(params: np.ndarray, data: BgnbdData) -> tuple[float, np.ndarray]:
    """Total BG/NBD log-likelihood and its gradient in (r, alpha, a, b).

    Uses the log-sum-exp form of the two-term likelihood so neither term under- or
    overflows; everything that depends only on x is computed once per distinct x.
    """
    r, alpha, a, b = (float(p) for p in params)
    ux, inv, x = data.unique_x, data.inverse, data.x
    repeat_u = ux > 0
    b_minus = np.where(repeat_u, b + ux - 1.0, 1.0)  # only used where x > 0

    beta_ab = betaln(a, b)
    a1 = (gammaln(r + ux) - gammaln(r))[inv] + r * np.log(alpha)
    ln_at = np.log(alpha + data.T)
    ln_atx = np.log(alpha + data.t_x)
    a2 = (betaln(a, b + ux) - beta_ab)[inv] - (r + x) * ln_at
    a3_u = np.where(repeat_u, betaln(a + 1.0, b_minus) - beta_ab, -np.inf)
    a3 = a3_u[inv] - (r + x) * ln_atx
    lse = np.logaddexp(a2, a3)
    ll = float(np.sum(a1 + lse))

    w3 = np.exp(a3 - lse)
    w2 = 1.0 - w3
    psi_abx = digamma(a + b + ux)
    d_r = (digamma(r + ux) - digamma(r))[inv] + np.log(alpha) - w2 * ln_at - w3 * ln_atx
    d_alpha = r / alpha - (r + x) * (w2 / (alpha + data.T) + w3 / (alpha + data.t_x))
    d_a_2 = (digamma(a) - psi_abx)[inv]
    d_a_3 = (digamma(a + 1.0) - psi_abx)[inv]
    d_b_2 = (digamma(b + ux) - psi_abx)[inv]
    d_b_3 = np.where(repeat_u, digamma(b_minus) - psi_abx, 0.0)[inv]
    d_a = w2 * d_a_2 + w3 * d_a_3 - (digamma(a) - digamma(a + b))
    d_b = w2 * d_b_2 + w3 * d_b_3 - (digamma(b) - digamma(a + b))
    grad = np.array([d_r.sum(), d_alpha.sum(), d_a.sum(), d_b.sum()])
    return ll, grad


def centre(data: BgnbdData) -> np.ndarray:
    """Neutral parameters at the data's scale: r = a = b = 1, alpha matching the mean rate.

    Used as the first start, as the penalizer's centre and to judge extreme fits.
    """
    mean_T = float(np.mean(data.T)) if len(data.T) else 1.0
    mean_x = float(np.mean(data.x)) if len(data.x) else 0.0
    # r/alpha is the mean purchase rate: choose alpha so that it matches the data's rate.
    rate = max(mean_x, 0.05) / max(mean_T, 1.0)
    return np.array([1.0, 1.0 / rate, 1.0, 1.0])


def fit(data: BgnbdData, penalizer: float = 0.0) -> MleFit:
    """Maximum likelihood fit from a few sensible starts (scaled to the data's time unit)."""
    base = centre(data)
    starts = [
        base,
        base * np.array([0.5, 0.5, 0.5, 2.0]),
        np.array([1.0, 1.0, 1.0, 1.0]),
        base * np.array([2.0, 2.0, 2.0, 5.0]),
    ]
    return maximise(
        lambda p: log_likelihood(p, data),
        starts,
        n_obs=len(data.x),
        penalizer=penalizer,
        centre=base,
    )


def p_alive(params, x, t_x, T) -> np.ndarray:
    """P(customer still active | x, t_x, T); exactly 1 for customers with no repeat purchase."""
    r, alpha, a, b = params
    x = np.asarray(x, dtype=float)
    repeat = x > 0
    b_minus = np.where(repeat, b + x - 1.0, 1.0)
    log_ratio = np.log(a) - np.log(b_minus) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(repeat, expit(-log_ratio), 1.0)


def expected_purchases(params, x, t_x, T, t) -> np.ndarray:
    """E[X(t) | x, t_x, T]: expected purchases in the next t periods.

    The textbook form multiplies ((alpha+T)/(alpha+T+t))^(r+x) by 2F1(r+x, b+x; a+b+x-1; z),
    which overflows for frequent customers. Euler's transformation folds the power into the
    function: (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters no longer grow with
    x. Where scipy still returns inf/nan, a direct series is summed instead.
    """
    r, alpha, a, b = params
    if abs(a - 1.0) < 1e-6:
        # The formula is 0/0 at a = 1; its limit is continuous, so step just off it.
        a = 1.0 + 1e-6
    x = np.asarray(x, dtype=float)
    t = np.broadcast_to(np.asarray(t, dtype=float), x.shape)
    z = t / (alpha + np.asarray(T, dtype=float) + t)
    big_a, big_b, big_c = a + b - 1.0 - r, a - 1.0, a + b + x - 1.0
    f = hyp2f1(big_a, big_b, big_c, z)
    bad = ~np.isfinite(f)
    if bad.any():
        f = f.copy()
        f[bad] = hyp2f1_series(big_a, big_b, big_c[bad], z[bad])
    bracket = 1.0 - np.exp((a - 1.0) * np.log1p(-z)) * f
    expected = (a + b + x - 1.0) / (a - 1.0) * bracket * p_alive(params, x, t_x, T)
    # Rounding can leave a hair below zero for t → 0; there are no negative purchases.
    return np.maximum(expected, 0.0)


def hyp2f1_series(a: float, b: float, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Gauss 2F1(a, b; c; z) by its power series, vectorised; for 0 <= z < 1 only."""
    c = np.asarray(c, dtype=float)
    z = np.asarray(z, dtype=float)
    total = np.ones_like(z)
    term = np.ones_like(z)
    active = np.ones(z.shape, dtype=bool)
    for k in range(_SERIES_MAX_TERMS):
        if not active.any():
            break
        term = np.where(active, term * (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z, 0.0)
        total = total + term
        active = np.abs(term) > _SERIES_RTOL * np.abs(total)
    return total


def time_to_one_purchase(params, x, t_x, T, *, t_max: float, tolerance: float) -> np.ndarray:
    """Smallest t with E[X(t)|...] >= 1, by bisection over all customers at once; NaN if > t_max.

    E[X(t)] increases with t, so bisection is safe; only customers who reach one purchase
    within t_max are iterated.
    """
    x = np.asarray(x, dtype=float)
    t_x = np.asarray(t_x, dtype=float)
    T = np.asarray(T, dtype=float)
    result = np.full(x.shape, np.nan)
    reach = expected_purchases(params, x, t_x, T, t_max) >= 1.0
    idx = np.flatnonzero(reach)
    if idx.size == 0:
        return result
    lo = np.zeros(idx.size)
    hi = np.full(idx.size, float(t_max))
    xs, txs, Ts = x[idx], t_x[idx], T[idx]
    n_steps = int(np.ceil(np.log2(max(t_max / tolerance, 2.0))))
    for _ in range(n_steps):
        mid = 0.5 * (lo + hi)
        above = expected_purchases(params, xs, txs, Ts, mid) >= 1.0
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    result[idx] = hi
    return result
